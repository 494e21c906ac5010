"""The data builder on two tenants, inside the test's transaction (so nothing of it outlives the test)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from accounts.models import User
from accounts.roles import Role
from activities.choices import AttendanceStatus
from activities.models import Activity, Attendance, Session
from bench import volumes
from bench.build import build_tenants, shape_fingerprint, store_shape, stored_shape, template_ensure
from bench.plan import Size, plan_tenants
from bench.volumes.accounts import bench_email
from people.models import Person
from tenants.models import Domain, Municipality

pytestmark = pytest.mark.django_db

TEMPLATE = "benchtest_template"


@pytest.mark.slow
def test_two_tenants_are_cloned_from_the_template_with_rows_hosts_and_logins() -> None:
    plan = plan_tenants(2, prefix="benchtest", association=False)
    assert [(tenant.slug, tenant.size) for tenant in plan] == [
        ("benchtest001", Size.LARGE),
        ("benchtest002", Size.MEDIUM),
    ]
    template_ensure(TEMPLATE)
    log: list[str] = []

    rows = build_tenants(plan, template=TEMPLATE, builders=volumes.discover(), workers=1, log=log.append)

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{TEMPLATE}".django_migrations')
        (template_migrations,) = cursor.fetchone()
    assert template_migrations > 0
    for planned in plan:
        tenant = Municipality.objects.get(schema_name=planned.slug)
        assert tenant.name == planned.name
        assert tenant.is_ready
        assert Domain.objects.get(tenant=tenant).domain == planned.host
        assert schema_exists(planned.slug)
        with schema_context(planned.slug), connection.cursor() as cursor:
            # Cloned with its data: the migrations are recorded as applied, not run again.
            cursor.execute("SELECT count(*) FROM django_migrations")
            assert cursor.fetchone() == (template_migrations,)
            assert User.objects.filter(email=bench_email(Role.ADMIN, planned.slug)).exists()
    with schema_context("benchtest001"):
        assert User.objects.count() == 3 + 12 + 80  # a large municipality's logins
    with schema_context("benchtest002"):
        assert User.objects.count() == 2 + 4 + 20
    assert rows["accounts"] == 95 + 26
    # A year of weekly activities on a register the size of the municipality.
    assert rows["register"] == (20_000 + 5_000) + (2_000 + 500)  # people and households
    attendance_rows = 0
    for slug, people, activities in (("benchtest001", 20_000, 40), ("benchtest002", 2_000, 8)):
        with schema_context(slug):
            assert Person.objects.count() == people
            assert Activity.objects.count() == activities
            assert Session.objects.count() == activities * 52
            assert not Session.objects.filter(starts_at__gte=timezone.now()).exists()
            per_session = Attendance.objects.values("session").annotate(rows=Count("pk"))
            assert {row["rows"] for row in per_session} <= set(range(8, 21))
            present = Attendance.objects.filter(status=AttendanceStatus.PRESENT).count()
            assert 0.7 < present / Attendance.objects.count() < 0.9
            attendance_rows += activities + activities * 52 + Attendance.objects.count()
    assert rows["activities"] == attendance_rows
    assert "  cloning schemas: 2/2" in log[0]
    # The template itself stays empty: it is only ever copied.
    with schema_context(TEMPLATE):
        assert User.objects.count() == 0


def test_the_shape_is_stored_and_read_back() -> None:
    assert stored_shape() is None
    store_shape("first")
    store_shape("second")
    assert stored_shape() == "second"


def test_the_shape_changes_with_the_tenants_and_the_builders() -> None:
    builders = volumes.discover()
    shape = shape_fingerprint(plan_tenants(20), builders)
    assert shape == shape_fingerprint(plan_tenants(20), builders)
    assert shape != shape_fingerprint(plan_tenants(21), builders)
    newer = [
        volumes.VolumeBuilder(
            name=b.name, version=b.version + "x", order=b.order, scope=b.scope, build=b.build
        )
        for b in builders
    ]
    assert shape != shape_fingerprint(plan_tenants(20), newer)
