"""Celery tasks run in the tenant that queued them: proven with a real worker process on Redis."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.db import connection
from django.utils import timezone

from accounts.tasks import login_records_purge_fan_out, login_records_purge_task
from conftest import CeleryWorker
from tenants.models import Municipality

pytestmark = pytest.mark.celery_worker


def old_failure(tenant: Municipality, marker: str) -> int:
    """A committed login failure record, older than the retention period, in ``tenant``'s schema."""
    with tenant:
        record = AccessFailureLog.objects.create(
            user_agent=marker, ip_address="10.1.2.3", username=marker, path_info="/accounts/login/"
        )
        AccessFailureLog.objects.filter(pk=record.pk).update(
            attempt_time=timezone.now() - timedelta(days=400)
        )
        return record.pk


def exists(tenant: Municipality, pk: int) -> bool:
    with tenant:
        return AccessFailureLog.objects.filter(pk=pk).exists()


@pytest.mark.slow
def test_a_task_runs_in_the_schema_of_the_tenant_that_queued_it(
    celery_worker: CeleryWorker, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        varnamo = Municipality.objects.get(schema_name="varnamo")
        vaggeryd = Municipality.objects.get(schema_name="vaggeryd")
        in_varnamo = old_failure(varnamo, "worker-test-varnamo")
        in_vaggeryd = old_failure(vaggeryd, "worker-test-vaggeryd")
        try:
            with varnamo:
                result = login_records_purge_task.delay()
            celery_worker.wait_for(lambda: not exists(varnamo, in_varnamo))
            # Vaggeryd's equally old record is untouched: the task ran in Värnamo's schema only.
            assert exists(vaggeryd, in_vaggeryd)
            assert result.id

            # The nightly fan-out queues one task per ready tenant, each in its own schema.
            connection.set_schema_to_public()
            login_records_purge_fan_out.delay()
            celery_worker.wait_for(lambda: not exists(vaggeryd, in_vaggeryd))
        finally:
            for tenant in (varnamo, vaggeryd):
                with tenant:
                    AccessFailureLog.objects.filter(username__startswith="worker-test-").delete()
            connection.set_schema_to_public()
    assert "login_records_purge_task" in celery_worker.log()
