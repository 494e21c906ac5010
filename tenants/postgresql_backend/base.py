"""django-tenants' database wrapper with the schema-scoped table listing (see ``introspection``)."""

from __future__ import annotations

from typing import Any

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from tenants.postgresql_backend.introspection import SchemaScopedIntrospection


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # django-tenants sets its own introspection in __init__, so this must come after it.
        self.introspection = SchemaScopedIntrospection(self)
