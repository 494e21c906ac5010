"""GET /api/v1/stats/: the board's dashboard as data, on the association's host only, from the rollup only,
with suppressed figures as null and a reason, never their value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from accounts.roles import Role
from api.services import api_token_create
from conftest import demo_user, tenant_client
from stats.dimensions import Hidden, Period, PeriodKind
from stats.models import RollupCell, cut_of
from stats.selectors import dashboard_build, selection_build
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

# A year no demo data reaches, so the figures are exactly the cells made here.
YEAR = 2031


def token(slug: str, role: Role) -> str:
    with Municipality.objects.get(schema_name=slug):
        return api_token_create(user=demo_user(slug, role), name="stats").plaintext


def get(slug: str, bearer: str | None, **params: str) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
    return tenant_client(slug).get("/api/v1/stats/", params, **headers)


def cell(slug: str, metric: str, value: int, hidden: int = Hidden.SHOWN, **dims: str) -> None:
    RollupCell.objects.create(
        tenant=Municipality.objects.get(schema_name=slug),
        period_kind=PeriodKind.YEAR,
        period=dt.date(YEAR, 1, 1),
        metric=metric,
        cut=cut_of(dims),
        value=value,
        hidden=hidden,
        **dims,
    )


@pytest.fixture
def figures(db: None) -> None:
    cell("varnamo", "participants", 42)
    cell("vaggeryd", "participants", 3, Hidden.SMALL)
    cell("varnamo", "attendances", 7, Hidden.COMPLEMENT)
    cell("varnamo", "participants", 40, gender="man")
    cell("varnamo", "participants", 2, Hidden.SMALL, gender="woman")


def figures_in(answer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from answer["totals"].values()
    for table in answer["tables"]:
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
            yield from row["figures"].values()


def test_the_board_gets_the_dashboard_with_suppressed_cells_as_null(figures: None) -> None:
    response = get("iv", token("iv", Role.BOARD), period=str(YEAR))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["period"], answer["period_label"], answer["municipality"]) == (str(YEAR), str(YEAR), None)
    # The total adds up what may be shown and says that a part was left out.
    assert answer["totals"]["participants"] == {
        "value": 42,
        "suppressed": False,
        "suppression": None,
        "partial": True,
        "text": "42*",
    }
    assert answer["totals"]["attendances"]["value"] is None
    assert answer["totals"]["attendances"]["suppression"] == "complementary"
    tables = {table["key"]: table for table in answer["tables"]}
    # The dashboard's own tables, in its order: the endpoint follows the page as it grows.
    dashboard = dashboard_build(actor=None, selection=selection_build(period=Period.parse(str(YEAR))))
    assert list(tables) == [table.key for table in dashboard.tables]
    assert {"municipalities", "trend", "gender", "age", "group", "arena", "category"} <= set(tables)
    by_municipality = {row["key"]: row["figures"]["participants"] for row in tables["municipalities"]["rows"]}
    assert by_municipality["vaggeryd"] == {
        "value": None,
        "suppressed": True,
        "suppression": "fewer_than_5",
        "partial": False,
        "text": "<5",
    }
    by_gender = {row["key"]: row["figures"]["participants"] for row in tables["gender"]["rows"]}
    assert by_gender["man"]["value"] == 40
    assert by_gender["woman"]["value"] is None
    assert by_gender["woman"]["suppressed"]


def test_a_small_figure_never_appears_as_a_number(figures: None) -> None:
    answer = get("iv", token("iv", Role.BOARD), period=str(YEAR)).json()
    for figure in figures_in(answer):
        assert figure["value"] is None or figure["value"] == 0 or figure["value"] >= 5, figure
        if figure["suppressed"]:
            assert figure["value"] is None
    # Nor as text: the hidden values 3, 2 and 7 are nowhere in the answer.
    text = str(answer)
    for hidden in ("'value': 3", "'value': 2", "'value': 7", "'text': '3'", "'text': '2'", "'text': '7'"):
        assert hidden not in text


def test_filters_narrow_to_a_municipality_or_a_county(figures: None) -> None:
    board = token("iv", Role.BOARD)
    one = get("iv", board, period=str(YEAR), municipality="varnamo").json()
    assert one["municipality"] == "varnamo"
    assert [row["key"] for row in one["tables"][0]["rows"]] == ["varnamo"]
    assert one["totals"]["participants"]["value"] == 42
    assert not one["totals"]["participants"]["partial"]
    county = get("iv", board, period=str(YEAR), county="Kronobergs län").json()
    assert [row["label"] for row in county["tables"][0]["rows"]] == ["Växjö"]
    quarter = get("iv", board, period=f"{YEAR}-Q2", age="youth").json()
    assert (quarter["period"], quarter["age"]) == (f"{YEAR}-Q2", "youth")
    assert get("iv", board, municipality="nowhere").status_code == 404
    bad = get("iv", board, period="1999-Q9")
    assert bad.status_code == 400
    assert "period" in bad.json()["error"]["fields"]


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
