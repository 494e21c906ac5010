"""Django's ``migrate`` as ``migrate_schemas`` runs it once per schema (``TENANT_BASE_MIGRATE_COMMAND``).

Two things Django's command does per run are answers about the code, not about the schema, and at 300
tenants they were a quarter of a deploy's migration step (``make bench``, figure "migrate_schemas"):

- the system checks: ``migrate_schemas`` has already run them once, before the first schema;
- with nothing to apply, the search for model changes that have no migration yet ("Your models in app(s)
  … have changes"): it compares the models with the migration files, so one answer serves every schema.
  The notice is still printed for every schema it concerns.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.graph import MigrationGraph

# (leaf migrations, models) → the changes found; per process (each multiprocessing worker has its own).
_changes_found: dict[tuple[Any, ...], dict[str, list[Any]]] = {}


class ChangesOnceAutodetector(MigrationAutodetector):
    """Remembers, per process, what the change search found for the same migrations and models."""

    def changes(
        self,
        graph: MigrationGraph,
        trim_to_apps: Any = None,
        convert_apps: Any = None,
        migration_name: str | None = None,
    ) -> dict[str, list[Any]]:
        if trim_to_apps or convert_apps or migration_name:
            return super().changes(graph, trim_to_apps, convert_apps, migration_name)
        key = (tuple(sorted(graph.leaf_nodes())), tuple(sorted(self.to_state.models)))
        if key not in _changes_found:
            _changes_found[key] = super().changes(graph)
        return _changes_found[key]


class Command(migrate.Command):
    autodetector = ChangesOnceAutodetector

    def execute(self, *args: Any, **options: Any) -> Any:
        # migrate_schemas checked the project before its first schema (unless told --skip-checks); the
        # checks read the code, so running them again for each of hundreds of schemas only costs time.
        return super().execute(*args, **{**options, "skip_checks": True})
