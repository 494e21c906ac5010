"""The benchmark's own database: never the development or test database.

It lives on the same server as everything else (the embedded PostgreSQL under ``.data/`` when
``DATABASE_URL`` is unset, otherwise ``DATABASE_URL``'s server), under its own name,
``ivplatform_bench`` unless ``BENCH_DATABASE_NAME`` says otherwise. The runner resolves it once and hands
it to its subprocesses (gunicorn, ``migrate_schemas``) as ``BENCH_DATABASE_URL``.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse, urlunparse

import psycopg2
from django.core.exceptions import ImproperlyConfigured

from ivplatform.database import database_settings, embedded_database_url

DEFAULT_NAME = "ivplatform_bench"
MAINTENANCE_DATABASE = "postgres"


def bench_database_name() -> str:
    name = os.environ.get("BENCH_DATABASE_NAME", "").strip() or DEFAULT_NAME
    if not name.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"BENCH_DATABASE_NAME must be letters, digits and _, not {name!r}.")
    # The benchmark drops and rebuilds its database: a name without "bench" could be someone's data.
    if "bench" not in name:
        raise ImproperlyConfigured(f"BENCH_DATABASE_NAME must contain 'bench', not {name!r}.")
    return name


def with_database_name(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` on the same server, with the same user and options."""
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path=f"/{name}"))


def bench_database_url() -> str:
    """The URL of the benchmark database, created empty if it does not exist yet."""
    resolved = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if resolved:
        return resolved
    name = bench_database_name()
    server_url = os.environ.get("DATABASE_URL", "").strip()
    if not server_url:
        return embedded_database_url(name)
    if database_settings(server_url)["NAME"] == name:
        raise ImproperlyConfigured(
            f"DATABASE_URL names {name!r}: the benchmark would overwrite it. Set BENCH_DATABASE_NAME."
        )
    url = with_database_name(server_url, name)
    if not database_exists(url):
        create_database(url)
    return url


def _maintenance_connection(url: str) -> psycopg2.extensions.connection:
    settings = database_settings(with_database_name(url, MAINTENANCE_DATABASE))
    connection = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        **settings["OPTIONS"],
    )
    connection.autocommit = True  # CREATE/DROP DATABASE refuse to run inside a transaction
    return connection


def database_exists(url: str) -> bool:
    name = database_settings(url)["NAME"]
    with _maintenance_connection(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def create_database(url: str) -> None:
    name = database_settings(url)["NAME"]
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def drop_database(url: str) -> None:
    """Drop the benchmark database, ending any session still connected to it."""
    name = database_settings(url)["NAME"]
    if name != bench_database_name():
        raise ImproperlyConfigured(f"Refusing to drop {name!r}: only the benchmark database may be dropped.")
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()
