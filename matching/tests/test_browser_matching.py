"""Done as a new user would, in real Chromium on a phone: a Värnamo coordinator takes a newcomer family's
request, picks an established family from the suggestions seeing why it fits, books the first meeting and
starts the match; the 1-month check-in reminder is sent; the child's pathway into youth football shows on the
family's page. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from conftest import ARTIFACTS, browser_login
from matching.models import MatchRequest
from matching.services.matching import add_months, check_in_reminders_send_due, match_request_create
from people.models import Gender, Household, HouseholdRole, Person, PersonGroup
from tenants.models import Municipality
from tests.support.matching_factories import PartnerFactory, in_own_connection

# django_db: the test database is set up even when this file runs alone; what the pages need is committed
# from another connection (see in_own_connection), since the live server's threads see only committed rows.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _seed(tag: str) -> dict[str, Any]:
    today = timezone.localdate()
    with Municipality.objects.get(schema_name="varnamo"):
        haddad = Household.objects.create(name=f"Haddad {tag}", district="Centrum")
        amira = Person.objects.create(
            household=haddad,
            first_name="Amira",
            last_name=f"Haddad {tag}",
            group=PersonGroup.NEWCOMER,
            gender=Gender.WOMAN,
            birth_year=1988,
            languages=["ar", "sv"],
            interests=["football", "cooking"],
            district="Centrum",
        )
        Person.objects.create(
            household=haddad,
            household_role=HouseholdRole.CHILD,
            first_name="Omar",
            last_name=f"Haddad {tag}",
            group=PersonGroup.NEWCOMER,
            gender=Gender.MAN,
            birth_year=today.year - 10,
        )
        johansson = Household.objects.create(name=f"Johansson {tag}", district="Centrum")
        anna = Person.objects.create(
            household=johansson,
            first_name="Anna",
            last_name=f"Johansson {tag}",
            group=PersonGroup.ESTABLISHED,
            gender=Gender.WOMAN,
            birth_year=1982,
            languages=["sv", "en", "ar"],
            interests=["football"],
            district="Centrum",
        )
        Person.objects.create(
            household=johansson,
            household_role=HouseholdRole.CHILD,
            first_name="Elsa",
            last_name=f"Johansson {tag}",
            group=PersonGroup.ESTABLISHED,
            birth_year=today.year - 11,
        )
        match_request_create(
            person=anna, household=johansson, kind="friend_family", availability=["weekends"]
        )
        berg = Household.objects.create(name=f"Berg {tag}", district="Bor")
        lars = Person.objects.create(
            household=berg,
            first_name="Lars",
            last_name=f"Berg {tag}",
            group=PersonGroup.ESTABLISHED,
            gender=Gender.MAN,
            birth_year=1960,
            languages=["sv"],
        )
        match_request_create(person=lars, household=berg, kind="friend_family")
        club = PartnerFactory.create(name=f"IFK Värnamo {tag}")
        return {"amira": amira.pk, "club": club.pk}


def test_a_coordinator_matches_a_newcomer_family_and_follows_the_childs_pathway(
    phone: Any, live_url: Callable[[str, str], str]
) -> None:
    tag = uuid.uuid4().hex[:5]
    seeded = in_own_connection(lambda: _seed(tag))
    browser_login(phone, live_url, "varnamo", Role.COORDINATOR)

    put_the_family_on_the_waiting_list(phone, tag)
    choose_the_johanssons(phone, tag)
    book_the_first_meeting_and_start(phone)

    # A month later the daily task reminds the coordinator of the 1-month check-in.
    with Municipality.objects.get(schema_name="varnamo"):
        sent = check_in_reminders_send_due(today=add_months(timezone.localdate(), 1))
        request = MatchRequest.objects.get(person_id=seeded["amira"])
    assert sent >= 1
    reminder = next(m for m in mail.outbox if f"Haddad {tag}" in m.subject)
    assert reminder.to == ["coordinator@varnamo.demo"]
    assert reminder.subject == f"Dags för uppföljning: Haddad {tag} och Johansson {tag}, 1 månad"
    assert "/staff/matching/matches/" in reminder.body

    start_omars_pathway(phone, tag, club=seeded["club"])
    family = phone.locator(".household-pathways")
    omar = family.locator("li", has_text=f"Omar Haddad {tag}").first.inner_text()
    assert "Ungdomsfotboll P11" in omar
    assert f"IFK Värnamo {tag}" in omar
    assert "Hänvisad" in omar
    assert "Ingen lotsning än." in family.locator("li", has_text=f"Amira Haddad {tag}").first.inner_text()
    assert request.status == "matched"


def put_the_family_on_the_waiting_list(phone: Any, tag: str) -> None:
    # The newcomer family's request: find the mother, the family's details come prefilled.
    phone.get_by_text("Meny", exact=True).click()
    phone.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Matchning").click()
    phone.get_by_role("link", name="Nytt önskemål").first.click()
    phone.get_by_label("Namn").fill(f"Haddad {tag}")
    phone.get_by_role("button", name="Sök").click()
    phone.get_by_role("link", name=f"Välj Amira Haddad {tag}").click()
    assert phone.get_by_label("Barnens åldrar").input_value() == "10"
    assert phone.get_by_label("Hela familjen frågar").is_checked()
    phone.get_by_label("Helger").check()
    phone.get_by_role("button", name="Sätt upp på väntelistan").click()
    phone.wait_for_load_state()
    assert "Önskemålet står på väntelistan." in phone.locator(".messages").inner_text()


def choose_the_johanssons(phone: Any, tag: str) -> None:
    # The suggestions: the Johansson family first, and why. (The demo's own waiting families are among them
    # too; none can outscore Johansson: their interests are in Swedish and they share one language at most.)
    first = phone.locator(".suggestion").first
    assert f"Johansson {tag}" in first.locator("h3").inner_text()
    reasons = first.locator(".reasons").inner_text()
    for reason in (
        "Gemensamma språk: Arabiska, Svenska",
        "Gemensamma intressen: football",
        "Barn i liknande ålder: 10 & 11",
        "Samma område: Centrum",
        "Lediga samma tider: helger",
    ):
        assert reason in reasons
    ours = [name for name in phone.locator(".suggestion h3").all_inner_texts() if tag in name]
    assert len(ours) == 2, ours
    assert f"Berg {tag}" in ours[1], "the Bergs fit less well: after the Johanssons"
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "matching_suggestions.png"), full_page=True)
    first.get_by_role("button", name=f"Föreslå den här matchningen – Johansson {tag}").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == f"Haddad {tag} & Johansson {tag}"


def book_the_first_meeting_and_start(phone: Any) -> None:
    # The first meeting, then both say yes.
    meeting = (timezone.localtime() + dt.timedelta(days=5)).replace(hour=15, minute=0)
    phone.get_by_label("Datum och tid").fill(meeting.strftime("%Y-%m-%dT%H:%M"))
    phone.get_by_label("Plats").fill("Stadsbiblioteket, Värnamo")
    phone.get_by_role("button", name="Boka mötet").click()
    phone.wait_for_load_state()
    assert "Stadsbiblioteket, Värnamo" in phone.locator("#first-meeting").inner_text()
    phone.get_by_role("button", name="Starta matchningen").click()
    phone.wait_for_load_state()
    assert "Uppföljningar är planerade efter 1, 3 och 6 månader." in phone.locator(".messages").inner_text()
    phone.screenshot(path=str(ARTIFACTS / "matching_match_page.png"), full_page=True)


def start_omars_pathway(phone: Any, tag: str, *, club: int) -> None:
    # The son's pathway into youth football, from the family's page.
    phone.get_by_role("link", name="Familjens lotsningar").first.click()
    phone.get_by_role("link", name=f"Starta en – Omar Haddad {tag}").click()
    phone.get_by_label("Arena").select_option("club_life")
    phone.get_by_label("Mål").fill("Ungdomsfotboll P11")
    phone.get_by_label("Samarbetspartner").select_option(str(club))
    phone.get_by_role("button", name="Starta lotsningen").click()
    phone.wait_for_load_state()
    phone.get_by_role("combobox", name="Nästa steg").select_option("referred")
    phone.get_by_role("button", name="Registrera steget").click()
    phone.wait_for_load_state()
    assert "Steget är registrerat." in phone.locator(".messages").inner_text()
    phone.get_by_role("link", name="Familjens lotsningar").click()
    phone.wait_for_load_state()
