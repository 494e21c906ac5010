"""The database connection: DATABASE_URL when set, otherwise an embedded PostgreSQL from pgserver.

The embedded server lets a machine with no database server run the demo and the tests; its data lives
under ``.data/`` in the checkout. It is started on first use and left running, so later commands reuse it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = BASE_DIR / ".data" / "postgres"


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn ``postgres://user:password@host:port/name?host=/socket/dir`` into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, not {parsed.scheme!r}.")
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database, as in postgres://host/ivplatform.")
    query = parse_qs(parsed.query)
    host = unquote(parsed.hostname or "") or query.get("host", [""])[0]
    return {
        "ENGINE": "tenants.postgresql_backend",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 0,
        # No JIT compilation: our queries are short, and with a large municipality's data PostgreSQL's
        # cost estimates pass jit_above_cost and it compiled for 230 ms a query that then ran in under
        # one (`make bench`, figure "attendance"). Sent at connection start, so it costs no round trip.
        "OPTIONS": {"options": "-c jit=off"},
    }


def embedded_database_url(database: str = "ivplatform") -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for ``database``, creating it if needed."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); pgserver copes without it.
        warnings.simplefilter("ignore")
        import pgserver  # imported here: production never needs it

        EMBEDDED_DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None leaves the server running after this process exits, so later commands reuse it.
        server = pgserver.get_server(EMBEDDED_DATA_DIR, cleanup_mode=None)
    # psql takes no parameters: the name is quoted as a literal and as an identifier.
    literal, identifier = database.replace("'", "''"), database.replace('"', '""')
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{literal}';")  # noqa: S608
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{identifier}";')
    return str(server.get_uri(database))


def database_from_env(*, allow_embedded: bool) -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return parse_database_url(url)
    if not allow_embedded:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set, e.g. postgres://user:password@db:5432/ivplatform."
        )
    return parse_database_url(embedded_database_url())


def production_connection_options() -> dict[str, Any]:
    """How production keeps its connections: ``DATABASE_CONN_MAX_AGE`` seconds (60), checked before reuse."""
    from ivplatform.env import env_int

    max_age = env_int("DATABASE_CONN_MAX_AGE", 60)
    if max_age < 0:
        raise ImproperlyConfigured(f"DATABASE_CONN_MAX_AGE must be 0 or more seconds, not {max_age}.")
    return {"CONN_MAX_AGE": max_age, "CONN_HEALTH_CHECKS": max_age > 0}
