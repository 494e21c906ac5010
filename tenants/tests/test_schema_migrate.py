"""What migrate_schemas does per schema: list tables through the catalog index, check the project once, and
search for unmigrated model changes once per process (tenants/postgresql_backend, tenants/schema_migrate)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.utils import translation

from tenants import schema_migrate
from tenants.connection import tenant_connection
from tenants.postgresql_backend.introspection import SchemaScopedIntrospection
from tenants.schema_migrate import ChangesOnceAutodetector

pytestmark = pytest.mark.django_db


def django_table_list(schema: str) -> set[tuple[str, str]]:
    """Django's own answer: every relation visible on a search path of only ``schema``."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        (previous,) = cursor.fetchone()
        cursor.execute(f'SET search_path = "{schema}"')
        try:
            cursor.execute(
                """
                SELECT c.relname, CASE WHEN c.relispartition THEN 'p'
                    WHEN c.relkind IN ('m', 'v') THEN 'v' ELSE 't' END
                FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('f', 'm', 'p', 'r', 'v') AND n.nspname NOT IN ('pg_catalog', 'pg_toast')
                    AND pg_catalog.pg_table_is_visible(c.oid)
                """
            )
            return set(cursor.fetchall())
        finally:
            cursor.execute(f"SET search_path = {previous}")


def test_the_backend_lists_tables_through_the_scoped_introspection() -> None:
    assert isinstance(connection.introspection, SchemaScopedIntrospection)


def test_a_tenant_schema_lists_exactly_what_django_would_list() -> None:
    with connection.cursor() as cursor:
        # A view and a partitioned table, so every kind Django names is there; and a table of the same
        # name in another schema, which must not show.
        cursor.execute("CREATE VIEW varnamo.probe_view AS SELECT 1 AS one")
        cursor.execute("CREATE TABLE varnamo.probe_parts (day date) PARTITION BY RANGE (day)")
        cursor.execute("CREATE TABLE public.probe_elsewhere (id int)")
    tenant_connection().set_schema("varnamo")
    with connection.cursor() as cursor:
        listed = {(table.name, table.type) for table in connection.introspection.get_table_list(cursor)}
    assert listed == django_table_list("varnamo")
    # Django names a partitioned table's partitions "p"; the partitioned table itself is a table.
    assert {("probe_view", "v"), ("probe_parts", "t"), ("django_migrations", "t")} <= listed
    assert "probe_elsewhere" not in {name for name, _type in listed}
    assert ("core_person", "t") in listed


def test_a_schema_that_does_not_exist_lists_nothing() -> None:
    tenant_connection().set_schema("no_such_schema", include_public=False)
    with connection.cursor() as cursor:
        assert connection.introspection.table_names(cursor) == []
    tenant_connection().set_schema_to_public()


def test_migrate_schemas_checks_the_project_once_not_once_per_schema() -> None:
    calls: list[Any] = []

    def counting_check(**kwargs: Any) -> list[checks.CheckMessage]:
        calls.append(kwargs)
        return []

    checks.register(counting_check)
    try:
        call_command(
            "migrate_schemas", schema_name="varnamo", interactive=False, verbosity=0, skip_checks=False
        )
    finally:
        checks.registry.registry.registered_checks.discard(counting_check)  # type: ignore[arg-type]  # as registered
        tenant_connection().set_schema_to_public()
    assert len(calls) == 1


def test_the_change_search_runs_once_for_the_same_migrations_and_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema_migrate, "_changes_found", {})
    searches: list[int] = []
    original = ChangesOnceAutodetector._detect_changes  # type: ignore[attr-defined]  # private, not in django-stubs

    def counted(self: ChangesOnceAutodetector, *args: Any, **kwargs: Any) -> Any:
        searches.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ChangesOnceAutodetector, "_detect_changes", counted)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with translation.override(None):  # as migrate runs it: model options untranslated
        answers = [
            ChangesOnceAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
                loader.graph
            )
            for _schema in range(3)
        ]
    assert answers == [{}, {}, {}]
    assert len(searches) == 1


@translation.override(None)
def test_a_model_change_without_migration_is_still_reported_for_every_schema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema_migrate, "_changes_found", {})
    loader = MigrationLoader(None, ignore_no_migrations=True)
    # The models as the code has them, less one: the migrations now hold a model the code lacks.
    state = ProjectState.from_apps(apps)
    state.remove_model("partners", "partner")
    first = ChangesOnceAutodetector(loader.project_state(), state).changes(loader.graph)
    second = ChangesOnceAutodetector(loader.project_state(), state.clone()).changes(loader.graph)
    assert set(first) == set(second) == {"partners"}
    # The real models are a different question and get their own answer.
    assert (
        ChangesOnceAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(loader.graph)
        == {}
    )


def test_migrating_a_schema_still_reports_what_it_did() -> None:
    out = StringIO()
    call_command("migrate_schemas", schema_name="varnamo", interactive=False, verbosity=1, stdout=out)
    tenant_connection().set_schema_to_public()
    assert "No migrations to apply." in out.getvalue()
