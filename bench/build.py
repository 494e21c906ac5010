"""The benchmark database: its tenants, cloned from a migrated template schema, and their volumes.

Cloning a template (``tenants.clone.schema_clone``, the clone provisioning uses) and
inserting rows in bulk makes 300 tenants in about a minute, where running every migration for each would
take far longer as the migrations grow. The database records its shape (tenant count, volume builders
and their versions, the migrations on disk); a run that finds the same shape reuses it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

from bench import volumes
from bench.database import bench_database_url, create_database, drop_database
from bench.plan import BenchTenant, plan_tenants
from bench.schemas import use_public_schema
from tenants.clone import schema_clone
from tenants.models import Domain, Municipality, TenantStatus
from tenants.services import public_tenant_ensure

Log = Callable[[str], None]

# Bump when the way this module builds the database changes, so old benchmark databases are rebuilt.
BUILD_FORMAT = "1"
SHAPE_TABLE = "bench_shape"


def template_schema_name() -> str:
    """The project's template schema when it has one, otherwise the benchmark's own."""
    return str(getattr(settings, "TENANT_BASE_SCHEMA", "") or "tenant_template")


class Progress:
    """Prints "label: done/total (rate/s, ETA)" at most every few seconds and at the end."""

    def __init__(self, label: str, total: int, log: Log, every: float = 3.0) -> None:
        self.label, self.total, self.log, self.every = label, total, log, every
        self.done = 0
        self.started = self.last = time.perf_counter()
        self._lock = threading.Lock()

    def step(self, count: int = 1) -> None:
        with self._lock:
            self.done += count
            now = time.perf_counter()
            if self.done < self.total and now - self.last < self.every:
                return
            self.last = now
            elapsed = now - self.started
            rate = self.done / elapsed if elapsed > 0 else 0.0
            eta = (self.total - self.done) / rate if rate > 0 else 0.0
            tail = f"{elapsed:.1f} s" if self.done >= self.total else f"{rate:.1f}/s, about {eta:.0f} s left"
            self.log(f"  {self.label}: {self.done}/{self.total} ({tail})")


@dataclass
class BuildReport:
    reused: bool
    seconds: float
    tenants: int
    rows: dict[str, int] = field(default_factory=dict)


def shape_fingerprint(plan: Sequence[BenchTenant], builders: Sequence[volumes.VolumeBuilder]) -> str:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    shape = {
        "format": BUILD_FORMAT,
        "tenants": [(tenant.slug, tenant.size.value, tenant.kind) for tenant in plan],
        "builders": [(builder.name, builder.version, builder.scope) for builder in builders],
        "migrations": sorted(f"{app}.{name}" for app, name in loader.disk_migrations),
        "template": template_schema_name(),
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def stored_shape() -> str | None:
    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"public.{SHAPE_TABLE}"])
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return None
        cursor.execute(f"SELECT value FROM public.{SHAPE_TABLE} WHERE key = 'shape'")  # noqa: S608 - a constant
        found = cursor.fetchone()
    return None if found is None else str(found[0])


def store_shape(shape: str) -> None:
    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS public.{SHAPE_TABLE} (key text PRIMARY KEY, value text)")
        cursor.execute(
            f"INSERT INTO public.{SHAPE_TABLE} (key, value) VALUES ('shape', %s) "  # noqa: S608 - a constant
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [shape],
        )


def template_ensure(name: str) -> None:
    """Create the template schema and run every tenant migration in it (nothing else: it holds no data)."""
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=0)
    use_public_schema()


def _clone_all(template: str, slugs: Sequence[str], workers: int, progress: Progress) -> None:
    """Clone ``template`` into each slug's schema, on ``workers`` connections at once.

    With one worker the current connection (and its transaction, in tests) is used. The clone is the one
    provisioning uses (``tenants.clone.schema_clone``): django-tenants' clone_schema() reads
    information_schema, whose cost grows with every schema, and took minutes per clone past 200 here.
    """

    def clone_chunk(chunk: Sequence[str], own_connection: bool) -> None:
        try:
            use_public_schema()
            for slug in chunk:
                schema_clone(source=template, target=slug)
                progress.step()
        finally:
            if own_connection:
                connection.close()

    use_public_schema()
    if workers <= 1:
        clone_chunk(slugs, own_connection=False)
        return
    errors: list[BaseException] = []

    def run(chunk: Sequence[str]) -> None:
        try:
            clone_chunk(chunk, own_connection=True)
        except BaseException as exc:  # re-raised in the calling thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(slugs[index::workers],)) for index in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def build_tenants(
    plan: Sequence[BenchTenant],
    *,
    template: str,
    builders: Sequence[volumes.VolumeBuilder],
    workers: int,
    log: Log,
) -> dict[str, int]:
    """Clone a schema for each planned tenant, add its tenant and domain rows, then its volumes.

    Returns the rows each volume builder wrote. The template schema must exist and be migrated.
    """
    slugs = [tenant.slug for tenant in plan]
    _clone_all(template, slugs, workers, Progress("cloning schemas", len(plan), log))
    use_public_schema()
    with transaction.atomic():
        # bulk_create skips Municipality.save(), which would create (migrate or clone) the schema again.
        tenants = Municipality.objects.bulk_create(
            Municipality(
                schema_name=tenant.slug, name=tenant.name, kind=tenant.kind, status=TenantStatus.ACTIVE
            )
            for tenant in plan
        )
        Domain.objects.bulk_create(
            Domain(domain=planned.host, tenant=tenant, is_primary=True)
            for planned, tenant in zip(plan, tenants, strict=True)
        )
    rows: dict[str, int] = {}
    for builder in builders:
        if builder.scope == "public":
            use_public_schema()
            with transaction.atomic():
                rows[builder.name] = builder.build(plan)
            log(f"  {builder.name}: {rows[builder.name]} rows")
            continue
        progress = Progress(builder.name, len(plan), log)
        rows[builder.name] = 0
        for planned, tenant in zip(plan, tenants, strict=True):
            with tenant, transaction.atomic():
                rows[builder.name] += builder.build(planned)
            progress.step()
        log(f"  {builder.name}: {rows[builder.name]} rows")
    use_public_schema()
    return rows


def reset_database() -> None:
    """Drop the benchmark database and create it empty (``drop_database`` refuses any other name)."""
    connection.close()
    url = bench_database_url()
    drop_database(url)
    create_database(url)


def build(municipalities: int, *, rebuild: bool, workers: int, log: Log) -> BuildReport:
    started = time.perf_counter()
    plan = plan_tenants(municipalities)
    builders = volumes.discover()
    shape = shape_fingerprint(plan, builders)
    if not rebuild and stored_shape() == shape:
        log(f"Reusing the benchmark database: {len(plan)} tenants, same migrations and volumes.")
        return BuildReport(reused=True, seconds=time.perf_counter() - started, tenants=len(plan))
    log(
        f"Building the benchmark database {settings.DATABASES['default']['NAME']!r}: "
        f"{municipalities} municipalities and the association" + (" (BENCH_REBUILD)" if rebuild else "")
    )
    reset_database()
    step = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    public_tenant_ensure(domain=settings.BASE_DOMAIN)
    log(f"  public schema migrated ({time.perf_counter() - step:.1f} s)")
    step = time.perf_counter()
    template = template_schema_name()
    template_ensure(template)
    log(f"  template schema {template!r} migrated ({time.perf_counter() - step:.1f} s)")
    rows = build_tenants(plan, template=template, builders=builders, workers=workers, log=log)
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  statistics analysed ({time.perf_counter() - step:.1f} s)")
    store_shape(shape)
    seconds = time.perf_counter() - started
    log(f"Built {len(plan)} tenants in {seconds:.0f} s.")
    return BuildReport(reused=False, seconds=seconds, tenants=len(plan), rows=rows)
