"""Rights of the person and retention: export holds everything, erasure keeps statistics true, consent
withdrawal stops mail at once, and the nightly retention task anonymises exactly the people due."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from activities.models import Attendance
from activities.services.notices import session_notice_send
from audit.models import AuditAction, AuditEntry
from ivplatform.celery import app as celery_app
from matching.models import (
    CheckIn,
    ContactKind,
    Match,
    MatchContact,
    MatchingOptOut,
    MatchKind,
    MatchRequest,
    Pathway,
    PathwayStage,
    PathwayStageChange,
)
from people.models import ConsentPurpose, Household, Person, PersonGroup, PersonImport
from people.models.people import Gender
from portal.models import Signup, SignupMember
from privacy.models import RetentionKeep
from privacy.selectors import people_due_for_retention, people_passing_retention_soon, person_record
from privacy.services import (
    ANONYMOUS_NAME,
    ERASE_CONFIRMATION_WORD,
    PrivacyError,
    consent_withdraw,
    person_erase,
    person_export_json,
    person_record_data,
    retention_keep,
    retention_setting_update,
)
from privacy.tasks import retention_fan_out
from stats.metrics import CellKey, count_year
from tenants.models import Municipality
from tests.support.factories import AttendanceFactory, ConsentFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _backdate(person: Person, days: int) -> None:
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


@pytest.fixture
def amina(in_varnamo: Municipality, admin: User) -> Person:
    """A newcomer with a household, consents, attendance, a match and a pathway."""
    household = Household.objects.create(name="Haddad-Privat", district="Gröndal", notes="Bor hos släkt")
    person = PersonFactory.create(
        first_name="Amina",
        last_name="Haddad-Privat",
        household=household,
        birth_date=dt.date(1991, 11, 30),
        birth_year=1991,
        phone="+46701234567",
        email="amina.privat@example.com",
        district="Gröndal",
        notes="Vill lära sig cykla",
        languages=["ar"],
        interests=["cykling"],
    )
    ConsentFactory.create(person=person, purpose=ConsentPurpose.CONTACT, given=True)
    AttendanceFactory.create(person=person)
    AttendanceFactory.create(person=person)
    request = MatchRequest.objects.create(
        kind=MatchKind.LANGUAGE_FRIEND, group=PersonGroup.NEWCOMER, person=person, note="Helst kvällar"
    )
    other = MatchRequest.objects.create(
        kind=MatchKind.LANGUAGE_FRIEND, group=PersonGroup.ESTABLISHED, person=PersonFactory.create()
    )
    Match.objects.create(
        kind=MatchKind.LANGUAGE_FRIEND,
        newcomer_request=request,
        established_request=other,
        proposed_on=timezone.localdate(),
        note="Träffas på biblioteket",
    )
    pathway = Pathway.objects.create(
        person=person, arena="sport", goal="Fotboll i klubb", stage_on=timezone.localdate(), note="Gillar mål"
    )
    PathwayStageChange.objects.create(
        pathway=pathway, stage=PathwayStage.INTEREST, changed_on=timezone.localdate(), note="Första samtalet"
    )
    return person


def test_export_holds_everything_and_is_audited(amina: Person, admin: User) -> None:
    data = json.loads(person_export_json(actor=admin, record=person_record(person=amina)))

    assert data["person"]["first_name"] == "Amina"
    assert data["person"]["email"] == "amina.privat@example.com"
    assert data["household"]["name"] == "Haddad-Privat"
    assert [c["purpose"] for c in data["consents"]] == ["contact"]
    assert len(data["attendance"]) == 2
    assert data["match_requests"][0]["note"] == "Helst kvällar"
    assert data["matches"][0]["note"] == "Träffas på biblioteket"
    assert data["pathways"][0]["stage_history"][0]["note"] == "Första samtalet"
    entry = AuditEntry.objects.get(obj_type="core.person", obj_id=str(amina.pk), action=AuditAction.EXPORT)
    assert entry.actor == admin
    # A second export shows the first one in its audit trail.
    again = json.loads(person_export_json(actor=admin, record=person_record(person=amina)))
    assert [e["action"] for e in again["audit_trail"]] == ["export"]


def _statistics() -> tuple[int, Counter[tuple[str, str]]]:
    """Attendance rows and people per (gender, age band), counted as the statistics count them."""
    today = timezone.localdate()
    bands: Counter[tuple[str, str]] = Counter()
    for person in Person.objects.all():
        bands[(person.gender, person.age_band_on(dt.date(today.year, 12, 31)))] += 1
    return Attendance.objects.count(), bands


def _rollup() -> dict[CellKey, int]:
    """The association's own statistics for this year and last, as the nightly recompute counts them."""
    year = timezone.localdate().year
    return {**count_year(year - 1).values, **count_year(year).values}


def test_erasure_anonymises_and_keeps_statistics(amina: Person, admin: User) -> None:
    before = _statistics()
    rollup_before = _rollup()
    by_gender = dict(Person.objects.values_list("gender").annotate(n=Count("id")))

    person_erase(actor=admin, person=amina, confirmation=ERASE_CONFIRMATION_WORD.lower())

    amina.refresh_from_db()
    assert amina.first_name == ANONYMOUS_NAME
    assert amina.last_name == ""
    assert (amina.phone, amina.email, amina.district, amina.notes) == ("", "", "", "")
    assert amina.languages == []
    assert amina.interests == []
    assert amina.birth_date is None
    assert amina.birth_year == 1991
    assert amina.gender == Gender.WOMAN
    assert amina.erased_at is not None
    assert MatchRequest.objects.get(person=amina).note == ""
    assert Match.objects.get(newcomer_request__person=amina).note == ""
    assert Pathway.objects.get(person=amina).note == ""
    assert PathwayStageChange.objects.get(pathway__person=amina).note == ""
    assert amina.household_id is not None
    household = Household.objects.get(pk=amina.household_id)
    assert (household.name, household.district, household.notes) == (ANONYMOUS_NAME, "", "")
    assert _statistics() == before
    assert _rollup() == rollup_before
    assert dict(Person.objects.values_list("gender").annotate(n=Count("id"))) == by_gender
    assert AuditEntry.objects.filter(obj_id=str(amina.pk), action=AuditAction.ERASE, actor=admin).exists()


def test_erasure_also_clears_follow_up_notes_and_deletes_the_sign_up(amina: Person, admin: User) -> None:
    """The privacy notice promises that our notes and everything the person wrote go: that includes the
    match's check-ins and contacts, an opt-out's note, and the sign-up that brought the family in."""
    match = Match.objects.get(newcomer_request__person=amina)
    check_in = CheckIn.objects.create(match=match, months=1, due_on=timezone.localdate(), note="Trivs bra")
    contact = MatchContact.objects.create(
        match=match, kind=ContactKind.PHONED, happened_on=timezone.localdate(), note="Ringde om cykeln"
    )
    opt_out = MatchingOptOut.objects.create(person=amina, opted_out=False, note="Vill vänta")
    signup = Signup.objects.create(
        group="newcomer",
        contact_first_name="Amina",
        contact_last_name="Haddad-Privat",
        phone="+46701234567",
        language="ar",
        consent=True,
        household=amina.household,
    )
    SignupMember.objects.create(signup=signup, first_name="Amina", birth_year=1991)
    other_signup = Signup.objects.create(
        group="newcomer", contact_first_name="Någon", language="sv", consent=True
    )

    person_erase(actor=admin, person=amina, confirmation=ERASE_CONFIRMATION_WORD)

    check_in.refresh_from_db()
    contact.refresh_from_db()
    opt_out.refresh_from_db()
    assert (check_in.note, contact.note, opt_out.note) == ("", "", "")
    assert not Signup.objects.filter(pk=signup.pk).exists()
    assert not SignupMember.objects.filter(signup_id=signup.pk).exists()
    assert Signup.objects.filter(pk=other_signup.pk).exists()


def test_erasure_needs_the_word_and_an_admin(amina: Person, admin: User, coordinator: User) -> None:
    with pytest.raises(PrivacyError, match=ERASE_CONFIRMATION_WORD):
        person_erase(actor=admin, person=amina, confirmation="ja")
    with pytest.raises(PrivacyError):
        person_erase(actor=coordinator, person=amina, confirmation=ERASE_CONFIRMATION_WORD)
    amina.refresh_from_db()
    assert amina.first_name == "Amina"
    assert amina.erased_at is None
    assert not AuditEntry.objects.filter(obj_id=str(amina.pk), action=AuditAction.ERASE).exists()


def test_withdrawn_contact_consent_stops_session_notices_at_once(amina: Person, coordinator: User) -> None:
    session = SessionFactory.create()
    assert session_notice_send(session_id=session.pk, kind="cancelled", person_ids=[amina.pk]) == 1
    mail.outbox.clear()

    consent_withdraw(actor=coordinator, person=amina, purpose=ConsentPurpose.CONTACT)

    assert session_notice_send(session_id=session.pk, kind="cancelled", person_ids=[amina.pk]) == 0
    assert mail.outbox == []
    with pytest.raises(PrivacyError):
        consent_withdraw(actor=coordinator, person=amina, purpose="newsletter")


# --- Retention ----------------------------------------------------------------------------------------


def test_retention_selection_rule(in_varnamo: Municipality, admin: User) -> None:
    retention_setting_update(actor=admin, months=24)
    stale = PersonFactory.create(first_name="Gammal")
    _backdate(stale, 800)
    almost = PersonFactory.create(first_name="Snart")
    _backdate(almost, 720)  # passes 24 months within the next month
    attended = PersonFactory.create(first_name="Aktiv")
    _backdate(attended, 800)
    AttendanceFactory.create(person=attended)  # a session yesterday: recent activity
    kept = PersonFactory.create(first_name="Behållen")
    _backdate(kept, 800)
    retention_keep(actor=admin, person=kept, reason="Pågående ärende hos Migrationsverket")
    ids = {stale.pk, almost.pk, attended.pk, kept.pk}

    due = set(people_due_for_retention().filter(pk__in=ids).values_list("pk", flat=True))
    soon = set(people_passing_retention_soon(actor=admin).filter(pk__in=ids).values_list("pk", flat=True))

    assert due == {stale.pk}
    assert soon == {stale.pk, almost.pk}
    assert RetentionKeep.objects.get(person=kept).reason == "Pågående ärende hos Migrationsverket"
    with pytest.raises(PrivacyError):
        retention_keep(actor=admin, person=stale, reason="  ")


def test_retention_limit_follows_the_setting(in_varnamo: Municipality, admin: User) -> None:
    person = PersonFactory.create()
    _backdate(person, 200)
    assert not people_due_for_retention().filter(pk=person.pk).exists()
    retention_setting_update(actor=admin, months=6)
    assert people_due_for_retention().filter(pk=person.pk).exists()
    with pytest.raises(PrivacyError):
        retention_setting_update(actor=admin, months=0)


def test_nightly_task_anonymises_due_people_per_tenant(
    in_varnamo: Municipality, admin: User, eager_celery: None
) -> None:
    stale = PersonFactory.create(first_name="Gammal", email="gammal@example.com")
    _backdate(stale, 800)
    AttendanceFactory.create(
        person=stale, session=SessionFactory.create(starts_at=timezone.now() - dt.timedelta(days=790))
    )
    kept = PersonFactory.create(first_name="Behållen")
    _backdate(kept, 800)
    retention_keep(actor=admin, person=kept, reason="Ärende pågår")
    fresh = PersonFactory.create(first_name="Ny")
    attendance_before = Attendance.objects.count()

    schemas = retention_fan_out()

    assert "varnamo" in schemas
    assert "vaggeryd" in schemas
    stale.refresh_from_db()
    kept.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.erased_at is not None
    assert stale.first_name == ANONYMOUS_NAME
    assert stale.email == ""
    assert kept.erased_at is None
    assert fresh.erased_at is None
    assert Attendance.objects.count() == attendance_before
    entry = AuditEntry.objects.get(obj_id=str(stale.pk), action=AuditAction.ERASE)
    assert entry.actor is None
    # Nothing left to do: a second night anonymises no one more.
    assert not people_due_for_retention().filter(pk__in=[stale.pk, kept.pk, fresh.pk]).exists()


def test_nightly_task_deletes_old_sign_ups_and_abandoned_imports(
    in_varnamo: Municipality, admin: User, eager_celery: None
) -> None:
    retention_setting_update(actor=admin, months=12)
    now = timezone.now()

    def signup(name: str, *, received_days_ago: int, handled_days_ago: int | None = None) -> Signup:
        item = Signup.objects.create(group="newcomer", contact_first_name=name, language="sv", consent=True)
        handled_at = now - dt.timedelta(days=handled_days_ago) if handled_days_ago is not None else None
        Signup.objects.filter(pk=item.pk).update(
            created_at=now - dt.timedelta(days=received_days_ago), handled_at=handled_at
        )
        return item

    handled_long_ago = signup("Gammal", received_days_ago=500, handled_days_ago=400)
    never_handled = signup("Glömd", received_days_ago=400)
    handled_lately = signup("Nyligen", received_days_ago=500, handled_days_ago=100)
    fresh = signup("Ny", received_days_ago=3)
    abandoned = PersonImport.objects.create(created_by=admin, file_name="lista.csv", rows=[])
    PersonImport.objects.filter(pk=abandoned.pk).update(created_at=now - dt.timedelta(days=2))
    pending = PersonImport.objects.create(created_by=admin, file_name="ny.csv", rows=[])

    retention_fan_out()

    remaining = set(Signup.objects.values_list("pk", flat=True))
    assert handled_long_ago.pk not in remaining
    assert never_handled.pk not in remaining
    assert {handled_lately.pk, fresh.pk} <= remaining
    assert list(PersonImport.objects.values_list("pk", flat=True)) == [pending.pk]


def test_person_record_takes_a_fixed_number_of_queries(
    amina: Person, admin: User, django_assert_num_queries: Callable[..., Any]
) -> None:
    # Person, match requests, matches, volunteer hours, consents, registrations, attendance, pathways with
    # their stage history (two), audit trail: the same ten however much the person has.
    with django_assert_num_queries(10):
        record = person_record(person=amina)
    with django_assert_num_queries(0):
        data = person_record_data(record)
    assert len(data["attendance"]) == 2
    AttendanceFactory.create(person=amina)
    with django_assert_num_queries(10):
        person_record(person=amina)


def test_retention_runs_every_night_from_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["core.retention"]
    assert entry["task"] == retention_fan_out.name == "core.retention_fan_out"
    assert retention_fan_out.name in celery_app.tasks
