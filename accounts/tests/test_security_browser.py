"""Strong logins in a real browser: the admin's code step, the users page, the audit log, no CSP errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from accounts.roles import Role
from conftest import ARTIFACTS, DEMO_PASSWORD, browser_login, demo_totp_code

pytestmark = pytest.mark.browser


def csp_violations(page: Any) -> list[str]:
    messages: list[str] = []
    page.on(
        "console", lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return messages


def test_admin_passes_the_code_step_on_a_phone_and_invites_a_volunteer(
    phone: Any, live_url: Callable[[str, str], str]
) -> None:
    violations = csp_violations(phone)
    phone.goto(live_url("varnamo", "/accounts/login/"))
    phone.get_by_label("E-post").fill("admin@varnamo.demo")
    phone.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Logga in").click()
    phone.wait_for_load_state()
    assert "/accounts/two-factor/verify/" in phone.url
    assert phone.get_by_role("heading", level=1).inner_text() == "Ange din kod"
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "two_factor_verify_phone.png"), full_page=True)
    phone.get_by_label("Kod från din autentiseringsapp").fill(demo_totp_code("varnamo", Role.ADMIN))
    phone.get_by_role("button", name="Fortsätt").click()
    phone.wait_for_load_state()
    assert phone.url == live_url("varnamo", "/staff/")

    phone.goto(live_url("varnamo", "/staff/users/"))
    email = f"volontar.{uuid.uuid4().hex[:8]}@varnamo.example"
    phone.get_by_label("E-post", exact=True).fill(email)
    phone.get_by_label("Roll").select_option("volunteer")
    phone.get_by_role("button", name="Skicka inbjudan").click()
    phone.wait_for_load_state()
    assert f"Inbjudan skickad till {email}" in phone.locator(".messages").inner_text()
    assert email in phone.get_by_role("table", name="Inbjudningar som inte accepterats än").inner_text()
    assert violations == []


def test_audit_log_and_two_factor_setup_pages_on_desktop(
    desktop: Any, live_url: Callable[[str, str], str]
) -> None:
    violations = csp_violations(desktop)
    browser_login(desktop, live_url, "varnamo", Role.ADMIN)
    desktop.goto(live_url("varnamo", "/staff/audit/"))
    assert desktop.get_by_role("heading", level=1).inner_text() == "Granskningslogg"
    desktop.get_by_label("Händelse").select_option("create")
    desktop.get_by_role("button", name="Sök").click()
    desktop.wait_for_load_state()
    assert "action=create" in desktop.url
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "audit_log_desktop.png"), full_page=True)

    # A coordinator may turn two-factor on: the set-up page shows the QR code inline (allowed by the CSP).
    desktop.context.clear_cookies()
    browser_login(desktop, live_url, "varnamo", Role.COORDINATOR)
    desktop.goto(live_url("varnamo", "/accounts/two-factor/setup/"))
    assert desktop.locator("figure.qr svg").is_visible()
    assert len(desktop.locator("code.secret").inner_text().replace(" ", "")) == 32
    desktop.screenshot(path=str(ARTIFACTS / "two_factor_setup_desktop.png"), full_page=True)
    assert violations == []
