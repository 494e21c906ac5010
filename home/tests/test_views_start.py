"""The start page: a coordinator's month at a glance, a volunteer's sessions and their big button."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, Session
from tests.support.factories import AttendanceFactory, SessionFactory

pytestmark = pytest.mark.django_db


def queries_of(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    return sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET")), page


def test_the_coordinator_sees_this_months_figures_and_charts_with_their_numbers(
    client_as: Callable[[Role], Client],
) -> None:
    response = client_as(Role.COORDINATOR).get("/staff/")
    page = response.content.decode()
    figures = response.context["figures"]
    assert figures.attendances > 0
    assert figures.participants > 0
    assert figures.sessions_held > 0
    assert f'data-figure="attendances">{figures.attendances}<' in page
    assert page.count("<svg") == 2
    assert 'role="img"' in page
    assert "<title" in page
    assert page.count("<table>") == 2  # each chart carries its numbers
    assert "Deltagartillfällen per månad" in page
    assert "Deltagare efter ålder och kön" in page
    assert "Kommande tillfällen" in page
    assert "Rapporteringsdatum" in page
    assert "Du är inloggad som Samordnare i Värnamo." in page


def test_the_coordinators_start_page_runs_a_fixed_number_of_queries(
    client_as: Callable[[Role], Client],
) -> None:
    client = client_as(Role.COORDINATOR)
    before, _ = queries_of(client, "/staff/")
    activity = Activity.objects.get(title="Språkcafé")
    for _ in range(20):
        AttendanceFactory.create(
            session=SessionFactory.create(
                activity=activity, starts_at=timezone.now() - dt.timedelta(minutes=5)
            )
        )
    after, _ = queries_of(client, "/staff/")
    assert before == after


def test_a_new_attendance_is_counted_on_the_start_page(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COORDINATOR)
    before = client.get("/staff/").context["figures"]
    AttendanceFactory.create(
        session=SessionFactory.create(starts_at=timezone.now() - dt.timedelta(minutes=5))
    )
    after = client.get("/staff/").context["figures"]
    assert (after.attendances, after.participants, after.new_people) == (
        before.attendances + 1,
        before.participants + 1,
        before.new_people + 1,
    )


def test_a_volunteer_gets_their_sessions_and_a_big_take_attendance_button(
    client_as: Callable[[Role], Client], volunteer: User
) -> None:
    response = client_as(Role.VOLUNTEER).get("/staff/")
    page = response.content.decode()
    target = response.context["target"]
    assert target is not None
    assert volunteer in target.activity.leaders.all()
    assert f'href="/staff/sessions/{target.pk}/attendance/"' in page
    assert "Ta närvaro" in page
    assert "figures" not in response.context
    for session in [*response.context["today_sessions"], *response.context["week_sessions"]]:
        assert volunteer in session.activity.leaders.all()


def test_the_big_button_prefers_todays_session(client_as: Callable[[Role], Client], volunteer: User) -> None:
    activity = Activity.objects.get(title="Ungdomsfotboll")
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    session = Session.objects.filter(
        activity=activity, starts_at__date=today
    ).first() or SessionFactory.create(activity=activity, starts_at=noon)
    response = client_as(Role.VOLUNTEER).get("/staff/")
    assert timezone.localdate(response.context["target"].starts_at) == today
    assert (
        session in response.context["today_sessions"]
        or response.context["target"] in response.context["today_sessions"]
    )


def test_the_follow_up_page_lists_in_a_fixed_number_of_queries(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COORDINATOR)
    count, page = queries_of(client, "/staff/follow-up/")
    assert "Frånvarande 3 tillfällen i rad" in page
    assert "Ingen närvaro på 60 dagar" in page
    activity = Activity.objects.get(title="Jobbklubben")
    for _ in range(5):
        SessionFactory.create(activity=activity, starts_at=timezone.now() - dt.timedelta(minutes=30))
    assert queries_of(client, "/staff/follow-up/")[0] == count
