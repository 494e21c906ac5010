"""Background work for accounts. Tasks take ids (or nothing) and call a service; each runs in the schema
of the tenant that queued it (tenant-schemas-celery)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tenants.utils import tenant_context

from accounts.services import login_records_purge
from ivplatform.celery import app
from tenants.models import READY_STATUSES, Municipality


@app.task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def login_records_purge_task() -> dict[str, int]:
    """Purge old login records and expired sessions in the tenant this task was queued from."""
    return login_records_purge(older_than=timedelta(days=settings.LOGIN_RECORDS_RETENTION_DAYS))


@app.task
def login_records_purge_all() -> int:
    """Nightly: queue the purge once for every ready tenant (the public schema's operators included)."""
    queued = 0
    for tenant in Municipality.objects.filter(status__in=READY_STATUSES).order_by("pk"):
        # Queued inside the tenant's context, so the task carries that tenant's schema.
        with tenant_context(tenant):
            login_records_purge_task.delay()
        queued += 1
    return queued
