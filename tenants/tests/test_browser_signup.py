"""The whole path in a real browser: Gnosjö signs up on the public host, confirms the e-mailed link,
watches its space being made, lands on gnosjo's host, chooses a password and sees the checklist."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from conftest import ARTIFACTS, code_for_secret
from tenants.tests.conftest import LazyWorker

pytestmark = pytest.mark.browser


@pytest.mark.django_db
def test_the_sign_up_page_is_served_on_the_public_host(public_client: Any) -> None:
    # Also makes pytest-django set up the test database when this module runs alone.
    assert public_client.get("/signup/").status_code == 200


def link_in_mail(pattern: str) -> str:
    for message in reversed(mail.outbox):
        match = re.search(pattern, str(message.body))
        if match:
            return match.group(0)
    raise AssertionError(f"no e-mail with {pattern}: {[m.subject for m in mail.outbox]}")


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"signup-{name}.png"), full_page=True)


def fill_in_the_signup(page: Any, live_url: Callable[[str, str], str]) -> None:
    page.goto(live_url("public", "/"))
    page.get_by_role("link", name="Anmäl din kommun").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmäl din kommun")
    page.get_by_label("Kommun", exact=True).select_option(label="Gnosjö")
    page.get_by_label("Organisation").fill("Internationella Vänner Gnosjö")
    page.get_by_label("Ditt namn").fill("Gunilla Nilsson")
    page.get_by_label("Din e-postadress").fill("gunilla@gnosjo.example.se")
    page.get_by_label("Jag godkänner användarvillkoren").check()
    page.get_by_label("Jag godkänner personuppgiftsbiträdesavtalet").check()
    shot(page, "1-form")
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")


def test_gnosjo_signs_up_and_lands_on_its_checklist(
    phone: Any,
    live_url: Callable[[str, str], str],
    committed: Callable[..., None],
    celery_worker: LazyWorker | None,
) -> None:
    committed("gnosjo")
    page = phone
    fill_in_the_signup(page, live_url)

    page.goto(link_in_mail(r"http://localhost:\d+/signup/confirm/\S+/"))
    page.get_by_role("button", name="Bekräfta och skapa vårt utrymme").click()
    confirmed = time.perf_counter()
    if celery_worker is not None:
        # Queued on Redis: a real worker takes the task and the page (polling its status) moves through
        # the steps to the new host. In a full run another test's worker may already be consuming the
        # queue, so the page may be past the first step by now.
        shot(page, "2-progress")
        celery_worker.start()
    else:
        # No broker: the task ran inline during the confirmation, so the page shows it done.
        expect(page.locator('[data-step="ready"]')).to_have_class(re.compile("step--done"))
        shot(page, "2-progress-ready")
        page.get_by_role("link", name="Till ditt utrymme").click()
    page.wait_for_url(re.compile(r"http://gnosjo\.localhost:\d+/welcome/"), timeout=30_000)
    mode = "a Celery worker on Redis" if celery_worker else "inline (no REDIS_URL)"
    print(
        f"\nconfirmed → on gnosjo's welcome page in {time.perf_counter() - confirmed:.2f}s, provisioned by {mode}"
    )

    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen till utrymmet för Gnosjö")
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()  # logged out
    shot(page, "3-welcome")

    page.goto(link_in_mail(r"http://gnosjo\.localhost:\d+/welcome/password/\S+/\S+/"))
    page.get_by_label("Nytt lösenord", exact=True).fill("kaffe-och-kanelbullar")
    page.get_by_label("Bekräfta nytt lösenord").fill("kaffe-och-kanelbullar")
    page.get_by_role("button", name="Spara lösenordet och börja").click()
    # An admin turns on two-factor authentication before any staff page: type the key into "the app".
    page.wait_for_url(re.compile(r"http://gnosjo\.localhost:\d+/accounts/two-factor/setup/"))
    shot(page, "4-two-factor")
    page.get_by_label("Kod från din autentiseringsapp").fill(
        code_for_secret(page.locator("code.secret").inner_text())
    )
    page.get_by_role("button", name="Slå på tvåfaktorsinloggning").click()
    page.wait_for_url(re.compile(r"http://gnosjo\.localhost:\d+/getting-started/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kom igång")
    expect(page.locator(".checklist__item")).to_have_count(4)
    expect(page.get_by_text("Bjud in dina samordnare")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("Gunilla Nilsson")
