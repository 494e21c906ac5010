"""Tenant provisioning: a new tenant cloned from the migrated template vs one that runs every migration.

Both go through ``tenants.services.tenant_create`` (schema, tenant row, host); the clone path is
django-tenants' own: ``TENANT_CREATION_FAKES_MIGRATIONS`` with ``TENANT_BASE_SCHEMA``, which copies the
template schema and then fakes the migrations. Each is timed a few times, alternating, and the median
kept; the tenants made are deleted with their schemas.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time

from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_exists

from bench.build import template_schema_name
from bench.context import BenchContext
from bench.figures import figure
from bench.report import AtMost, Figure
from bench.schemas import use_public_schema
from tenants.models import Municipality
from tenants.services import tenant_create

PREFIX = "benchprov"
ROUNDS = 3


def _drop_leftovers() -> None:
    """Remove tenants a crashed earlier run may have left behind."""
    use_public_schema()
    for tenant in Municipality.objects.filter(schema_name__startswith=PREFIX):
        tenant.delete(force_drop=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [PREFIX.replace("_", r"\_") + "%"]
        )
        leftovers = [row[0] for row in cursor.fetchall()]
        for schema in leftovers:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _timed_create(slug: str, *, clone: bool) -> float:
    """Seconds to create one tenant; it is deleted again afterwards."""
    overrides = (
        {"TENANT_CREATION_FAKES_MIGRATIONS": True, "TENANT_BASE_SCHEMA": template_schema_name()}
        if clone
        else {"TENANT_CREATION_FAKES_MIGRATIONS": False, "TENANT_BASE_SCHEMA": None}
    )
    use_public_schema()
    with override_settings(**overrides), contextlib.redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        tenant = tenant_create(slug=slug, name=f"Provisioning {slug}")
        seconds = time.perf_counter() - started
    use_public_schema()
    if not schema_exists(slug):
        raise RuntimeError(f"Provisioning {slug} made no schema.")
    with tenant, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        applied = cursor.fetchone()
    if not applied or applied[0] == 0:
        raise RuntimeError(f"Provisioning {slug} recorded no migrations.")
    tenant.delete(force_drop=True)
    return seconds


@figure(name="provisioning", order=10)
def measure(ctx: BenchContext) -> Figure:
    if not schema_exists(template_schema_name()):
        raise RuntimeError(f"The template schema {template_schema_name()!r} is missing.")
    _drop_leftovers()
    cloned: list[float] = []
    migrated: list[float] = []
    try:
        for round_number in range(ROUNDS):
            # Alternate which goes first so neither always finds the caches warm.
            order = (True, False) if round_number % 2 == 0 else (False, True)
            for clone in order:
                slug = f"{PREFIX}{round_number}{'c' if clone else 'm'}"
                (cloned if clone else migrated).append(_timed_create(slug, clone=clone))
            ctx.log(
                f"  round {round_number + 1}/{ROUNDS}: clone {cloned[-1]:.2f} s, migrate {migrated[-1]:.2f} s"
            )
    finally:
        _drop_leftovers()
    return Figure(
        name="Tenant provisioning (new schema, tenant row, host)",
        ours=statistics.median(cloned),
        ours_label="clone of template",
        baseline=statistics.median(migrated),
        baseline_label="all migrations",
        unit="s",
        target=AtMost(2.0),
        note=(
            f"Median of {ROUNDS} each through tenants.services.tenant_create, with all {len(ctx.plan)} tenants "
            "of the benchmark present. The clone copies the template schema with tenants.clone.schema_clone "
            "(which reads pg_catalog by the template's namespace, so it does not slow as schemas accumulate) "
            "and fakes the migrations; running the migrations instead grows with every migration the apps add."
        ),
    )
