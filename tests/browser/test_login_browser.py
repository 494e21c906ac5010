"""The foundation in a real browser: each host shows its own name; a login works on its own host only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import Role
from conftest import browser_login

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
