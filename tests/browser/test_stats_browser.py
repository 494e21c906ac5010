"""The board's statistics in a real browser: compare municipalities in a closed quarter, filter to Värnamo's
youth, see the open year as preliminary, export an Arvsfonden project's report as PDF; every figure of people
is a number (perturbed, at most ±2) or one of the documented marks."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from accounts.models import Role, User
from conftest import ARTIFACTS, browser_login
from core.models import Activity, Household, Partner, Person, Project
from core.services.pathways import pathway_create, pathway_stage_change
from stats.services import tenant_recompute
from stats.tests.factories import PersonFactory
from stats.tests.scenario import network_build
from tenants.models import Municipality

pytestmark = pytest.mark.browser

MARK = "Webbtest"
SLUGS = ("varnamo", "vaggeryd", "gislaved", "vaxjo")


def _cleanup() -> None:
    for slug in SLUGS:
        tenant = Municipality.objects.get(schema_name=slug)
        with tenant:
            Activity.objects.filter(title__startswith=MARK).delete()
            Person.objects.filter(first_name__startswith=MARK).delete()
            Household.objects.filter(name__startswith=MARK).delete()
            Project.objects.filter(name__startswith=MARK).delete()
            Partner.objects.filter(name__startswith=MARK).delete()
        tenant_recompute(tenant=tenant)


@pytest.fixture
def network_2026(live_url: Callable[[str, str], str]) -> Iterator[None]:
    """Committed data in the four demo municipalities (browser tests see only committed rows); removed after."""
    _cleanup()
    try:
        for seed, slug in enumerate(SLUGS, start=40):
            tenant = Municipality.objects.get(schema_name=slug)
            with tenant:
                network_build(seed=seed, people=45, sessions=40, year=2026, name=f"{MARK} {slug}")
                _pathways(seed)
            tenant_recompute(tenant=tenant)
        yield
    finally:
        _cleanup()


def _pathways(seed: int) -> None:
    """Pathways into the three arenas at every stage, through the services (current tenant)."""
    coordinator = User.objects.get(email=f"coordinator@{connection.schema_name}.demo")
    partner = Partner.objects.create(name=f"{MARK} IF")
    rng = random.Random(seed)
    for n in range(24):
        person = PersonFactory(first_name=f"{MARK} lots {n}")
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
        arena = ("club_life", "community_life", "working_life")[n % 3]
        pathway = pathway_create(actor=coordinator, person=person, arena=arena, goal="Mål", interest_on=day)
        for stage in ("referred", "started")[: rng.randint(0, 2)]:
            day += dt.timedelta(days=rng.randint(1, 40))
            pathway = pathway_stage_change(
                actor=coordinator, pathway=pathway, stage=stage, on=day, partner=partner
            )


def _assert_numbers_or_marks(page: Any) -> None:
    texts = page.locator("[data-people]").all_inner_texts()
    assert texts
    for text in texts:
        plain = text.replace("*", "").replace("\u00a0", "").replace(" ", "").strip()
        assert re.fullmatch(r"\d+(,\d+)?", plain) or plain in {"<12", "..", "–"}, text
    assert "högst ±2" in page.locator("section[aria-labelledby='legend-heading']").inner_text()


def test_board_compares_filters_and_exports_a_funder_report(
    desktop: Any, live_url: Callable[[str, str], str], network_2026: None
) -> None:
    browser_login(desktop, live_url, "iv", Role.BOARD)
    desktop.get_by_role("link", name="Statistik").first.click()
    desktop.wait_for_load_state()
    # A closed quarter: published once, with every breakdown.
    desktop.get_by_label("Period", exact=True).select_option("2026-Q2")
    desktop.get_by_role("button", name="Visa", exact=True).click()
    desktop.wait_for_load_state()
    comparison = desktop.locator("table", has=desktop.locator("caption", has_text="Kommuner jämförda"))
    for name in ("Värnamo", "Vaggeryd och Skillingaryd", "Gislaved", "Växjö"):
        assert comparison.get_by_role("rowheader", name=name).is_visible()
    assert desktop.locator("svg.chart").count() == 9
    pathways = desktop.locator(
        "table", has=desktop.locator("caption", has_text="Lotsningar per arena och steg")
    )
    assert pathways.get_by_role("rowheader", name="Föreningsliv").is_visible()
    _assert_numbers_or_marks(desktop)

    desktop.get_by_label("Kommun", exact=True).select_option("varnamo")
    desktop.get_by_label("Ålder", exact=True).select_option("youth")
    desktop.get_by_role("button", name="Visa", exact=True).click()
    desktop.wait_for_load_state()
    assert desktop.locator(".lead").inner_text() == "Kvartal 2 2026 · Värnamo · Unga 13–25"
    _assert_numbers_or_marks(desktop)
    desktop.screenshot(path=str(ARTIFACTS / "stats_dashboard_varnamo_youth_2026.png"), full_page=True)

    # The year has not closed: its months so far, preliminary, and nothing cut by age.
    desktop.get_by_label("Period", exact=True).select_option("2026")
    desktop.get_by_label("Ålder", exact=True).select_option("")
    desktop.get_by_role("button", name="Visa", exact=True).click()
    desktop.wait_for_load_state()
    assert "Preliminärt" in desktop.get_by_role("status").first.inner_text()
    assert desktop.locator("svg.chart").count() == 2
    _assert_numbers_or_marks(desktop)

    desktop.goto(live_url("iv", "/board/reports/"))
    desktop.get_by_label("Period", exact=True).select_option("2026-Q2")
    desktop.get_by_label("Projekt", exact=True).select_option(
        label=f"Värnamo – {MARK} varnamo Arvsfondsprojekt (Allmänna Arvsfonden)"
    )
    desktop.get_by_role("button", name="Visa rapport").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", name=f"{MARK} varnamo Arvsfondsprojekt").is_visible()
    _assert_numbers_or_marks(desktop)
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="PDF-rapport").click()
    target = ARTIFACTS / "stats_arvsfonden_report.pdf"
    download.value.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
