"""Fixtures of the onboarding tests: tasks run inline unless a test starts a real worker, rate-limit
counters start at zero, and spaces that tests commit are removed again."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.cache import cache
from django.db import connection, connections

from ivplatform.celery import app as celery_app
from tenants.connection import tenant_connection
from tenants.models import Municipality, OnboardingApplication
from tenants.services import tenant_remove


@pytest.fixture(autouse=True)
def _inline_tasks() -> Iterator[None]:
    # CI sets REDIS_URL, which makes tasks go to a broker; here nothing consumes it unless a test starts a
    # worker (``celery_worker``), so tasks run inline like in the embedded demo.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def committed_cleanup(*slugs: str) -> None:
    """Remove spaces and sign-ups a test committed (tests that need real transactions or threads)."""
    tenant_connection().set_schema_to_public()
    OnboardingApplication.objects.filter(slug__in=slugs).delete()
    for tenant in Municipality.objects.filter(schema_name__in=slugs):
        tenant_remove(tenant=tenant)


@pytest.fixture(scope="session")
def _stray_sessions_closed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """At the end of the run, close database sessions other threads left idle (a browser's keep-alive
    socket keeps the live server's request thread, and its connection, open), so the test database can
    be dropped."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def committed(django_db_blocker: Any, _stray_sessions_closed: None) -> Iterator[Callable[..., None]]:
    """Unblocks the database outside a test transaction; ``committed(slug, …)`` names what to remove after."""
    slugs: list[str] = []
    with django_db_blocker.unblock():
        # pytest-django creates the test database only when a collected test asks for `db`; run alone, a
        # test using only this fixture would write to the development database. Refuse that.
        if not str(connection.settings_dict["NAME"]).startswith("test_"):
            pytest.fail("No test database: run this test together with one that uses the `db` fixture.")
        yield lambda *names: slugs.extend(names)
        committed_cleanup(*slugs)


class LazyWorker:
    """A real Celery worker (a thread in this process) on Redis, started when the test says so."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self.running = False

    def start(self) -> None:
        self._stack.enter_context(
            start_worker(
                celery_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30
            )
        )
        self.running = True


def _close_worker_connections(**kwargs: Any) -> None:
    connections.close_all()  # in the worker's thread: its connections must not outlive the test database


@pytest.fixture
def celery_worker() -> Iterator[LazyWorker | None]:
    """A worker on ``REDIS_URL`` when it is set (CI); None without Redis, and tasks keep running inline."""
    if not os.environ.get("REDIS_URL"):
        yield None
        return
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()  # nothing left over from an earlier run
    task_postrun.connect(_close_worker_connections, weak=False)
    with ExitStack() as stack:
        yield LazyWorker(stack)
    task_postrun.disconnect(_close_worker_connections)
