"""In real Chromium: the Värnamo admin opens everything held about a person, on a phone and a desktop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accounts.roles import Role
from conftest import ARTIFACTS, browser_login

pytestmark = pytest.mark.browser


def _open_first_person_export(page: Any, live_url: Callable[[str, str], str]) -> None:
    browser_login(page, live_url, "varnamo", Role.ADMIN)
    page.goto(live_url("varnamo", "/staff/people/"))
    page.locator("table a[href^='/staff/people/']").first.click()
    page.get_by_role("link", name="Allt om personen (registerutdrag)").click()
    page.wait_for_load_state()


def _shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_admin_reads_the_export_on_a_phone(phone: Any, live_url: Callable[[str, str], str]) -> None:
    _open_first_person_export(phone, live_url)
    assert phone.get_by_role("heading", name="Vem som sett eller ändrat uppgifterna").is_visible()
    assert phone.get_by_role("link", name="Ladda ner som JSON").is_visible()
    # The page's own view is already in the audit trail it shows.
    assert phone.locator("#h-audit ~ .table-wrap tbody tr").count() >= 1
    # Nothing sticks out sideways at 360 px.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    _shot(phone, "privacy-export-phone.png")


def test_admin_sees_retention_page_on_desktop(desktop: Any, live_url: Callable[[str, str], str]) -> None:
    browser_login(desktop, live_url, "varnamo", Role.ADMIN)
    desktop.get_by_role("link", name="Gallring").first.click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", name="Gallringstid").is_visible()
    assert desktop.get_by_label("Månader utan aktivitet").input_value() == "24"
    _shot(desktop, "privacy-retention-desktop.png")
