"""The database connection: DATABASE_URL when set, otherwise an embedded PostgreSQL from pgserver.

The URL is read by dj-database-url. The embedded server lets a machine with no database server run the demo
and the tests; its data lives under ``.data/`` in the checkout. It is started on first use and left running,
so later commands reuse it; `make test` stops it again when it was the one that started it
(``python -m ivplatform.database``). pgserver is a development dependency (the ``dev`` extra): it is imported
only when the fallback is used, which production settings refuse.
"""

from __future__ import annotations

import os
import signal
import sys
import warnings
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = BASE_DIR / ".data" / "postgres"
POSTGRES_ENGINE = "django.db.backends.postgresql"
# No JIT compilation: our queries are short, and with a large municipality's data PostgreSQL's cost
# estimates pass jit_above_cost and it compiled for 230 ms a query that then ran in under one
# (`make bench`, figure "attendance"). Sent at connection start, so it costs no round trip.
NO_JIT = "-c jit=off"


def database_settings(url: str) -> dict[str, Any]:
    """The DATABASES entry for a ``postgres://`` URL, on django-tenants' backend, without JIT."""
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError as error:  # an unknown scheme or a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
    if config["ENGINE"] != POSTGRES_ENGINE:
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL.")
    if not config["NAME"]:
        raise ImproperlyConfigured("DATABASE_URL must name a database, as in postgres://host/ivplatform.")
    options: dict[str, Any] = config.setdefault("OPTIONS", {})
    # libpq's socket form, postgres://user@/name?host=/socket/dir (pgserver's URLs): dj-database-url keeps
    # the query in OPTIONS, where the connection finds it but pg_dump and psql (tenants.backup) would not.
    if not config["HOST"] and "host" in options:
        config["HOST"] = str(options.pop("host"))
    options["options"] = f"{NO_JIT} {options['options']}" if options.get("options") else NO_JIT
    config["ENGINE"] = "tenants.postgresql_backend"
    return config


def embedded_database_url(database: str = "ivplatform") -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for ``database``, creating it if needed."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); pgserver copes without it.
        warnings.simplefilter("ignore")
        try:
            import pgserver  # imported here, only for the fallback: production never needs it
        except ImportError:
            raise ImproperlyConfigured(
                "DATABASE_URL is not set, and the embedded PostgreSQL for development (pgserver) is not "
                'installed: set DATABASE_URL, or install the development extra (pip install -e ".[dev]").'
            ) from None

        EMBEDDED_DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None leaves the server running after this process exits, so later commands reuse it.
        server = pgserver.get_server(EMBEDDED_DATA_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return str(server.get_uri(database))


def database_from_env(*, allow_embedded: bool) -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return database_settings(url)
    if not allow_embedded:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set, e.g. postgres://user:password@db:5432/ivplatform "
            "(the embedded PostgreSQL is for development and tests only)."
        )
    return database_settings(embedded_database_url())


def production_connection_options() -> dict[str, Any]:
    """How production keeps its connections: ``DATABASE_CONN_MAX_AGE`` seconds (60), checked before reuse."""
    from ivplatform.env import env_int

    max_age = env_int("DATABASE_CONN_MAX_AGE", 60)
    if max_age < 0:
        raise ImproperlyConfigured(f"DATABASE_CONN_MAX_AGE must be 0 or more seconds, not {max_age}.")
    return {"CONN_MAX_AGE": max_age, "CONN_HEALTH_CHECKS": max_age > 0}


# --- Is the embedded server running, and stopping it (`make test`) -------------------------------------


def embedded_server_pid() -> int | None:
    """The embedded PostgreSQL's postmaster while it runs, else None. Only a live postgres process serving
    this checkout's data directory counts: a stale postmaster.pid may name a reused process id."""
    import psutil  # comes with pgserver

    try:
        pid = int((EMBEDDED_DATA_DIR / "postmaster.pid").read_text().split("\n", 1)[0])
        process = psutil.Process(pid)
        command = process.cmdline()
    except (FileNotFoundError, ValueError, psutil.Error):
        return None
    serves_ours = "postgres" in process.name() and str(EMBEDDED_DATA_DIR.resolve()) in " ".join(command)
    return pid if serves_ours else None


def embedded_server_stop(*, timeout: float = 60.0) -> bool:
    """Stop the embedded PostgreSQL if it runs (a fast shutdown: sessions end, data is written); True if
    it was running."""
    import psutil

    pid = embedded_server_pid()
    if pid is None:
        return False
    process = psutil.Process(pid)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except psutil.TimeoutExpired as exc:
        raise TimeoutError(
            f"The embedded PostgreSQL (process {pid}) did not stop within {timeout:.0f} s."
        ) from exc
    return True


def main(argv: list[str]) -> int:
    """``python -m ivplatform.database status``: prints ``running`` or ``stopped`` (``external`` when
    DATABASE_URL is set, so nothing embedded is used); ``… stop`` stops the embedded server."""
    command = argv[0] if argv else "status"
    if command == "status":
        external = bool(os.environ.get("DATABASE_URL", "").strip())
        print("external" if external else "running" if embedded_server_pid() else "stopped")
        return 0
    if command == "stop":
        if embedded_server_stop():
            print("Stopped the embedded PostgreSQL.")
        return 0
    print("usage: python -m ivplatform.database status|stop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
