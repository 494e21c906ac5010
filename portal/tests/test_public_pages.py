"""The public pages: no login, seven languages (right to left for Arabic and Dari), nothing private."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from activities.models import Registration, RegistrationStatus, Session
from conftest import login, tenant_client
from people.models import Person, PersonGroup
from portal.tests.data import cancel, upcoming_weekly_activity
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ["/", "/activities/", "/activities/week/", "/signup/", "/signup/thanks/", "/privacy/"]


def in_language(code: str) -> Client:
    client = tenant_client("varnamo")
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    return client


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_need_no_login(path: str) -> None:
    assert tenant_client("varnamo").get(path).status_code == 200


@pytest.mark.parametrize(
    ("code", "direction", "phrase"),
    [
        ("sv", "ltr", "Anmäl dig"),
        ("en", "ltr", "Sign up"),
        ("ar", "rtl", "سجّل"),
        ("prs", "rtl", "ثبت‌نام"),
        ("ti", "ltr", "ተመዝገብ"),
        ("so", "ltr", "Is diiwaangeli"),
        ("uk", "ltr", "Зареєструватися"),
    ],
)
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_page_in_every_language(code: str, direction: str, phrase: str, path: str) -> None:
    body = in_language(code).get(path).content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in body
    assert phrase in body


def test_staff_pages_stay_swedish_when_arabic_was_chosen_on_the_public_pages() -> None:
    client = login("varnamo", Role.COORDINATOR)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert '<html lang="ar" dir="rtl">' in client.get("/").content.decode()
    staff = client.get("/staff/").content.decode()
    assert '<html lang="sv" dir="ltr">' in staff


def test_the_switch_offers_all_languages_on_public_pages_and_two_on_staff_pages() -> None:
    public = tenant_client("varnamo").get("/")
    assert [code for code, _ in public.context["switch_languages"]] == [
        "sv",
        "en",
        "ar",
        "prs",
        "ti",
        "so",
        "uk",
    ]
    staff = login("varnamo", Role.COORDINATOR).get("/staff/")
    assert [code for code, _ in staff.context["switch_languages"]] == ["sv", "en"]


def test_upcoming_sessions_show_and_cancelled_ones_never(varnamo: Municipality) -> None:
    with varnamo:
        activity = upcoming_weekly_activity(title="Fotboll för unga")
        upcoming = list(Session.objects.filter(activity=activity).order_by("starts_at"))
        cancelled = cancel(upcoming[len(upcoming) // 2])
    week = tenant_client("varnamo").get("/activities/week/", {"week": cancelled.starts_at.date().isoformat()})
    shown = [
        session
        for _, sessions in week.context["days"]
        for session in sessions
        if session.activity_id == activity.pk
    ]
    assert cancelled not in shown
    assert len(shown) == 6  # a session every day of that week, but the cancelled one
    assert "Fotboll för unga" in tenant_client("varnamo").get("/activities/").content.decode()


def test_a_non_public_activity_is_nowhere_public(varnamo: Municipality) -> None:
    with varnamo:
        hidden = upcoming_weekly_activity(title="Styrelsemöte", is_public=False)
    client = tenant_client("varnamo")
    for path in ["/", "/activities/", "/activities/week/", "/signup/"]:
        assert "Styrelsemöte" not in client.get(path).content.decode()
    assert client.get(f"/activities/{hidden.pk}/").status_code == 404


def test_no_person_ever_shows_on_public_pages(varnamo: Municipality) -> None:
    with varnamo:
        activity = upcoming_weekly_activity(title="Familjesöndag")
        person = Person.objects.create(
            first_name="Hemlig", last_name="Skyddadsson", group=PersonGroup.NEWCOMER, protected_identity=True
        )
        Registration.objects.create(activity=activity, person=person, status=RegistrationStatus.REGISTERED)
    client = tenant_client("varnamo")
    for path in [
        *PUBLIC_PATHS,
        f"/activities/{activity.pk}/",
        "/calendar.ics",
        f"/activities/{activity.pk}/calendar.ics",
    ]:
        body = client.get(path).content.decode()
        assert "Skyddadsson" not in body
        assert "Hemlig" not in body


def test_activity_page_shows_when_where_who_and_languages(varnamo: Municipality) -> None:
    with varnamo:
        activity = upcoming_weekly_activity(title="Språkcafé")
    body = tenant_client("varnamo").get(f"/activities/{activity.pk}/").content.decode()
    assert "Biblioteket" in body
    assert "Svenska, Arabiska" in body
    assert "Vem är det för?" in body


def test_week_view_survives_a_bad_week_parameter() -> None:
    assert tenant_client("varnamo").get("/activities/week/", {"week": "not-a-date"}).status_code == 200


def test_the_start_page_shows_what_the_admin_wrote() -> None:
    admin = login("varnamo", Role.ADMIN)
    response = admin.post(
        "/staff/public-page/",
        {"intro": "Välkommen till oss i Värnamo!", "contact_phone": "0370-123 45", "show_partners": "on"},
    )
    assert response.status_code == 302
    body = tenant_client("varnamo").get("/").content.decode()
    assert "Välkommen till oss i Värnamo!" in body
    assert "0370-123 45" in body


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 200), (Role.COORDINATOR, 403), (Role.VOLUNTEER, 403)]
)
def test_only_the_admin_edits_the_start_page(role: Role, status: int) -> None:
    assert login("varnamo", role).get("/staff/public-page/").status_code == status


def test_the_start_page_settings_refuse_a_bad_email() -> None:
    response = login("varnamo", Role.ADMIN).post("/staff/public-page/", {"contact_email": "inte-en-adress"})
    assert response.status_code == 400
    assert "Fyll i en giltig e-postadress." in response.content.decode()


@pytest.mark.parametrize(
    ("code", "phrase"), [("ar", "تبرّع عبر Swish"), ("so", "Ku bixi Swish"), ("uk", "Swish")]
)
def test_the_donate_page_is_a_public_page_in_the_newcomers_languages(code: str, phrase: str) -> None:
    body = in_language(code).get("/donate/").content.decode()
    assert f'<html lang="{code}"' in body
    assert phrase in body
