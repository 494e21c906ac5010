"""Board pages on the association's host, funder reports on a municipality's host: who gets in, what they see."""

from __future__ import annotations

import io

import pytest

from accounts.models import Role
from conftest import login, tenant_client
from stats.dimensions import Period
from stats.selectors import dashboard_build, selection_build
from stats.services import tenant_recompute
from stats.tests.scenario import network_build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("varnamo_without_demo_data")]

BOARD_PAGES = [
    "/board/statistics/",
    "/board/statistics/export.csv",
    "/board/statistics/export.xlsx",
    "/board/reports/",
    "/board/members/",
]
LOCAL_PAGES = ["/staff/reports/"]


@pytest.fixture
def figures(varnamo, vaggeryd):
    for tenant, seed in ((varnamo, 21), (vaggeryd, 22)):
        with tenant:
            network_build(seed=seed, people=30, sessions=20)
        tenant_recompute(tenant=tenant)


@pytest.mark.parametrize("path", BOARD_PAGES)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER, Role.BOARD])
def test_only_the_board_of_the_association_opens_board_pages(path: str, role: Role) -> None:
    response = login("iv", role).get(path)
    assert response.status_code == (200 if role == Role.BOARD else 403)


@pytest.mark.parametrize("path", [*BOARD_PAGES, "/board/statistics/export.pdf"])
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_a_municipality_user_reaches_no_board_page(path: str, role: Role) -> None:
    assert login("varnamo", role).get(path).status_code == 403


@pytest.mark.parametrize("path", [*BOARD_PAGES, *LOCAL_PAGES])
def test_anonymous_users_go_to_login(path: str) -> None:
    for slug in ("iv", "varnamo"):
        response = tenant_client(slug).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("slug", ["varnamo", "vaggeryd", "gislaved", "vaxjo"])
@pytest.mark.parametrize("path", ["/staff/", "/staff/users/", "/staff/reports/"])
def test_a_board_member_reaches_no_page_of_any_municipality(slug: str, path: str) -> None:
    board = login("iv", Role.BOARD)
    client = tenant_client(slug)
    client.cookies["sessionid"] = board.cookies["sessionid"].value
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_board_member_gets_no_personal_data_page_on_the_association() -> None:
    assert login("iv", Role.BOARD).get("/staff/users/").status_code == 403


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_local_reports_are_for_admins_and_coordinators(role: Role) -> None:
    response = login("varnamo", role).get("/staff/reports/")
    assert response.status_code == (403 if role == Role.VOLUNTEER else 200)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.BOARD])
def test_the_association_has_no_local_reports(role: Role) -> None:
    assert login("iv", role).get("/staff/reports/").status_code == 403


def test_another_municipalitys_session_is_refused_on_local_reports() -> None:
    vaggeryd = login("vaggeryd", Role.ADMIN)
    client = tenant_client("varnamo")
    client.cookies["sessionid"] = vaggeryd.cookies["sessionid"].value
    assert client.get("/staff/reports/").status_code == 302


def test_dashboard_compares_municipalities_with_charts_and_tables(figures) -> None:
    response = login("iv", Role.BOARD).get("/board/statistics/?period=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart"') == 9  # incl. pathways by stage and the steps taken
    for name in ("Värnamo", "Vaggeryd och Skillingaryd", "Gislaved", "Växjö"):
        assert name in html
    assert "<caption>" in html and 'role="img"' in html
    dashboard = response.context["dashboard"]
    assert [row.label for row in dashboard.table("municipalities").rows] == [
        "Gislaved",
        "Vaggeryd och Skillingaryd",
        "Värnamo",
        "Växjö",
    ]


def test_filters_narrow_to_one_municipality_and_an_age_group(figures) -> None:
    response = login("iv", Role.BOARD).get("/board/statistics/?period=2025&municipality=varnamo&age=youth")
    dashboard = response.context["dashboard"]
    assert [row.label for row in dashboard.table("municipalities").rows] == ["Värnamo"]
    assert dashboard.selection.age == "youth"
    assert [row.key for row in dashboard.table("age").rows] == ["13-19", "20-25"]
    county = login("iv", Role.BOARD).get("/board/statistics/?period=2025&county=Kronobergs+län")
    assert [row.label for row in county.context["dashboard"].table("municipalities").rows] == ["Växjö"]


def test_bad_filters_fall_back_with_a_message() -> None:
    response = login("iv", Role.BOARD).get("/board/statistics/?period=1999-Q9&municipality=nowhere")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("key", ["2025", "2025-Q2", "current"])
def test_the_dashboard_reads_the_published_figures_in_four_queries(figures, key: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    period = Period.parse(str(timezone.localdate().year) if key == "current" else key)
    selection = selection_build(period=period)
    with CaptureQueriesContext(connection) as queries:
        dashboard_build(actor=None, selection=selection)
    # django-tenants may repeat its SET search_path; the reads are the same few, whatever the number of
    # members, and never touch the rollup's true counts (an open period stops after the log).
    reads = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
    assert len(reads) == (3 if key == "current" else 4)
    assert all('"stats_publishedcell"' in sql or '"stats_publicationrevision"' in sql for sql in reads)
    assert not any('"stats_rollupcell"' in sql for sql in reads)


def test_every_export_carries_the_pages_figures_and_the_method(figures) -> None:
    """The page, its CSV, its XLSX and its PDF are made from the same published figures."""
    from openpyxl import load_workbook

    client = login("iv", Role.BOARD)
    page = client.get("/board/statistics/?period=2025")
    dashboard = page.context["dashboard"]
    csv_text = client.get("/board/statistics/export.csv?period=2025&view=gender").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "Internationella Vänner – Statistik"
    rows = [line.split(";") for line in csv_text.splitlines()]
    gender = dashboard.table("gender")
    for row in gender.rows:
        assert [row.label, *(row.figures[m].text for m in gender.metrics)] in rows
    assert "Siffror om människor är störda med högst ±2" in csv_text
    assert "Siffror om människor är störda med högst ±2" in page.content.decode()
    xlsx = client.get("/board/statistics/export.xlsx?period=2025")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 10
    sheet = book[next(name for name in book.sheetnames if "kön" in name.lower())]
    published = {row.label: [row.figures[m].number for m in gender.metrics] for row in gender.rows}
    for values in sheet.iter_rows(min_row=5, values_only=True):
        if values[0] in published:
            assert list(values[1 : 1 + len(gender.metrics)]) == published[values[0]]
    pdf = client.get("/board/statistics/export.pdf?period=2025")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get("/board/statistics/export.doc?period=2025").status_code == 404


def test_member_overview_shows_status_join_date_and_last_activity(figures) -> None:
    html = login("iv", Role.BOARD).get("/board/members/").content.decode()
    assert "Senaste aktivitet" in html
    assert "december 2025" in html or "november 2025" in html
    assert "Aktiv" in html


def test_board_funder_report_for_a_project(figures, varnamo) -> None:
    from stats.models import ProjectRef

    ref = ProjectRef.objects.get(tenant=varnamo)
    client = login("iv", Role.BOARD)
    response = client.get(f"/board/reports/?period=2025&project=varnamo:{ref.project}")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.title == ref.name and report.where == "Värnamo"
    assert [row.key for row in report.arvs_participants.rows] == ["0-11", "12-25", "26+", "unknown"]
    pdf = client.get(f"/board/reports/export.pdf?period=2025&project=varnamo:{ref.project}")
    assert pdf.content.startswith(b"%PDF")


def test_a_report_needs_a_project_or_a_funder() -> None:
    response = login("iv", Role.BOARD).get("/board/reports/?period=2025")
    assert "Välj ett projekt eller en bidragsgivare." in response.content.decode()
    assert response.context["report"] is None
