"""Backup and restore of one tenant: its schema (pg_dump -n) and its tenant row, in one file.

A backup is a tar file with ``tenant.json`` (the tenant's row from the public schema: name, kind, county,
status, contact) and ``schema.dump`` (``pg_dump --format=custom --schema=<slug>``).

Restoring under another slug cannot edit names inside the dump safely (a schema name may appear in any
data). Instead the dump is restored under its own schema name and renamed, in one psql transaction: if that
name is taken by a live tenant, the live schema is renamed aside for the duration of the transaction and
back before it commits. PostgreSQL stores references between objects (sequences, triggers, foreign keys)
by identity, not by name, so everything follows the rename, and other sessions never see the intermediate
names. Then the tenant row and its host are created and any newer migrations are applied to the schema.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.postgresql_backend.base import is_valid_schema_name
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.models import Domain, Municipality
from tenants.selectors import tenant_host

FORMAT = "ivplatform-tenant-backup"
FORMAT_VERSION = 1
META_NAME = "tenant.json"
DUMP_NAME = "schema.dump"
# A slug is both a schema name and the first label of a host name: lower-case letters and digits.
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,39}$")
TENANT_FIELDS = ("name", "kind", "county", "status", "contact_email")


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def postgres_tool(name: str) -> str:
    """Path of pg_dump, pg_restore or psql matching the server.

    PG_BIN_DIR wins when set. With DATABASE_URL the server is a real one and the system's client tools
    are used; without it the embedded server from pgserver runs, and its own tools (same version) are.
    """
    candidates: list[Path] = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    elif not os.environ.get("DATABASE_URL"):
        from pgserver._commands import POSTGRES_BIN_PATH

        candidates.append(Path(POSTGRES_BIN_PATH) / name)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"{name} was not found: install PostgreSQL's client tools or set PG_BIN_DIR.")


def _libpq_env() -> dict[str, str]:
    """Connection settings for the client tools, as environment variables: no password on a command line."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGCONNECT_TIMEOUT": "10"}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str], *, what: str) -> None:
    result = subprocess.run(command, env=_libpq_env(), capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:]}")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tenant_backup(*, slug: str, output: Path) -> Path:
    """Write the backup of tenant ``slug`` to ``output`` (a file, replaced only once complete)."""
    tenant = Municipality.objects.filter(schema_name=slug).first()
    if tenant is None or slug == get_public_schema_name():
        raise BackupError(f"There is no tenant {slug!r} to back up.")
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema": slug,
        "created": timezone.now().isoformat(),
        "tenant": {field: getattr(tenant, field) for field in TENANT_FIELDS},
    }
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tenant-backup-") as work:
        dump = Path(work) / DUMP_NAME
        _run(
            [
                postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--schema={_quote_ident(slug)}",
                f"--file={dump}",
            ],
            what="pg_dump",
        )
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(meta, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(META_NAME)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DUMP_NAME)
        partial.replace(output)
    return output


def read_backup(path: Path, work: Path) -> tuple[dict[str, Any], Path]:
    """The metadata and the extracted dump of a backup file; BackupError if it is not one of ours."""
    try:
        with tarfile.open(path, "r") as archive:
            names = set(archive.getnames())
            if names != {META_NAME, DUMP_NAME}:
                raise BackupError(f"{path} is not a tenant backup (it holds {sorted(names)}).")
            meta_file = archive.extractfile(META_NAME)
            dump_file = archive.extractfile(DUMP_NAME)
            if meta_file is None or dump_file is None:
                raise BackupError(f"{path} is not a tenant backup (its members are not files).")
            meta = json.loads(meta_file.read())
            dump = work / DUMP_NAME
            with dump.open("wb") as out:
                shutil.copyfileobj(dump_file, out)
    except (tarfile.TarError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} cannot be read as a tenant backup: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("version") != FORMAT_VERSION:
        raise BackupError(f"{path} is not a tenant backup of a version this platform reads.")
    if not isinstance(meta.get("schema"), str) or not is_valid_schema_name(meta["schema"]):
        raise BackupError(f"{path} names no valid schema.")
    return meta, dump


def _check_new_slug(slug: str) -> None:
    if not SLUG_PATTERN.match(slug) or not is_valid_schema_name(slug) or slug == get_public_schema_name():
        raise BackupError(
            f"{slug!r} cannot be a tenant's address: use 2–40 lower-case letters a–z and digits, starting with a letter."
        )
    if Municipality.objects.filter(schema_name=slug).exists() or schema_exists(slug):
        raise BackupError(
            f"A tenant with the address {slug!r} already exists. Restore under a new slug, or remove it first."
        )
    if Domain.objects.filter(domain=tenant_host(slug)).exists():
        raise BackupError(f"The host {tenant_host(slug)} is already in use.")


def _restore_script(meta: dict[str, Any], dump: Path, slug: str, work: Path) -> Path:
    source = meta["schema"]
    sql = work / "restore.sql"
    hold = f"restore_hold_{secrets.token_hex(6)}"
    source_taken = source != slug and schema_exists(source)
    with sql.open("w") as script:
        if source_taken:
            script.write(f"ALTER SCHEMA {_quote_ident(source)} RENAME TO {_quote_ident(hold)};\n")
    # pg_restore writes the dump as SQL (no connection needed); psql runs it in our one transaction.
    body = work / "body.sql"
    _run(
        [postgres_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={body}", str(dump)],
        what="pg_restore",
    )
    with sql.open("a") as script, body.open() as restored:
        shutil.copyfileobj(restored, script)
        # pg_restore's script empties search_path; put ours back for the statements below.
        script.write("\nSELECT pg_catalog.set_config('search_path', 'public', false);\n")
        if source != slug:
            script.write(f"ALTER SCHEMA {_quote_ident(source)} RENAME TO {_quote_ident(slug)};\n")
        if source_taken:
            script.write(f"ALTER SCHEMA {_quote_ident(hold)} RENAME TO {_quote_ident(source)};\n")
    return sql


def tenant_restore(*, path: Path, slug: str, name: str = "") -> Municipality:
    """Restore the backup at ``path`` as tenant ``slug`` (its original slug or a new one), with its host.

    Nothing is left behind on failure: the schema is restored in one transaction, and dropped again if the
    tenant row cannot be created.
    """
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    _check_new_slug(slug)
    with tempfile.TemporaryDirectory(prefix="tenant-restore-") as work_dir:
        work = Path(work_dir)
        meta, dump = read_backup(path, work)
        script = _restore_script(meta, dump, slug, work)
        _run(
            [
                postgres_tool("psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                "-f",
                str(script),
            ],
            what="Restoring the schema",
        )
    try:
        with transaction.atomic():
            fields = {field: meta["tenant"][field] for field in TENANT_FIELDS if field in meta["tenant"]}
            if name:
                fields["name"] = name
            tenant = Municipality(schema_name=slug, **fields)
            # The schema exists already (restored above): saving must not create or migrate one.
            tenant.auto_create_schema = False
            tenant.full_clean()
            tenant.save()
            Domain.objects.create(domain=tenant_host(slug), tenant=tenant, is_primary=True)
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {_quote_ident(slug)} CASCADE")
        raise
    # A backup from an older release gets the migrations it lacks (nothing to do for a current one).
    call_command("migrate_schemas", schema_name=slug, interactive=False, verbosity=0)
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    return tenant
