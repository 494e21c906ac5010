"""In real Chromium on a phone: the privacy notice in Arabic reads right to left, fits the screen and
passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import ARTIFACTS
from portal.tests.test_browser_signup import arabic_phone, axe_violations

pytestmark = pytest.mark.browser
__all__ = ["arabic_phone"]  # the fixture, imported for this module's tests


def test_the_privacy_notice_on_a_phone_in_arabic(
    arabic_phone: Any, live_url: Callable[[str, str], str]
) -> None:
    page = arabic_phone
    page.goto(live_url("varnamo", "/privacy/"))
    page.get_by_label("Språk", exact=True).select_option("ar")
    page.get_by_role("button", name="Byt språk").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.get_by_role("heading", level=1, name="كيف نتعامل مع البيانات الشخصية").is_visible()
    assert page.get_by_role("heading", level=3, name="من أنت").is_visible()
    assert "حتى تمضي 24 شهراً دون أي نشاط منك" in page.content()
    # Nothing sticks out sideways at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "privacy_notice_arabic_phone.png"), full_page=True)
    assert axe_violations(page) == []
