"""``migrate_schemas`` over every tenant: django-tenants' standard executor vs the multiprocessing one.

Measured as a deploy runs it, ``manage.py migrate_schemas --noinput --executor=…`` in a fresh process
(public schema first, then every tenant), once each, ours first (a first run pays for cold caches, so the
order can only favour the baseline). One run each is enough at this size: two runs of the same executor
differed by under a tenth at 300 tenants, while the two executors differ by about two fifths. Twice each
took a quarter of the whole benchmark on a slow machine:

- with nothing to apply;
- with one new migration: a throwaway tenant app (``benchprobe``) is written to a temporary directory and
  put on the path of those processes only. Each run finds one more migration than the last (each a new
  table), so every run does the same work. The probe's tables, migration records, content types and
  permissions are removed afterwards (and before, should an earlier run have stopped half-way). Nothing of
  it is ever committed.

Ours is the multiprocessing executor with ``TENANT_MULTIPROCESSING_MAX_PROCESSES`` (a process per core).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_exists

from bench.build import template_schema_name
from bench.config import PROJECT_DIR
from bench.context import BenchContext
from bench.figures import figure
from bench.report import AnyOf, AtMost, Figure, RatioAtMost
from bench.schemas import use_public_schema

PROBE_APP = "benchprobe"
OURS = "multiprocessing"
BASELINE = "standard"
# Ours must not be slower than the standard executor, unless both are so quick that it does not matter
# for a deploy: with a few tenants, starting the process pool costs more than it saves.
TARGET = AnyOf((RatioAtMost(1.0), AtMost(10.0)))

# One model, and one migration creating it, per run with a new migration (two are used; removing the probe
# also clears the others, which earlier versions of the figure made).
PROBES = "ABCD"


def _model(letter: str) -> str:
    return f"""

class Probe{letter}(models.Model):
    label = models.CharField(max_length=40)
"""


def _migration(number: int) -> str:
    dependencies = f'[("{PROBE_APP}", "{_migration_name(number - 1)}")]' if number > 1 else "[]"
    return f"""from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = {dependencies}
    operations = [
        migrations.CreateModel(
            name="Probe{PROBES[number - 1]}",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("label", models.CharField(max_length=40)),
            ],
        ),
    ]
"""


def _migration_name(number: int) -> str:
    return f"{number:04d}_probe{PROBES[number - 1].lower()}"


def write_probe_app(root: Path, migrations: int) -> None:
    """The throwaway app under ``root`` with its first ``migrations`` migrations, each a new model."""
    if not 1 <= migrations <= len(PROBES):
        raise ValueError(f"The probe app has 1 to {len(PROBES)} migrations.")
    package = root / PROBE_APP
    (package / "migrations").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    models = "from django.db import models\n" + "".join(_model(letter) for letter in PROBES[:migrations])
    (package / "models.py").write_text(models)
    for number in range(1, len(PROBES) + 1):
        path = package / "migrations" / f"{_migration_name(number)}.py"
        if number <= migrations:
            path.write_text(_migration(number))
        elif path.exists():
            path.unlink()
    for cache in package.rglob("__pycache__"):
        for compiled in cache.iterdir():
            compiled.unlink()


def probe_tables() -> list[str]:
    return [f"{PROBE_APP}_probe{letter.lower()}" for letter in PROBES]


def tenant_schemas() -> list[str]:
    """Every schema ``migrate_schemas`` migrates besides public: the tenants', and the template new tenants
    are cloned from when it exists (the project's ``migrate_schemas`` migrates it first, tenants/template.py)."""
    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schema_name FROM tenants_municipality WHERE schema_name <> %s ORDER BY schema_name",
            [settings.PUBLIC_SCHEMA_NAME],
        )
        names = [row[0] for row in cursor.fetchall()]
    template = template_schema_name()
    if template not in names and schema_exists(template):
        names.append(template)
    return names


def remove_probe() -> None:
    """Drop every trace of the probe app from every tenant schema (safe to run when there is none)."""
    schemas = tenant_schemas()
    with connection.cursor() as cursor:
        for schema in schemas:
            tables = ", ".join(f'"{schema}".{table}' for table in probe_tables())
            cursor.execute(  # schema names from the catalogue, the rest constants
                f"DROP TABLE IF EXISTS {tables};"  # noqa: S608
                f"DELETE FROM \"{schema}\".django_migrations WHERE app = '{PROBE_APP}';"
                f'DELETE FROM "{schema}".auth_permission WHERE content_type_id IN '
                f"(SELECT id FROM \"{schema}\".django_content_type WHERE app_label = '{PROBE_APP}');"
                f"DELETE FROM \"{schema}\".django_content_type WHERE app_label = '{PROBE_APP}';"
            )


def schemas_with_table(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = %s", [table])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def run_migrate(ctx: BenchContext, executor: str, probe_root: Path | None) -> float:
    """Seconds for one ``migrate_schemas`` process with ``executor``; fails loudly if it fails."""
    extra = {"BENCH_EXTRA_TENANT_APPS": PROBE_APP} if probe_root else {}
    env = ctx.subprocess_env(**extra)
    if probe_root:
        env["PYTHONPATH"] = f"{probe_root}:{env['PYTHONPATH']}"
    started = time.perf_counter()
    completed = subprocess.run(
        [ctx.python, "manage.py", "migrate_schemas", "--noinput", f"--executor={executor}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"migrate_schemas --executor={executor} failed:\n{completed.stderr[-3000:]}")
    return seconds


@figure(name="migrate_schemas", order=30)
def measure(ctx: BenchContext) -> list[Figure]:
    schemas = len(tenant_schemas())
    processes = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
    # Ours first: a cold first run only ever handicaps ours.
    order = (OURS, BASELINE)
    noop: dict[str, list[float]] = {OURS: [], BASELINE: []}
    for executor in order:
        noop[executor].append(run_migrate(ctx, executor, None))
        ctx.log(f"  nothing to apply, {executor}: {noop[executor][-1]:.1f} s")

    new: dict[str, list[float]] = {OURS: [], BASELINE: []}
    remove_probe()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-probe-") as root:
            for migrations, executor in enumerate(order, start=1):
                write_probe_app(Path(root), migrations=migrations)
                new[executor].append(run_migrate(ctx, executor, Path(root)))
                ctx.log(f"  one new migration, {executor}: {new[executor][-1]:.1f} s")
        applied = [schemas_with_table(table) for table in probe_tables()[: len(order)]]
        if applied != [schemas] * len(order):
            raise RuntimeError(f"The probe migrations reached {applied} of {schemas} tenant schemas.")
    finally:
        remove_probe()

    common = (
        f"{schemas} tenant schemas (the template included) and public, `manage.py migrate_schemas --noinput --executor=…` in a fresh "
        f"process (start-up included). Ours: {OURS} with TENANT_MULTIPROCESSING_MAX_PROCESSES={processes}; "
        f"baseline: django-tenants' {BASELINE} executor, one schema after another. With a few tenants the "
        "process pool costs more to start than it saves; a step under 10 s is fine either way."
    )
    return [
        Figure(
            name="migrate_schemas, nothing to apply",
            ours=noop[OURS][0],
            ours_label=OURS,
            baseline=noop[BASELINE][0],
            baseline_label=BASELINE,
            unit="s",
            target=TARGET,
            note=f"{common} One run each, ours first.",
        ),
        Figure(
            name="migrate_schemas, one new migration",
            ours=new[OURS][0],
            ours_label=OURS,
            baseline=new[BASELINE][0],
            baseline_label=BASELINE,
            unit="s",
            target=TARGET,
            note=(
                f"{common} One run each, ours first; each run applies one more throwaway "
                "migration creating a table in every tenant schema (with its content type and permissions), "
                "from a temporary app that exists only for these runs and is removed afterwards."
            ),
        ),
    ]
