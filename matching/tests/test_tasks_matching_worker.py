"""Check-in reminders fire for the right tenant with a real Celery worker on Redis.

Self-contained on purpose (the security helper is writing a shared real-worker fixture; the lead unifies):
a ``celery -A ivplatform worker`` subprocess on Redis database 8, pointed at the pytest database, reads
committed data (created here, deleted afterwards) and writes its e-mail to files we read back.
Skipped only when REDIS_URL is unset; CI sets it.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from ivplatform.celery import app
from matching.models import CheckIn, Match, MatchRequest
from matching.services.matching import match_activate, match_propose
from matching.tasks import check_in_reminders_fan_out, check_in_reminders_send
from matching.tests.factories import family_request
from people.choices import PersonGroup
from people.models import Household, Person
from tenants.models import Municipality
from tests.support.connections import in_own_connection
from tests.support.fixtures import staff_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset: no broker for a worker"),
]
ROOT = Path(__file__).resolve().parents[2]
WORKER_REDIS_DB = 8


def worker_broker_url() -> str:
    """REDIS_URL's server, database 8: this worker never takes another suite's or helper's tasks."""
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{WORKER_REDIS_DB}", "", ""))


def database_url_for_worker() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = db["HOST"] or ""
    if host.startswith("/"):  # a socket directory (the embedded PostgreSQL)
        return f"postgres://{credentials}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def committed(db: None) -> Iterator[dict[str, list[int]]]:
    """Rows created committed (see ``in_own_connection``) and deleted afterwards, tenant by tenant."""
    made: dict[str, list[int]] = {}
    yield made

    def clean_up() -> None:
        for slug, match_ids in made.items():
            with Municipality.objects.get(schema_name=slug):
                matches = Match.objects.filter(pk__in=match_ids)
                request_ids = [
                    pk for m in matches for pk in (m.newcomer_request_id, m.established_request_id)
                ]
                people = MatchRequest.objects.filter(pk__in=request_ids).values_list("person_id", flat=True)
                households = list(
                    Person.objects.filter(pk__in=list(people)).values_list("household_id", flat=True)
                )
                matches.delete()
                MatchRequest.objects.filter(pk__in=request_ids).delete()
                Person.objects.filter(household_id__in=households).delete()
                Household.objects.filter(pk__in=households).delete()

    in_own_connection(clean_up)


def _due_match(slug: str, name: str, made: dict[str, list[int]]) -> int:
    """An active match in ``slug`` whose 1-month check-in is due today (committed); the check-in's id."""
    return in_own_connection(lambda: _make_due_match(slug, name, made))


def _make_due_match(slug: str, name: str, made: dict[str, list[int]]) -> int:
    with Municipality.objects.get(schema_name=slug):
        coordinator = staff_user(Role.COORDINATOR)
        match = match_propose(
            actor=coordinator,
            match_request=family_request(name=name),
            candidate=family_request(group=PersonGroup.ESTABLISHED, name=f"{name}-established"),
        )
        made.setdefault(slug, []).append(match.pk)
        match_activate(actor=coordinator, match=match)
        check_in = match.check_ins.get(months=1)
        CheckIn.objects.filter(pk=check_in.pk).update(due_on=timezone.localdate())
        return check_in.pk


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Path]:
    """A real worker process; yields the directory its e-mail lands in."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with app.connection_for_write(worker_broker_url()) as broker:
        broker.default_channel.queue_purge("celery")  # leftovers of an interrupted run
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": worker_broker_url(),
        "MATCHING_TEST_EMAIL_DIR": str(mail_dir),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
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
            f"matching-test-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield mail_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if process.returncode not in (0, -15):
            print((tmp_path / "worker.log").read_text())


def _send(task: Any, schema: str) -> None:
    """Queue ``task`` on the worker's broker, stamped with ``schema`` the way the tenant-aware app does."""
    with (
        Municipality.objects.get(schema_name=schema) if schema != "public" else _public(),
        app.connection_for_write(worker_broker_url()) as broker,
    ):
        task.apply_async(connection=broker)


class _public:
    def __enter__(self) -> None:
        connection.set_schema_to_public()

    def __exit__(self, *exc: object) -> None:
        return None


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _mails(mail_dir: Path) -> list[Message]:
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        # The file backend separates messages with a line of dashes.
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.strip()))
    return messages


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def _reminded(slug: str, check_in_id: int) -> bool:
    with Municipality.objects.get(schema_name=slug):
        return CheckIn.objects.filter(pk=check_in_id, reminded_at__isnull=False).exists()


@pytest.mark.slow
def test_reminders_fire_for_the_right_tenant_with_a_real_worker(
    committed: dict[str, list[int]], worker: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    varnamo_check_in = _due_match("varnamo", f"Haddad{tag}", committed)
    vaggeryd_check_in = _due_match("vaggeryd", f"Omar{tag}", committed)

    def ours() -> list[Message]:
        # The demo's own matches (committed, as the worker needs) are not this test's: count the test's pairs.
        return [mail for mail in _mails(worker) if tag in _body(mail)]

    # Queued from Värnamo's schema: the worker runs it in Värnamo only.
    _send(check_in_reminders_send, "varnamo")
    _wait_for(lambda: _reminded("varnamo", varnamo_check_in), "Värnamo's reminder")
    assert not _reminded("vaggeryd", vaggeryd_check_in)
    _wait_for(lambda: len(ours()) == 1, "Värnamo's e-mail file")

    # The daily beat task, from the public schema: one task per ready tenant, each in its own schema.
    _send(check_in_reminders_fan_out, "public")
    _wait_for(lambda: _reminded("vaggeryd", vaggeryd_check_in), "Vaggeryd's reminder")
    _wait_for(lambda: len(ours()) >= 2, "Vaggeryd's e-mail file")
    time.sleep(1)  # let the other tenants' tasks finish: none of them may send the test's pairs
    mails = ours()
    assert len(mails) == 2, "Värnamo's check-in was reminded once only, no other tenant sent it"

    by_recipient = {mail["To"]: mail for mail in mails}
    assert set(by_recipient) == {"coordinator@varnamo.demo", "coordinator@vaggeryd.demo"}
    varnamo_mail, vaggeryd_mail = (
        _body(by_recipient[f"coordinator@{slug}.demo"]) for slug in ("varnamo", "vaggeryd")
    )
    assert f"Haddad{tag}" in varnamo_mail and f"Omar{tag}" not in varnamo_mail
    assert f"https://varnamo.{settings.BASE_DOMAIN}/staff/matching/matches/" in varnamo_mail
    assert f"Omar{tag}" in vaggeryd_mail and "Vaggeryd och Skillingaryd" in vaggeryd_mail
    assert f"https://vaggeryd.{settings.BASE_DOMAIN}/staff/matching/matches/" in vaggeryd_mail
