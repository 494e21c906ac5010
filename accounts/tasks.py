"""Background work for accounts. Tasks take ids (or nothing) and call a service; each runs in the schema
of the tenant that queued it (tenant-schemas-celery)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from accounts.services import login_records_purge
from core.tenancy import tasks_fan_out
from ivplatform.celery import app


@app.task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def login_records_purge_task() -> dict[str, int]:
    """Purge old login records and expired sessions in the tenant this task was queued from."""
    return login_records_purge(older_than=timedelta(days=settings.LOGIN_RECORDS_RETENTION_DAYS))


# Beat names the task by this name (ivplatform/settings/celery.py); it stays as it was.
@app.task(name="accounts.tasks.login_records_purge_all")
def login_records_purge_fan_out() -> int:
    """Nightly: queue the purge once for every ready tenant (the public schema's operators included)."""
    return len(tasks_fan_out(login_records_purge_task, include_public=True))
