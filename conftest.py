"""Fixtures shared by every test: the demo tenants in the test database, clients per host, named actors.

The test database is migrated once per run and seeded with the demo (committed), so every test sees the
public host, four municipalities and the association with their demo logins. Tests run inside a transaction
that is rolled back, so what a test writes is gone afterwards.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.models import User
from accounts.roles import TOTP_REQUIRED_ROLES, Role
from tenants.connection import tenant_connection
from tenants.models import Municipality

# The local network's actors (admin, coordinator, volunteer, outsider) for every domain app's tests.
pytest_plugins = ["tests.support.fixtures"]

DEMO_PASSWORD = "vanner-demo"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    from django.test.utils import setup_databases, teardown_databases

    from demo.seed import demo_seed

    own_setup = None
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # pytest-django creates the test database only when a selected test is marked for it. Tests on
        # committed data (browser, Celery worker, backup) are not marked, so when they run alone the
        # connection would still point at the development database: create the test database here then.
        if not connection.settings_dict["NAME"].startswith("test_"):
            # Django takes any collection of aliases; django-stubs says a mapping.
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
        # A year of activities and people only for Värnamo: the other municipalities stay empty, which
        # keeps the session quick and gives tests that count a clean tenant.
        demo_seed(core_data_for={"varnamo"})
        tenant_connection().set_schema_to_public()
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # The live server's request threads may still hold connections; the test database cannot be
        # dropped while they do. Start from a fresh connection: a test may have left this one closed.
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        if own_setup is not None:
            teardown_databases(own_setup, verbosity=0)


@pytest.fixture(autouse=True)
def swedish_by_default() -> Iterator[None]:
    """Each test starts in Swedish, as a request without a language choice does; a request in another
    language earlier in the same thread must not decide what a service test's messages say."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    # An in-process Celery worker (celery.contrib.testing) sets the root logger to ERROR; the whole-run
    # scan for personal data needs every INFO record of the tests after it too.
    logging.getLogger().setLevel(logging.INFO)
    yield
    translation.deactivate()


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
    tenant_connection().set_schema_to_public()


@pytest.fixture
def vaggeryd(db: None) -> Municipality:
    tenant: Municipality = Municipality.objects.get(schema_name="vaggeryd")
    return tenant


@pytest.fixture
def association(db: None) -> Municipality:
    tenant: Municipality = Municipality.objects.get(schema_name="iv")
    return tenant


DEMO_MUNICIPALITIES = ("varnamo", "vaggeryd", "gislaved", "vaxjo")


def demo_matching_clear() -> None:
    """Delete the demo's friend matching and pathways in every demo municipality, in the current transaction.

    The demo seed gives each municipality a year of match requests, matches and pathways (core/demo.py).
    Tests that count them, rank suggestions or go through the waiting list need a known start.
    """
    from matching.models import (
        CheckIn,
        DistrictNeighbour,
        Match,
        MatchContact,
        MatchingOptOut,
        MatchRequest,
        Pathway,
        PathwayStageChange,
    )

    # Leaves first, in one statement per schema: dozens of tests start here, and Django's delete() would
    # fetch every row to collect what hangs on it.
    tables = [
        model._meta.db_table
        for model in (
            MatchContact,
            CheckIn,
            Match,
            MatchRequest,
            MatchingOptOut,
            DistrictNeighbour,
            PathwayStageChange,
            Pathway,
        )
    ]
    for municipality in Municipality.objects.filter(schema_name__in=DEMO_MUNICIPALITIES):
        with municipality, connection.cursor() as cursor:
            cursor.execute("".join(f'DELETE FROM "{table}";' for table in tables))


@pytest.fixture
def demo_without_matching(db: None) -> None:
    """The demo municipalities with no match requests, matches, pathways, opt-outs or neighbouring districts
    but the test's own. Deleted inside the test's transaction, so the demo is back for the next test."""
    demo_matching_clear()


def demo_user(slug: str, role: Role) -> User:
    with Municipality.objects.get(schema_name=slug):
        return User.objects.get(email=f"{role.value}@{slug}.demo")


def totp_code(device: Any) -> str:
    """The current code of a django-otp TOTP device, as an authenticator app would show it."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def code_for_secret(secret: str) -> str:
    """The current code for a base32 key, as an authenticator app shows it after the key is typed in."""
    import base64

    from django_otp.oath import totp

    padded = secret.replace(" ", "").upper()
    padded += "=" * (-len(padded) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


SECRET_ON_PAGE = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')


def enrol_two_factor(client: Client, setup_path: str) -> Any:
    """Do the two-factor enrolment a new admin meets after choosing a password; returns the response."""
    page = client.get(setup_path)
    match = SECRET_ON_PAGE.search(page.content.decode())
    assert match, "the two-factor setup page shows no key"
    return client.post(setup_path, {"token": code_for_secret(match.group(1))})


def demo_totp_code(slug: str, role: Role) -> str:
    """A fresh code for a demo admin's or board member's authenticator (the documented demo key).

    Each code is accepted once (replay protection), so signing the same demo user in twice within 30
    seconds would fail; a test helper may forget the last accepted step first. Only tests do this.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with Municipality.objects.get(schema_name=slug):
        device = TOTPDevice.objects.get(user__email=f"{role.value}@{slug}.demo", confirmed=True)
        TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        return totp_code(device)


def login(slug: str, role: Role) -> Client:
    """A client on ``slug``'s host, signed in as that tenant's demo user with ``role``.

    Admin and board must pass two-factor authentication: the helper enters the code of their demo
    authenticator, so the client is fully signed in whatever the role.
    """
    client = tenant_client(slug)
    response = client.post(
        "/accounts/login/", {"username": f"{role.value}@{slug}.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"demo login for {role} on {slug} failed"
    if role in TOTP_REQUIRED_ROLES:
        assert response["Location"].startswith("/accounts/two-factor/verify/"), response["Location"]
        response = client.post(response["Location"], {"token": demo_totp_code(slug, role)})
        assert response.status_code == 302, f"two-factor step for {role} on {slug} failed"
    tenant_connection().set_schema_to_public()
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
    if role in TOTP_REQUIRED_ROLES:
        page.get_by_label("Kod från din autentiseringsapp").fill(demo_totp_code(slug, role))
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_load_state()
        tenant_connection().set_schema_to_public()


# --- Processes that share the test database: a real Celery worker, management commands -------------------

ROOT = Path(__file__).resolve().parent


def subprocess_database_url() -> str:
    """A DATABASE_URL for the test database pytest-django created (call after ``django_db_setup``)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if user or password else ""
    host, port = db.get("HOST") or "", db.get("PORT") or ""
    name = quote(db["NAME"], safe="")
    if host.startswith("/"):  # a Unix socket directory (the embedded PostgreSQL)
        return f"postgresql://{credentials}/{name}?host={quote(host, safe='/')}" + (
            f"&port={port}" if port else ""
        )
    return f"postgresql://{credentials}{host}{':' + port if port else ''}/{name}"


class CeleryWorker:
    """A running ``celery -A ivplatform worker`` process; see the ``celery_worker`` fixture."""

    def __init__(self, process: subprocess.Popen[bytes], name: str, log_path: Path) -> None:
        self.process = process
        self.name = name
        self.log_path = log_path

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.1) -> Any:
        """Poll ``predicate`` until it returns something truthy (returned) or fail after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker died:\n{self.log()}")
            time.sleep(interval)
        pytest.fail(f"Nothing happened within {timeout} s. Worker log:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture(scope="session")
def celery_worker_url(django_db_setup: None) -> str:
    """The DATABASE_URL a worker (or any subprocess) needs to use the test database."""
    assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
    return subprocess_database_url()


def _celery_worker_start(*, name: str, database_url: str, log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ivplatform.settings.test",
    }
    with log_path.open("wb") as log_file:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ivplatform",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                name,
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture(scope="module")
def celery_worker(celery_worker_url: str) -> Iterator[CeleryWorker]:
    """A real Celery worker (``celery -A ivplatform worker``) on Redis, using the test database.

    Skipped when REDIS_URL is unset (CI sets it; locally run e.g.
    ``REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/pytest -m celery_worker``). With REDIS_URL set the
    test process sends tasks to that broker instead of running them inline.

    How to use it:

    * The worker is another process with its own database connection: it sees only **committed** rows.
      Tests that need it must not use the ``db`` fixture (whose transaction is never committed); use
      ``django_db_blocker.unblock()`` instead, write what the task needs, and clean up afterwards.
    * Queue the task as the app does, inside the tenant (``with tenant: task.delay(...)``); the worker
      runs it in that tenant's schema (tenant-schemas-celery).
    * Wait for the effect with ``celery_worker.wait_for(lambda: <query that is truthy when done>)``;
      ``celery_worker.log()`` has the worker's output for assertion messages.

    The worker's log is scanned for personal data with the rest of the run's logs (see below).
    """
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is unset: the real-worker tests need Redis")
    from ivplatform.celery import app

    assert not app.conf.task_always_eager, "REDIS_URL was set after the settings were read"
    # Services queue statistics recomputes after every commit; tests that commit (live server, threads)
    # leave some in the queue, which this worker must not pick up as if a test had sent them.
    app.control.purge()
    name = f"ivtest{os.getpid()}@localworker"  # no dot: never mistaken for an e-mail address by the log scan
    log_path = Path(tempfile.mkstemp(prefix="celery-worker-", suffix=".log")[1])
    process = _celery_worker_start(name=name, database_url=celery_worker_url, log_path=log_path)
    worker = CeleryWorker(process, name, log_path)
    try:
        worker.wait_for(lambda: app.control.ping(destination=[name], timeout=0.5), timeout=60)
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        EXTRA_LOG_TEXTS.append(worker.log())
        log_path.unlink(missing_ok=True)


# --- No personal data in logs ----------------------------------------------------------------------------
# Every log record of the whole run (and the output of processes the tests start, added to EXTRA_LOG_TEXTS)
# is kept and, when the run ends, scanned for personal data: values registered in
# ivplatform.personal_data (the demo seed registers its logins; tests and factories add the people they
# create) and patterns for e-mail addresses, phone and identity numbers. Any finding fails the run.


EXTRA_LOG_TEXTS: list[str] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from ivplatform.personal_data import COLLECTED_LOG_TEXTS, registry

    findings = registry.scan([*COLLECTED_LOG_TEXTS, *EXTRA_LOG_TEXTS])
    if not findings:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["Personal data was written to the logs during the test run:"]
    lines += [f"  {finding.kind}: {finding.value!r}" for finding in findings[:20]]
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line, red=True)
    else:
        print("\n".join(lines), file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
