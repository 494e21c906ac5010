"""Old login records (IP addresses, browsers) and expired sessions are purged per tenant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.services import login_records_purge
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def test_purge_removes_only_old_records_of_the_current_tenant(
    varnamo: Municipality, vaggeryd: Municipality
) -> None:
    old = timezone.now() - timedelta(days=100)
    for tenant in (varnamo, vaggeryd):
        with tenant:
            stale = AccessFailureLog.objects.create(
                user_agent="x", ip_address="10.0.0.1", username="a", path_info="/"
            )
            AccessFailureLog.objects.filter(pk=stale.pk).update(attempt_time=old)
            stale_login = AccessLog.objects.create(
                user_agent="x", ip_address="10.0.0.1", username="a", path_info="/"
            )
            AccessLog.objects.filter(pk=stale_login.pk).update(attempt_time=old)
            AccessLog.objects.create(user_agent="x", ip_address="10.0.0.2", username="b", path_info="/")
            Session.objects.create(session_key=f"old{tenant.pk}", session_data="", expire_date=old)
    with varnamo:
        counts = login_records_purge(older_than=timedelta(days=90))
        assert counts == {"attempts": 0, "failures": 1, "logins": 1, "sessions": 1}
        assert AccessLog.objects.count() == 1
    with vaggeryd:
        assert AccessFailureLog.objects.count() == 1
        assert AccessLog.objects.count() == 2
        assert Session.objects.filter(session_key=f"old{vaggeryd.pk}").exists()
