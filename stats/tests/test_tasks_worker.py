"""A change committed in a municipality reaches the rollup through a real Celery worker on Redis."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection as db_connection
from django.db import transaction

from core.models import Activity, Person
from ivplatform.celery import app
from stats.models import PublicationRevision, PublishedCell, PublishedCellHistory, RollupCell
from stats.services import tenant_month_changed
from stats.tests.factories import ActivityFactory, AttendanceFactory, PersonFactory, SessionFactory, at
from tenants.models import Municipality

pytestmark = pytest.mark.celery_worker

# Helpers each get a Redis database of their own; CI points REDIS_URL at the machine's Redis.
BROKER = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/7"
MARK = "Workertest"


def committed(work: Callable[[], None]) -> None:
    """Run ``work`` on a connection of its own, so what it writes is committed and the worker sees it (the
    test's own connection stays inside its rolled-back transaction)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed back to the test below
            errors.append(error)
        finally:
            db_connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _cleanup() -> None:
    varnamo = Municipality.objects.get(schema_name="varnamo")
    with varnamo:
        Person.objects.filter(first_name__startswith=MARK).delete()
        Activity.objects.filter(title__startswith=MARK).delete()
    for model in (RollupCell, PublishedCell, PublishedCellHistory, PublicationRevision):
        model.objects.filter(tenant=varnamo).delete()


def _change() -> None:
    varnamo = Municipality.objects.get(schema_name="varnamo")
    with varnamo, transaction.atomic():
        activity = ActivityFactory(title=f"{MARK} språkcafé")
        session = SessionFactory(activity=activity, starts_at=at(dt.date(2025, 2, 3)))
        for n in range(7):
            AttendanceFactory(session=session, person=PersonFactory(first_name=f"{MARK} {n}"))
        tenant_month_changed(day=dt.date(2025, 2, 3))


def _database_url() -> str:
    """The test database, for the worker process."""
    from urllib.parse import quote

    settings = db_connection.settings_dict
    host = settings["HOST"] or ""
    if host.startswith("/"):
        return f"postgres://{quote(settings['USER'] or '')}@/{settings['NAME']}?host={quote(host)}&port={settings['PORT'] or 5432}"
    return f"postgres://{quote(settings['USER'] or '')}:{quote(settings['PASSWORD'] or '')}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.mark.django_db
def test_a_committed_attendance_is_counted_by_the_worker(celery_inline: None, varnamo: Municipality) -> None:
    before = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER
    app.close()  # a connection pool made earlier still points at the old broker
    committed(_cleanup)
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge("celery")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ivplatform.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": BROKER,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ivplatform",
            "worker",
            "-P",
            "solo",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        committed(_change)
        deadline = time.monotonic() + 40
        figure = None
        while figure is None and time.monotonic() < deadline:
            time.sleep(0.3)
            figure = RollupCell.objects.filter(
                tenant=varnamo, metric="attendances", period_kind="M", period=dt.date(2025, 2, 1), age_band=""
            ).first()
        assert figure is not None, "the worker did not update the rollup"
        assert figure.value == 7
        # February 2025 has closed: the worker published it too, within ±2 of the truth.
        published = PublishedCell.objects.get(
            tenant=varnamo, metric="attendances", period_kind="M", period=dt.date(2025, 2, 1), cut=""
        )
        assert published.status == "final" and abs(published.value - 7) <= 2
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        committed(_cleanup)
        app.conf.task_always_eager, app.conf.broker_url = before
        app.close()
