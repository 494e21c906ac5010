"""GET /api/v1/stats/: the board's dashboard as data, on the association's host only, from the published
figures only: a closed period's as published (perturbed, kept), an open period's months so far, preliminary
figures under 12 as null and a reason, never their value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.utils import timezone

from accounts.models import Role
from api.services import api_token_create
from conftest import demo_user, tenant_client
from stats.dimensions import Period, PeriodKind
from stats.models import PublishedCell, PublishedStatus, cut_of
from stats.selectors import dashboard_build, selection_build
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

# A closed year no demo data reaches, so the figures are exactly the cells made here.
YEAR = 2019


def token(slug: str, role: Role) -> str:
    with Municipality.objects.get(schema_name=slug):
        return api_token_create(user=demo_user(slug, role), name="stats").plaintext


def get(slug: str, bearer: str | None, **params: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
    return tenant_client(slug).get("/api/v1/stats/", params, **headers)


def cell(
    slug: str,
    metric: str,
    value: int | None,
    status: str = PublishedStatus.FINAL,
    kind: str = PeriodKind.YEAR,
    period: dt.date = dt.date(YEAR, 1, 1),
    **dims: str,
) -> None:
    PublishedCell.objects.create(
        tenant=Municipality.objects.get(schema_name=slug),
        period_kind=kind,
        period=period,
        metric=metric,
        cut=cut_of(dims),
        value=value,
        status=status,
        revision=1 if status == PublishedStatus.FINAL else 0,
        true_value=value or 0,
        **dims,
    )


@pytest.fixture
def figures(db: None) -> None:
    cell("varnamo", "participants", 42)
    cell("vaggeryd", "participants", 3)  # a small figure, perturbed: shown like any other
    cell("varnamo", "attendances", None)  # withheld by the audit
    cell("varnamo", "participants", 40, gender="man")
    cell("varnamo", "participants", 2, gender="woman")


@pytest.fixture
def this_month(db: None) -> dt.date:
    """Preliminary totals of the open month: Värnamo's 30 attendances are shown, Vaggeryd's 7 are not."""
    month = timezone.localdate().replace(day=1)
    PublishedCell.objects.filter(period_kind=PeriodKind.MONTH, period=month).delete()
    for slug, value in (("varnamo", 30), ("vaggeryd", 7)):
        cell(slug, "attendances", value, PublishedStatus.PRELIMINARY, PeriodKind.MONTH, month)
    return month


def figures_in(answer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from answer["totals"].values()
    for table in answer["tables"]:
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
            yield from row["figures"].values()


def test_the_board_gets_a_closed_periods_published_figures(figures: None) -> None:
    response = get("iv", token("iv", Role.BOARD), period=str(YEAR))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["period"], answer["period_label"], answer["municipality"]) == (str(YEAR), str(YEAR), None)
    assert answer["preliminary"] is False and answer["revisions"] == []
    assert answer["closes_on"] == f"{YEAR + 1}-01-11"
    # The total adds up the municipalities' published figures.
    assert answer["totals"]["participants"] == {
        "value": 45,
        "status": "final",
        "perturbed": True,
        "suppressed": False,
        "suppression": None,
        "partial": False,
        "text": "45",
    }
    assert answer["totals"]["attendances"]["value"] is None
    assert answer["totals"]["attendances"]["suppression"] == "withheld"
    assert answer["totals"]["attendances"]["text"] == ".."
    assert answer["totals"]["sessions_held"]["perturbed"] is False  # counts no one
    tables = {table["key"]: table for table in answer["tables"]}
    # The dashboard's own tables, in its order: the endpoint follows the page as it grows.
    dashboard = dashboard_build(actor=None, selection=selection_build(period=Period.parse(str(YEAR))))
    assert list(tables) == [table.key for table in dashboard.tables]
    assert {"municipalities", "trend", "gender", "age", "group", "arena", "category"} <= set(tables)
    by_municipality = {row["key"]: row["figures"]["participants"] for row in tables["municipalities"]["rows"]}
    assert by_municipality["vaggeryd"]["value"] == 3 and by_municipality["vaggeryd"]["text"] == "3"
    by_gender = {row["key"]: row["figures"]["participants"] for row in tables["gender"]["rows"]}
    assert by_gender["man"]["value"] == 40 and by_gender["woman"]["value"] == 2


def test_an_open_period_shows_its_months_and_no_small_preliminary_figure(figures: None, this_month) -> None:
    board = token("iv", Role.BOARD)
    answer = get("iv", board, period=str(this_month.year)).json()
    assert answer["preliminary"] is True
    assert [table["key"] for table in answer["tables"]] == ["municipalities", "trend"]
    month = {row["key"]: row["figures"] for row in answer["tables"][1]["rows"]}[f"{this_month:%Y-%m}"]
    # Värnamo's 30 is shown; Vaggeryd's 7 is under 12 and never leaves the database: the sum says so.
    assert month["attendances"]["value"] == 30 and month["attendances"]["partial"]
    assert month["attendances"]["status"] == "preliminary" and month["attendances"]["text"] == "30*"
    one = get("iv", board, period=str(this_month.year), municipality="vaggeryd").json()
    small = {row["key"]: row["figures"] for row in one["tables"][1]["rows"]}[f"{this_month:%Y-%m}"]
    assert small["attendances"] == {
        "value": None,
        "status": "preliminary",
        "perturbed": True,
        "suppressed": True,
        "suppression": "preliminary_small",
        "partial": False,
        "text": "<12",
    }
    assert "'value': 7" not in str(one) and "'text': '7'" not in str(one)
    for figure in figures_in(one):
        if figure["status"] == "preliminary" and figure["perturbed"] and figure["value"] is not None:
            assert figure["value"] == 0 or figure["value"] >= 12


def test_filters_narrow_to_a_municipality_or_a_county(figures: None) -> None:
    board = token("iv", Role.BOARD)
    one = get("iv", board, period=str(YEAR), municipality="varnamo").json()
    assert one["municipality"] == "varnamo"
    assert [row["key"] for row in one["tables"][0]["rows"]] == ["varnamo"]
    assert one["totals"]["participants"]["value"] == 42 and not one["totals"]["participants"]["partial"]
    county = get("iv", board, period=str(YEAR), county="Kronobergs län").json()
    assert [row["label"] for row in county["tables"][0]["rows"]] == ["Växjö"]
    quarter = get("iv", board, period=f"{YEAR}-Q2", age="youth").json()
    assert (quarter["period"], quarter["age"]) == (f"{YEAR}-Q2", "youth")
    assert get("iv", board, municipality="nowhere").status_code == 404
    bad = get("iv", board, period="1999-Q9")
    assert bad.status_code == 400 and "period" in bad.json()["error"]["fields"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_other_roles_of_the_association_are_refused(role: Role) -> None:
    response = get("iv", token("iv", role))
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403


def test_a_municipality_coordinator_is_refused_on_the_association_host() -> None:
    response = get("iv", token("varnamo", Role.COORDINATOR))
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_a_municipality_host_has_no_statistics_endpoint(role: Role) -> None:
    response = get("varnamo", token("varnamo", role))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_anonymous_is_401_on_every_host() -> None:
    for slug in ("iv", "varnamo"):
        assert get(slug, None).status_code == 401


def test_the_contract_describes_the_endpoint_and_its_errors() -> None:
    schema = yaml.safe_load(tenant_client("iv").get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/stats/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"period", "municipality", "county", "age"}
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    figure = schema["components"]["schemas"]["Figure"]
    assert figure["properties"]["value"]["nullable"] is True
    assert {"status", "perturbed", "suppressed", "suppression", "partial", "text"} <= set(
        figure["properties"]
    )
