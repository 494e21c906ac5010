"""Fixtures shared by every test: the demo tenants in the test database, clients per host, named actors.

The test database is migrated once per run and seeded with the demo (committed), so every test sees the
public host, four municipalities and the association with their demo logins. Tests run inside a transaction
that is rolled back, so what a test writes is gone afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.models import Role, User
from tenants.models import Municipality

DEMO_PASSWORD = "vanner-demo"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:  # type: ignore[misc]
    from tenants.demo import demo_seed

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        demo_seed()
        connection.set_schema_to_public()


def host(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


@pytest.fixture
def public_client() -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


def tenant_client(slug: str) -> Client:
    return Client(HTTP_HOST=host(slug))


@pytest.fixture
def varnamo(db: None) -> Iterator[Municipality]:
    tenant = Municipality.objects.get(schema_name="varnamo")
    yield tenant
    connection.set_schema_to_public()


@pytest.fixture
def vaggeryd(db: None) -> Municipality:
    return Municipality.objects.get(schema_name="vaggeryd")


@pytest.fixture
def association(db: None) -> Municipality:
    return Municipality.objects.get(schema_name="iv")


def demo_user(slug: str, role: Role) -> User:
    with Municipality.objects.get(schema_name=slug):
        return User.objects.get(email=f"{role.value}@{slug}.demo")


def login(slug: str, role: Role) -> Client:
    """A client on ``slug``'s host, signed in as that tenant's demo user with ``role``."""
    client = tenant_client(slug)
    response = client.post(
        "/accounts/login/", {"username": f"{role.value}@{slug}.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"demo login for {role} on {slug} failed"
    connection.set_schema_to_public()
    return client


# --- Browser tests -------------------------------------------------------------------------------------
# Real Chromium (Debian's package) driven by Playwright, against a live server thread on loopback. Browser
# tests see only committed data: they log in as the demo users seeded above, act through the pages, and use
# unique names for what they create. They run after every other test (see the hook below), so what they
# commit cannot disturb a test that counts rows.

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def live_server_port(django_db_setup: None) -> Iterator[int]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield server.port
    server.terminate()


@pytest.fixture
def live_url(live_server_port: int, django_db_blocker: Any) -> Iterator[Callable[[str, str], str]]:
    """``live_url("varnamo", "/staff/")`` → the live server's URL on that tenant's host."""
    # The server's request threads open their own connections; pytest-django blocks those unless unblocked.
    with django_db_blocker.unblock():

        def url(slug: str, path: str = "/") -> str:
            hostname = settings.BASE_DOMAIN if slug == "public" else host(slug)
            return f"http://{hostname}:{live_server_port}{path}"

        yield url


@pytest.fixture(scope="session")
def chromium(django_db_setup: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls under one unless told.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                # *.localhost is loopback; say so, so nothing waits on a resolver.
                "--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context the size of a small phone (360 px wide); screenshots go to test-artifacts/."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def desktop(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def browser_login(page: Any, live_url: Callable[[str, str], str], slug: str, role: Role) -> None:
    page.goto(live_url(slug, "/accounts/login/"))
    page.get_by_label("E-post").fill(f"{role.value}@{slug}.demo")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
