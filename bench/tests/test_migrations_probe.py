"""The throwaway app of the migrate_schemas figure: written only to a temporary directory, removed after."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from bench.build import template_schema_name
from bench.config import PROJECT_DIR
from bench.figures.migrations import (
    PROBE_APP,
    remove_probe,
    schemas_with_table,
    tenant_schemas,
    write_probe_app,
)


def test_the_probe_app_gets_one_more_migration_each_time(tmp_path: Path) -> None:
    write_probe_app(tmp_path, migrations=1)
    migrations = tmp_path / PROBE_APP / "migrations"
    assert sorted(path.name for path in migrations.glob("0*.py")) == ["0001_probea.py"]
    assert "class ProbeB" not in (tmp_path / PROBE_APP / "models.py").read_text()
    write_probe_app(tmp_path, migrations=2)
    assert sorted(path.name for path in migrations.glob("0*.py")) == ["0001_probea.py", "0002_probeb.py"]
    assert "class ProbeB" in (tmp_path / PROBE_APP / "models.py").read_text()
    assert '("benchprobe", "0001_probea")' in (migrations / "0002_probeb.py").read_text()
    write_probe_app(tmp_path, migrations=1)  # back to one: the second is gone again
    assert sorted(path.name for path in migrations.glob("0*.py")) == ["0001_probea.py"]
    # Never inside the project: nothing of it can be committed.
    assert not (PROJECT_DIR / PROBE_APP).exists()


@pytest.mark.django_db
def test_removing_the_probe_drops_its_tables_and_records_in_every_tenant_schema() -> None:
    schemas = tenant_schemas()
    assert "varnamo" in schemas
    assert "public" not in schemas
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'CREATE TABLE "{schema}".benchprobe_probea (id bigint)')
            cursor.execute(f'CREATE TABLE "{schema}".benchprobe_probed (id bigint)')
            cursor.execute(
                f"INSERT INTO \"{schema}\".django_migrations (app, name, applied) VALUES ('{PROBE_APP}', '0001_probea', now())"
            )
    assert schemas_with_table("benchprobe_probea") == len(schemas)
    remove_probe()
    remove_probe()  # safe to run again
    assert schemas_with_table("benchprobe_probea") == schemas_with_table("benchprobe_probed") == 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM varnamo.django_migrations WHERE app = '{PROBE_APP}'")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_the_template_schema_counts_among_the_schemas_migrate_schemas_migrates() -> None:
    # The project's migrate_schemas migrates the template too: the probe reaches it, and must leave it.
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{template_schema_name()}"')
    schemas = tenant_schemas()
    assert schemas.count(template_schema_name()) == 1
    assert "varnamo" in schemas
