"""The template schema every new tenant is cloned from.

django-tenants clones ``TENANT_BASE_SCHEMA`` (tables and rows: the migration records, content types and
permissions come along) and then only records the migrations as applied, which takes a fraction of the
time of running them all. That is only right while the template is exactly as migrated as the code, so:

- every ``migrate_schemas`` that migrates all tenants creates the template if missing and migrates it first
  (the executor from ``get_executor``, installed through django-tenants' ``GET_EXECUTOR_FUNCTION``), then
  verifies it and fails the command if it still lags;
- the system check ``tenants.E001`` (``manage.py check --database default``) fails when it lags;
- provisioning refuses to clone a template that lags (``template_schema_require_current``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor as DjangoMigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors import get_executor as django_tenants_get_executor
from django_tenants.migration_executors.base import MigrationExecutor
from django_tenants.utils import (
    get_public_schema_name,
    get_tenant_database_alias,
    quote_schema_name,
    schema_exists,
)

from tenants.connection import tenant_connection

# True while this process runs migrations: the lag check must not stop the very command that fixes it.
_migrating: ContextVar[bool] = ContextVar("template_schema_migrating", default=False)


class TemplateSchemaError(Exception):
    """The template schema is missing or behind the migrations; the message says what to run."""


def template_schema_name() -> str:
    return str(settings.TENANT_BASE_SCHEMA)


def template_schema_create() -> None:
    connection = connections[get_tenant_database_alias()]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_schema_name(template_schema_name())}")


def template_schema_unapplied() -> list[str] | None:
    """Migrations the template lacks, as ``app.name``; None when the template schema does not exist."""
    name = template_schema_name()
    connection = tenant_connection()
    if not schema_exists(name):
        return None
    previous_tenant, previous_include_public = connection.tenant, connection.include_public_schema
    # Only the template on the search path: otherwise a missing migration table there would be read
    # from the public schema instead.
    connection.set_schema(name, include_public=False)
    try:
        executor = DjangoMigrationExecutor(connections[get_tenant_database_alias()])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_tenant(previous_tenant, previous_include_public)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@cache
def _migrations_of_the_code() -> frozenset[tuple[str, str]]:
    # The migration files do not change while the process runs: read them from disk once.
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def template_schema_is_current() -> bool:
    """Whether the template has every migration the code has: two small queries, for readiness probes.

    Same answer as ``template_schema_unapplied() == []``, without building a migration plan each time.
    """
    schema = quote_schema_name(template_schema_name())
    connection = connections[get_tenant_database_alias()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{schema}.django_migrations"])
        (table,) = cursor.fetchone()
        if table is None:
            return False
        cursor.execute(f"SELECT app, name FROM {schema}.django_migrations")
        recorded = {(app, name) for app, name in cursor.fetchall()}
    return _migrations_of_the_code() <= recorded


def template_schema_problem() -> str | None:
    """Why the template cannot be cloned now, or None when it is current."""
    unapplied = template_schema_unapplied()
    if unapplied is None:
        return (
            f"The template schema {template_schema_name()!r} does not exist. Run `manage.py migrate_schemas`."
        )
    if unapplied:
        shown = ", ".join(unapplied[:5]) + (" …" if len(unapplied) > 5 else "")
        return (
            f"The template schema {template_schema_name()!r} lags behind the code by {len(unapplied)} "
            f"migration(s) ({shown}). Run `manage.py migrate_schemas`."
        )
    return None


def template_schema_require_current() -> None:
    problem = template_schema_problem()
    if problem is not None:
        raise TemplateSchemaError(problem)


@contextmanager
def _migrations_running() -> Iterator[None]:
    token = _migrating.set(True)
    try:
        yield
    finally:
        _migrating.reset(token)


@register(Tags.database)
def check_template_schema(**kwargs: Any) -> list[CheckMessage]:
    """tenants.E001: the template must exist and be fully migrated, or new tenants would lack tables."""
    if _migrating.get() or not kwargs.get("databases"):
        return []
    problem = template_schema_problem()
    if problem is None:
        return []
    return [Error(problem, id="tenants.E001")]


def get_executor(codename: str | None = None) -> type[MigrationExecutor]:
    """django-tenants' executor of that name, taught to keep the template schema migrated."""
    return _with_template(django_tenants_get_executor(codename))


@cache
def _with_template(base: type[MigrationExecutor]) -> type[MigrationExecutor]:
    class TemplateAwareExecutor(base):
        def run_migrations(self, tenants: Iterable[str] | None = None) -> None:
            schemas = list(tenants or [])
            with _migrations_running():
                # migrate_schemas calls this once for the public schema and once for all tenants (or the
                # one named with --schema). The template joins the all-tenants call, first in line.
                if self.options.get("schema_name") or get_public_schema_name() in schemas:
                    super().run_migrations(tenants=schemas)
                    return
                template_schema_create()
                super().run_migrations(tenants=[template_schema_name(), *schemas])
            if self._migrated_to_latest():
                problem = template_schema_problem()
                if problem is not None:
                    raise CommandError(problem)

        def _migrated_to_latest(self) -> bool:
            # A target (app_label/migration_name), --plan, --check or --fake leaves the template where
            # it was asked to be, not necessarily at the latest migration.
            return not any(
                self.options.get(option)
                for option in ("app_label", "migration_name", "plan", "check_unapplied", "fake")
            )

    TemplateAwareExecutor.__name__ = f"TemplateAware{base.__name__}"
    TemplateAwareExecutor.__qualname__ = TemplateAwareExecutor.__name__
    return TemplateAwareExecutor
