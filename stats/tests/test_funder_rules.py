"""LOK-stöd and study hours, as documented: counted exactly on a municipality's own host."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, Session, VolunteerHours
from conftest import login
from stats.dimensions import Period, PeriodKind
from stats.selectors import ReportScope, funder_report_build
from stats.tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    ProjectFactory,
    SessionFactory,
    at,
)
from stats.views import local_report_cells
from tenants.models import Municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("varnamo_without_demo_data")]
YEAR = Period(PeriodKind.YEAR, dt.date(2025, 1, 1))


def _session(activity: Activity, day: int, ages: list[int], minutes: int = 90) -> Session:
    session = SessionFactory.create(activity=activity, starts_at=at(dt.date(2025, 5, day)))
    session.ends_at = session.starts_at + dt.timedelta(minutes=minutes)
    session.save()
    for age in ages:
        AttendanceFactory.create(
            session=session,
            person=PersonFactory.create(birth_date=dt.date(2025 - age, 1, 1), birth_year=2025 - age),
        )
    return session


def test_lok_counts_sessions_with_three_young_participants_and_a_leader(varnamo: Municipality) -> None:
    with varnamo:
        leader = User.objects.get(email="volunteer@varnamo.demo")
        activity = ActivityFactory.create()
        project = ProjectFactory.create()
        project.activities.add(activity)
        led = _session(activity, 1, [8, 15, 25, 40])  # three aged 7–25, hours logged
        VolunteerHours.objects.create(
            user=leader, activity=activity, session=led, date=led.starts_at.date(), minutes=90
        )
        two_young = _session(activity, 2, [10, 12, 30])
        VolunteerHours.objects.create(
            user=leader, activity=activity, session=two_young, date=two_young.starts_at.date(), minutes=90
        )
        _session(activity, 3, [9, 10, 11])  # no leader there
        with_leader = ActivityFactory.create()
        with_leader.leaders.add(leader)
        project.activities.add(with_leader)
        _session(with_leader, 4, [7, 7, 26, 6])  # only two aged 7–25
        _session(with_leader, 5, [16, 17, 18], minutes=45)  # an activity leader recorded
        cells = local_report_cells(period=YEAR, scope=ReportScope(project=project.pk), tenant_id=varnamo.pk)
    report = funder_report_build(
        period=YEAR, scope=ReportScope(project=project.pk), cells=cells, where="Värnamo", exact=True
    )
    summary = {row.key: row.figures["value"] for row in report.summary.rows}
    assert summary["lok_sessions"].value == 2
    assert summary["lok_attendances"].value == 6
    assert report.lok.total is not None
    assert report.lok.total.figures["lok_attendances"].value == 6
    # Study hours: 45 minutes make one; participant study hours multiply by those present.
    minutes = 4 * 90 + 45
    assert summary["study_minutes"].number == round(minutes / 45, 1)
    present_minutes = 90 * 4 + 90 * 3 + 90 * 3 + 90 * 4 + 45 * 3
    assert summary["participant_minutes"].number == round(present_minutes / 45, 1)
    # Arvsfonden's ages: 0–11, 12–25, 26+ (exact figures on the municipality's own host).
    arvs = {row.key: row.figures["all"].value for row in report.arvs_participants.rows}
    assert arvs == {"0-11": 8, "12-25": 6, "26+": 3, "unknown": 0}


def test_local_report_page_shows_exact_figures(varnamo: Municipality) -> None:
    with varnamo:
        activity = ActivityFactory.create()
        project = ProjectFactory.create(name="Vänskap i Värnamo")
        project.activities.add(activity)
        _session(activity, 6, [9, 30])
    response = login("varnamo", Role.COORDINATOR).get(f"/staff/reports/?period=2025&project={project.pk}")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.exact
    assert {row.key: row.figures["all"].text for row in report.arvs_participants.rows}["0-11"] == "1"
    csv_response = login("varnamo", Role.ADMIN).get(
        f"/staff/reports/export.csv?period=2025&project={project.pk}"
    )
    assert "Vänskap i Värnamo" in csv_response.content.decode("utf-8-sig")
