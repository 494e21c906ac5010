"""Check-in reminders for matches.

Why a daily beat task that looks for due check-ins rather than one ``apply_async(eta=...)`` per check-in:
an ETA task lives in the broker (and, with Redis, in the worker's memory past the visibility timeout) for
up to six months. A broker restart, a flushed Redis, a changed start date or an ended match would leave
reminders lost, duplicated or wrong. The database is the truth instead: each day the beat fans out one task
per ready tenant, which reminds of every check-in due by today and not yet reminded (``reminded_at``), so
a missed day is caught up and nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from core.tenancy import tasks_fan_out
from ivplatform.celery import app
from matching.services.matching import check_in_reminders_send_due


@app.task(
    name="core.check_in_reminders_send",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    max_retries=5,
)
def check_in_reminders_send(today: str | None = None) -> int:
    """In the tenant that queued it: remind of the check-ins due by ``today`` (ISO date; default today)."""
    return check_in_reminders_send_due(today=dt.date.fromisoformat(today) if today else None)


@app.task(name="core.check_in_reminders_fan_out")
def check_in_reminders_fan_out(today: str | None = None) -> list[str]:
    """Beat, in the public schema: queue the reminder task once per ready tenant, in that tenant's schema."""
    return tasks_fan_out(check_in_reminders_send, kwargs={"today": today})
