"""Project pages: funders, period and budget errors in Swedish, reporting dates on the project and start page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from activities.models import Activity, Project, ReportingDate
from tests.support.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def form(**changes: object) -> dict[str, object]:
    return {
        "name": "Språkvänner",
        "funder_kind": "lansstyrelsen",
        "funder_name": "Länsstyrelsen i Jönköpings län",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "budget_sek": "350000",
        **changes,
    }


@pytest.fixture
def client(client_as: Callable[[Role], Client]) -> Client:
    return client_as(Role.COORDINATOR)


def test_a_project_is_created_with_its_activities(client: Client) -> None:
    cafe = Activity.objects.get(title="Språkcafé")
    response = client.post("/staff/projects/new/", form(activities=[cafe.pk]))
    project = Project.objects.get(name="Språkvänner")
    assert response["Location"] == f"/staff/projects/{project.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Länsstyrelsen: Länsstyrelsen i Jönköpings län" in page
    assert "350 000 kr" in page or "350\xa0000 kr" in page
    assert "Språkcafé" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2026-12-31"}, "Projektet måste sluta samma dag som det börjar eller senare."),
        ({"budget_sek": "-1"}, "Budgeten kan inte vara mindre än noll."),
        ({"budget_sek": "12,5"}, "Fyll i ett tal."),
        ({"starts_on": "i morgon"}, "Fyll i ett giltigt datum."),
    ],
)
def test_bad_input_is_explained_and_writes_nothing(
    client: Client, changes: dict[str, object], message: str
) -> None:
    before = Project.objects.count()
    response = client.post("/staff/projects/new/", form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Project.objects.count() == before


def test_a_budget_is_written_as_swedes_write_it(client: Client) -> None:
    client.post("/staff/projects/new/", form(budget_sek="1 250 000 kr"))
    assert Project.objects.get(name="Språkvänner").budget_sek == 1_250_000


def test_editing_a_project(client: Client) -> None:
    project = ProjectFactory.create()
    assert 'value="2025-01-01"' in client.get(f"/staff/projects/{project.pk}/edit/").content.decode()
    client.post(f"/staff/projects/{project.pk}/edit/", form(name="Nytt namn"))
    project.refresh_from_db()
    assert (project.name, project.budget_sek) == ("Nytt namn", Decimal(350000))


def test_reporting_dates_are_added_listed_and_marked_done(client: Client) -> None:
    project = ProjectFactory.create(name="Rapportprojektet")
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    bad = client.post(
        f"/staff/projects/{project.pk}/reporting-dates/new/", {"due_on": due, "description": ""}
    )
    assert bad.status_code == 400
    assert "Det här fältet måste fyllas i." in bad.content.decode()
    client.post(
        f"/staff/projects/{project.pk}/reporting-dates/new/", {"due_on": due, "description": "Delrapport"}
    )
    reporting_date = ReportingDate.objects.get(project=project)
    assert "Delrapport" in client.get(f"/staff/projects/{project.pk}/").content.decode()
    start = client.get("/staff/").content.decode()
    assert "Rapportprojektet</a>: Delrapport" in start
    client.post(f"/staff/projects/{project.pk}/reporting-dates/{reporting_date.pk}/done/", {"done": "1"})
    assert ReportingDate.objects.get(pk=reporting_date.pk).done
    assert "Rapportprojektet</a>: Delrapport" not in client.get("/staff/").content.decode()
    other = ProjectFactory.create()
    assert (
        client.post(
            f"/staff/projects/{other.pk}/reporting-dates/{reporting_date.pk}/done/", {"done": "1"}
        ).status_code
        == 404
    )


def test_the_project_list_shows_funders_and_next_report(client: Client) -> None:
    response = client.get("/staff/projects/")
    names = [p.name for p in response.context["page"].object_list]
    assert "Tillsammans i Värnamo" in names
    assert "Vägar till arbete" in names
    assert "Region Jönköpings län" in response.content.decode()
