"""The foundation in a real browser: each host shows its own name; a login works on its own host only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.roles import Role
from conftest import ARTIFACTS, browser_login
from portal.tests.test_browser_signup import axe_violations

pytestmark = pytest.mark.browser


def test_coordinator_logs_in_on_a_phone_and_the_session_stays_on_its_host(
    phone: Any, live_url: Callable[[str, str], str]
) -> None:
    browser_login(phone, live_url, "varnamo", Role.COORDINATOR)
    assert phone.url == live_url("varnamo", "/staff/")
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert "Värnamo" in phone.locator(".site-name").inner_text()

    # The same browser on Vaggeryd's host is not signed in: cookies and sessions are per host.
    phone.goto(live_url("vaggeryd", "/staff/"))
    assert "/accounts/login/" in phone.url
    assert "Vaggeryd och Skillingaryd" in phone.get_by_role("heading", level=1).inner_text()


def test_public_site_links_to_each_municipality(desktop: Any, live_url: Callable[[str, str], str]) -> None:
    desktop.goto(live_url("public", "/"))
    desktop.get_by_role("link", name="Växjö").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", level=1).inner_text() == "Växjö"


def test_language_switch_to_english_is_remembered(phone: Any, live_url: Callable[[str, str], str]) -> None:
    phone.goto(live_url("gislaved", "/"))
    phone.get_by_label("Språk").select_option("en")
    phone.get_by_role("button", name="Byt språk").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    phone.goto(live_url("gislaved", "/accounts/login/"))
    assert phone.get_by_role("button", name="Log in").is_visible()


def test_the_staff_menu_folds_behind_a_button_on_a_phone(
    chromium: Any, live_url: Callable[[str, str], str]
) -> None:
    # bypass_csp lets the test inject axe-core; the pages themselves never run inline scripts.
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, bypass_csp=True
    )
    phone = context.new_page()
    try:
        browser_login(phone, live_url, "varnamo", Role.ADMIN)
        menu = phone.get_by_role("navigation", name="Huvudmeny")
        # Closed: the page starts with its own heading, not with twenty links (it was below them).
        assert not menu.get_by_role("link", name="Personer").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "staff_menu_closed_on_a_phone.png"))
        assert phone.get_by_role("heading", level=1).bounding_box()["y"] < 740 / 3  # in the top third
        phone.get_by_text("Meny", exact=True).click()
        work = menu.get_by_role("group", name="Verksamhet")
        settings = menu.get_by_role("group", name="Inställningar")
        assert work.get_by_role("link", name="Personer").is_visible()
        assert settings.get_by_role("link", name="Användare").is_visible()
        box = work.get_by_role("link", name="Personer").bounding_box()
        assert box["height"] >= 44  # a thumb's target
        assert axe_violations(phone) == []
        phone.screenshot(path=str(ARTIFACTS / "staff_menu_open_on_a_phone.png"), full_page=True)
        settings.get_by_role("link", name="Användare").click()
        phone.wait_for_load_state()
        assert phone.url == live_url("varnamo", "/staff/users/")
    finally:
        context.close()


def test_the_staff_menu_is_a_row_of_links_on_a_wide_screen_and_without_javascript(
    chromium: Any, desktop: Any, live_url: Callable[[str, str], str]
) -> None:
    browser_login(desktop, live_url, "varnamo", Role.COORDINATOR)
    assert (
        desktop.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Personer").is_visible()
    )
    assert not desktop.get_by_text("Meny", exact=True).is_visible()

    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    phone = context.new_page()
    try:
        browser_login(phone, live_url, "varnamo", Role.COORDINATOR)
        assert (
            phone.get_by_role("navigation", name="Huvudmeny")
            .get_by_role("link", name="Personer")
            .is_visible()
        )
    finally:
        context.close()
