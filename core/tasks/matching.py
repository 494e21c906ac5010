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

from django_tenants.utils import get_public_schema_name

from core.services.matching import check_in_reminders_send_due
from ivplatform.celery import app
from tenants.models import READY_STATUSES, Municipality


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
    schemas = []
    tenants = Municipality.objects.exclude(schema_name=get_public_schema_name()).filter(
        status__in=READY_STATUSES
    )
    for tenant in tenants.order_by("schema_name"):
        # The tenant-aware app stamps the current schema on the message; the worker switches to it.
        with tenant:
            check_in_reminders_send.apply_async(kwargs={"today": today})
        schemas.append(tenant.schema_name)
    return schemas
