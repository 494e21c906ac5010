"""Projects and funders: period and budget rules, linked activities, reporting dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import User
from activities.models import Project, ReportingDate
from activities.services.projects import (
    ProjectData,
    project_create,
    project_update,
    reporting_date_add,
    reporting_date_set_done,
)
from core.errors import CoreError
from tests.support.factories import ActivityFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def data(**changes: object) -> ProjectData:
    fields: dict[str, object] = {
        "name": "Tillsammans i Värnamo",
        "funder_kind": "arvsfonden",
        "funder_name": "Allmänna Arvsfonden",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2028, 12, 31),
        "budget_sek": Decimal(2_400_000),
        **changes,
    }
    return ProjectData(**fields)  # type: ignore[arg-type]


def test_a_project_links_its_activities(coordinator: User) -> None:
    football, cafe = ActivityFactory.create(), ActivityFactory.create()
    project = project_create(actor=coordinator, data=data(activities=[football, cafe]))
    assert set(project.activities.all()) == {football, cafe}
    project = project_update(
        actor=coordinator, project=project, data=data(name="Nytt namn", activities=[cafe])
    )
    assert (project.name, list(project.activities.all())) == ("Nytt namn", [cafe])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": dt.date(2025, 12, 31)}, "ends_on", "Projektet måste sluta"),
        ({"budget_sek": Decimal(-1)}, "budget_sek", "Budgeten kan inte vara mindre än noll."),
        ({"name": "  "}, "name", "Ge projektet ett namn."),
        ({"funder_kind": "bank"}, "funder_kind", "Välj bidragsgivare."),
    ],
)
def test_bad_project_input_writes_nothing(
    coordinator: User, changes: dict[str, object], field: str, message: str
) -> None:
    before = Project.objects.count()
    with pytest.raises(CoreError) as error:
        project_create(actor=coordinator, data=data(**changes))
    assert error.value.field == field
    assert error.value.message.startswith(message)
    assert Project.objects.count() == before


def test_a_failed_update_leaves_the_project_as_it_was(coordinator: User) -> None:
    project = ProjectFactory.create(name="Före")
    with pytest.raises(CoreError):
        project_update(actor=coordinator, project=project, data=data(name="Efter", budget_sek=Decimal(-5)))
    project.refresh_from_db()
    assert project.name == "Före"


def test_reporting_dates_are_added_and_marked_done(coordinator: User) -> None:
    project = ProjectFactory.create()
    due = reporting_date_add(
        actor=coordinator, project=project, due_on=dt.date(2026, 6, 30), description=" Lägesrapport "
    )
    assert due.description == "Lägesrapport"
    reporting_date_set_done(actor=coordinator, reporting_date=due, done=True)
    assert ReportingDate.objects.get(pk=due.pk).done
    with pytest.raises(CoreError, match="Skriv vad"):
        reporting_date_add(actor=coordinator, project=project, due_on=dt.date(2026, 6, 30), description="")
