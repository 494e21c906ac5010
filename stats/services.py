"""Keeping the rollup true: recompute a municipality's years from its own tables and replace its rows, then
bring what the board sees up to date (``stats.publication``).

Core services call ``tenant_month_changed(day=...)`` when something that counts changes (attendance saved,
person created or changed, session cancelled or moved, hours logged, project changed). After the commit a
tenant-aware Celery task recomputes the affected years and replaces their rows in one transaction, so a
retry or a duplicate does no harm. The nightly recompute repairs anything a caller forgot, and publishes the
periods that closed since.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from stats.cellkey import record_key_function
from stats.dimensions import periods_of_year
from stats.metrics import CellCounter, count_year, years_with_data
from stats.models import ProjectRef, PublishedCell, RecordKeySecret, RollupCell, cut_of
from stats.publication import publication_refresh
from tenants.models import READY_STATUSES, Municipality, TenantKind
from tenants.selectors import member_municipalities

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock's first key for "a tenant-year of the rollup is being replaced".
_LOCK_NAMESPACE = 4_004


class StatsError(Exception):
    """Statistics could not be computed; the message is fit to show."""


def record_key_secret(*, tenant: Municipality) -> bytes:
    """The municipality's secret for record keys, made the first time it is needed (and never shown)."""
    secret, _created = RecordKeySecret.objects.get_or_create(
        tenant=tenant, defaults={"secret": secrets.token_hex(32)}
    )
    return bytes.fromhex(secret.secret)


def _check_municipality(tenant: Municipality) -> None:
    if tenant.kind != TenantKind.MUNICIPALITY or tenant.schema_name == get_public_schema_name():
        raise StatsError(f"{tenant.name} is not a municipality; only municipalities have statistics.")


def _lock_year(tenant: Municipality, year: int) -> None:
    with connection.cursor() as cursor:
        # Two recomputes of the same tenant-year wait for each other; the second reads the first's result.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [(_LOCK_NAMESPACE << 40) + (tenant.pk << 14) + year]
        )


@transaction.atomic
def tenant_year_recompute(*, tenant: Municipality, year: int, today: dt.date | None = None) -> int:
    """Replace the tenant's rollup rows of one calendar year with a fresh count, and publish from it (the
    open month's preliminary totals; periods that closed; revisions where corrections call for them).
    Returns the rollup rows written."""
    _check_municipality(tenant)
    _lock_year(tenant, year)
    record_key = record_key_function(record_key_secret(tenant=tenant))
    with tenant:
        counter = count_year(year, record_key=record_key)
        projects = _project_refs(tenant)
    periods = periods_of_year(year)
    RollupCell.objects.filter(
        tenant=tenant, period__gte=periods[0].start, period__lt=dt.date(year + 1, 1, 1)
    ).delete()
    rows = [
        RollupCell(
            tenant=tenant,
            value=value,
            cell_key=counter.cell_keys.get(key, 0),
            cut=cut_of(key._asdict()),
            **key._asdict(),
        )
        for key, value in sorted(counter.values.items())
        if value > 0
    ]
    RollupCell.objects.bulk_create(rows, batch_size=2000)
    publication_refresh(tenant=tenant, year=year, counter=counter, today=today)
    ProjectRef.objects.filter(tenant=tenant).delete()
    ProjectRef.objects.bulk_create(projects)
    return len(rows)


@transaction.atomic
def tenant_year_clear(*, tenant: Municipality, year: int, today: dt.date | None = None) -> None:
    """A year in which nothing counts any more (its data was deleted): its rollup goes, and what was
    published of it is revised as any correction would be."""
    _check_municipality(tenant)
    _lock_year(tenant, year)
    RollupCell.objects.filter(
        tenant=tenant, period__gte=dt.date(year, 1, 1), period__lt=dt.date(year + 1, 1, 1)
    ).delete()
    publication_refresh(tenant=tenant, year=year, counter=CellCounter(), today=today)


def _project_refs(tenant: Municipality) -> list[ProjectRef]:
    from core.models import Project

    return [
        ProjectRef(tenant=tenant, project=pk, name=name, funder=funder, starts_on=starts, ends_on=ends)
        for pk, name, funder, starts, ends in Project.objects.values_list(
            "id", "name", "funder_kind", "starts_on", "ends_on"
        )
    ]


def tenant_recompute(
    *, tenant: Municipality, first_year: int | None = None, today: dt.date | None = None
) -> int:
    """Recompute every year of the tenant from ``first_year`` (or its first data) to this year.

    Years before ``first_year`` are left alone; years without any data any more are cleared.
    """
    with tenant:
        years = years_with_data()
    if first_year is not None:
        years = [year for year in years if year >= first_year] or [first_year]
    written = 0
    for year in years:
        written += tenant_year_recompute(tenant=tenant, year=year, today=today)
    if first_year is None:
        with tenant:
            projects = _project_refs(tenant)
        ProjectRef.objects.filter(tenant=tenant).delete()
        ProjectRef.objects.bulk_create(projects)
        kept = set(years)
        stale = {
            day.year
            for model in (RollupCell, PublishedCell)
            for day in model.objects.filter(tenant=tenant).dates("period", "year")
        } - kept
        for year in sorted(stale):
            tenant_year_clear(tenant=tenant, year=year, today=today)
    return written


def stats_tenants() -> list[Municipality]:
    """The municipalities whose statistics are kept: those whose space is ready."""
    # member_municipalities() leaves out the public schema's own row, which is not a member.
    return list(member_municipalities().filter(status__in=list(READY_STATUSES)).order_by("schema_name"))


# --- After-commit hook for core services ------------------------------------------------------------------

_pending = threading.local()


def tenant_month_changed(*, day: dt.date | dt.datetime | None) -> None:
    """Something that counts changed in the current tenant on ``day`` (None: at no particular date, e.g. a
    person's gender or birth year). After the surrounding transaction commits, the rollup of that year and
    later ones is recomputed (later ones too: a first attendance decides who is new in later years).

    Call it from any core service that writes what statistics count; calls in one transaction are merged.
    """
    tenant = getattr(connection, "tenant", None)
    if (
        tenant is None
        or getattr(tenant, "kind", None) != TenantKind.MUNICIPALITY
        or tenant.schema_name == get_public_schema_name()
    ):
        return
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    first_year = day.year if day is not None else 0
    schema = tenant.schema_name
    pending: dict[str, tuple[Callable[[], None], int]] = _pending.__dict__.setdefault("by_schema", {})
    queued = pending.get(schema)
    if queued is not None and any(entry[1] is queued[0] for entry in connection.run_on_commit):
        pending[schema] = (queued[0], min(queued[1], first_year))
        return

    def send() -> None:
        _callback, year = pending.pop(schema, (send, first_year))
        from stats.tasks import stats_tenant_recompute

        if settings.STATS_RECOMPUTE_IN_THREAD:
            thread = threading.Thread(
                target=recompute_beside_request, kwargs={"schema_name": schema, "first_year": year or None}
            )
            thread.start()
            return
        stats_tenant_recompute.apply_async(
            kwargs={"schema_name": schema, "first_year": year or None}, headers={"_schema_name": schema}
        )

    pending[schema] = (send, first_year)
    transaction.on_commit(send)


def recompute_beside_request(*, schema_name: str, first_year: int | None) -> None:
    """The embedded demo's stand-in for a worker (no broker): a recompute takes seconds for a busy
    municipality, which a coordinator saving attendance on a phone must not wait for. Runs on the thread's
    own connection, closed afterwards; recomputes of one tenant-year wait for each other (advisory lock)."""
    try:
        tenant = Municipality.objects.get(schema_name=schema_name)
        tenant_recompute(tenant=tenant, first_year=first_year)
    except Exception:  # a thread's error would vanish: log it (no personal data: a schema name and a year)
        logger.exception("Statistics recompute failed for %s from %s", schema_name, first_year)
    finally:
        connection.close()
