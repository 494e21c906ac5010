"""In real Chromium on a phone-sized window: a family signs up in Arabic, a coordinator accepts it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.roles import Role
from conftest import ARTIFACTS, browser_login
from people.models import Household
from portal.models import Signup
from tenants.models import Municipality

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core in the page (WCAG 2.1 A and AA rules) and return what it found."""
    assert AXE.exists(), "axe-core is missing: `make test` installs it from the npm registry"
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@pytest.fixture
def arabic_phone(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    # bypass_csp lets the test inject axe-core; the pages themselves never run inline scripts.
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def cleanup() -> Iterator[None]:
    yield
    with Municipality.objects.get(schema_name="varnamo"):
        for signup in Signup.objects.filter(contact_last_name="Browserfamiljen"):
            if signup.household_id:
                Household.objects.filter(pk=signup.household_id).delete()
            signup.delete()


def test_a_family_signs_up_in_arabic_and_the_coordinator_accepts_it(
    arabic_phone: Any, desktop: Any, live_url: Callable[[str, str], str], cleanup: None
) -> None:
    page = arabic_phone
    page.goto(live_url("varnamo", "/"))
    page.get_by_label("Språk").select_option("ar")
    page.get_by_role("button", name="Byt språk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations(page) == []

    page.get_by_role("link", name="سجّل").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ar"
    page.get_by_label("أنا جديد في السويد").check()
    page.get_by_label("الاسم الأول").first.fill("Amal")
    page.get_by_label("اسم العائلة").fill("Browserfamiljen")
    page.get_by_label("سنة الميلاد").first.fill("1986")
    page.get_by_label("عائلة صديقة").first.check()
    page.get_by_label("الهاتف").fill("070-765 43 21")
    page.locator("summary").click()
    page.locator("#id_member-0-first_name").fill("Yusuf")
    page.locator("#id_member-0-birth_year").fill("2015")
    page.locator("#id_member-1-first_name").fill("Lina")
    page.locator("#id_member-1-birth_year").fill("2019")
    assert axe_violations(page) == []
    # Send once without consent: the error is in Arabic and nothing is saved.
    page.get_by_role("button", name="أرسل تسجيلي").click()
    page.wait_for_load_state()
    assert "لا يمكننا مساعدتك إلا إذا وافقت" in page.content()
    page.get_by_label("نعم، يمكنكم حفظ ما كتبته والتواصل معي بشأنه.").check()
    page.locator("#id_member-0-first_name").fill("Yusuf")
    page.get_by_role("button", name="أرسل تسجيلي").click()
    page.wait_for_load_state()
    assert "شكراً! وصلنا تسجيلك." in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signup_arabic_phone.png"), full_page=True)
    assert axe_violations(page) == []

    browser_login(desktop, live_url, "varnamo", Role.COORDINATOR)
    desktop.goto(live_url("varnamo", "/staff/signups/"))
    desktop.get_by_role("link", name="Amal Browserfamiljen").first.click()
    desktop.get_by_role("button", name="Godkänn till registret").click()
    desktop.wait_for_load_state()
    assert "Browserfamiljen finns nu i registret." in desktop.content()
    with Municipality.objects.get(schema_name="varnamo"):
        household = Household.objects.get(name="Browserfamiljen")
        assert sorted(p.first_name for p in household.members.all()) == ["Amal", "Lina", "Yusuf"]
    (ARTIFACTS / "axe-signup.json").write_text(json.dumps({"violations": []}))
