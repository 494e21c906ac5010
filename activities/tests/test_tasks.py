"""Notices go out through a real Celery worker: queued after commit, run in the right tenant's schema.

The worker runs in a thread of this process (celery.contrib.testing) against the configured broker:
Redis when REDIS_URL is set (CI), Kombu's in-memory transport otherwise. It needs committed rows, so
they are written and removed on a connection of their own, as in test_registration_race.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Registration, Session
from activities.services.activities import session_cancel
from activities.tests.test_registration_race import in_own_connection
from ivplatform.celery import app as celery_app
from people.models import Consent, Person
from tenants.models import Municipality

pytestmark = pytest.mark.celery_worker


def close_connection(**_: Any) -> None:
    # The worker thread's connection would otherwise outlive the test and block dropping the test database.
    connection.close()


@pytest.fixture
def worker() -> Iterator[None]:
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    task_postrun.connect(close_connection, weak=False)
    # Tasks an earlier test or run left on the broker (a municipality's statistics recompute, seconds each)
    # would run first on this single worker, and the notice would miss the test's deadline.
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        task_postrun.disconnect(close_connection)
        celery_app.conf.task_always_eager = eager


@pytest.fixture
def committed(varnamo: Municipality) -> Iterator[dict[str, Any]]:
    made: dict[str, Any] = {}

    def create() -> None:
        activity = Activity.objects.create(title="Arbetarcafé", category="other", schedule_kind="single")
        start = timezone.now() + dt.timedelta(days=4)
        session = Session.objects.create(
            activity=activity, starts_at=start, ends_at=start + dt.timedelta(hours=2), scheduled_start=start
        )
        person = Person.objects.create(first_name="Nimco", group="newcomer", email="nimco@example.com")
        Consent.objects.create(person=person, purpose="contact", given=True)
        Registration.objects.create(activity=activity, person=person, status="registered")
        made.update(
            activity=activity,
            session=session,
            person=person,
            coordinator=User.objects.get(email="coordinator@varnamo.demo"),
        )

    def remove() -> None:
        Activity.objects.filter(pk=made["activity"].pk).delete()
        Person.objects.filter(pk=made["person"].pk).delete()

    in_own_connection(varnamo, create)
    try:
        yield made
    finally:
        in_own_connection(varnamo, remove)


def test_a_worker_sends_the_notice_of_a_cancelled_session(
    varnamo: Municipality, committed: dict[str, Any], worker: None
) -> None:
    def cancel() -> None:
        with transaction.atomic():
            session_cancel(
                actor=committed["coordinator"], session=committed["session"], reason="Vattenläcka i lokalen"
            )

    in_own_connection(varnamo, cancel)
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["nimco@example.com"]]
    assert "Vattenläcka i lokalen" in mail.outbox[0].body
    assert "Arbetarcafé" in mail.outbox[0].subject
