"""Backup and restore per tenant: a round trip gives back every table, row for row.

These tests work on committed data (pg_dump and psql are other processes), so they use no test
transaction; they add only to Växjö's audit log (append-only anyway) and remove the tenants they restore.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from audit.choices import AuditAction
from audit.services import audit_record
from conftest import DEMO_PASSWORD
from tenants.backup import tenant_backup
from tenants.models import Municipality

COPY = "vaxjocopy"


def tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            [schema],
        )
        return [row[0] for row in cursor.fetchall()]


def every_row(schema: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of ``schema`` with all its rows, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in tables(schema):
            cursor.execute(f'SELECT * FROM "{schema}"."{table}"')
            width = len(cursor.description or [])
            order = ", ".join(str(n) for n in range(1, width + 1))
            cursor.execute(f'SELECT * FROM "{schema}"."{table}" ORDER BY {order}')
            rows[table] = cursor.fetchall()
    return rows


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker: Any) -> Iterator[Municipality]:
    """Växjö in the test database, unblocked outside any test transaction; restored copies are removed."""
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_")
        vaxjo = Municipality.objects.get(schema_name="vaxjo")
        try:
            yield vaxjo
        finally:
            connection.set_schema_to_public()
            for tenant in Municipality.objects.filter(schema_name=COPY):
                tenant.delete(force_drop=True)
            connection.set_schema_to_public()


@pytest.mark.slow
def test_round_trip_under_a_new_slug_and_again_under_the_same_slug(
    committed: Municipality, tmp_path: Path
) -> None:
    with committed:
        admin = User.objects.get(email="admin@vaxjo.demo")
        audit_record(
            actor=admin, action=AuditAction.EXPORT, obj_type="core.person", obj_id=5, summary="Exported"
        )
        audit_record(actor=None, action=AuditAction.ERASE, obj_type="core.person", obj_id=6, summary="Erased")
    connection.set_schema_to_public()
    original = every_row("vaxjo")
    assert original["accounts_user"] and original["audit_auditentry"] and original["otp_totp_totpdevice"]

    backup = tmp_path / "vaxjo.ivbackup"
    call_command("tenant_backup", "vaxjo", output=backup, stdout=StringIO())
    # Restored under a new slug while Växjö itself stays live.
    call_command("tenant_restore", str(backup), slug=COPY, stdout=StringIO())
    assert every_row(COPY) == original
    assert every_row("vaxjo") == original  # the source schema is untouched

    copy = Municipality.objects.get(schema_name=COPY)
    assert (copy.name, copy.kind, copy.county, copy.status) == (
        committed.name,
        committed.kind,
        committed.county,
        committed.status,
    )
    assert [d.domain for d in copy.domains.all()] == [f"{COPY}.{settings.BASE_DOMAIN}"]

    # The copy works on its own host, and its audit log is as strict as the original's.
    client = Client(HTTP_HOST=f"{COPY}.{settings.BASE_DOMAIN}")
    response = client.post(
        "/accounts/login/", {"username": "coordinator@vaxjo.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    connection.set_schema_to_public()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{COPY}".audit_auditentry')
    with copy:
        new = audit_record(
            actor=None, action=AuditAction.VIEW, obj_type="core.person", obj_id=1, summary="Viewed"
        )
        assert new.pk > max(row[0] for row in original["audit_auditentry"])  # sequences came along

    # Lost and restored under the same slug: the backup of the copy brings back the same rows.
    connection.set_schema_to_public()
    before_loss = every_row(COPY)
    second = tmp_path / "copy.ivbackup"
    tenant_backup(slug=COPY, output=second)
    Municipality.objects.get(schema_name=COPY).delete(force_drop=True)
    assert COPY not in set(Municipality.objects.values_list("schema_name", flat=True))
    call_command("tenant_restore", str(second), slug=COPY, name="Växjö (återställd)", stdout=StringIO())
    assert every_row(COPY) == before_loss
    assert Municipality.objects.get(schema_name=COPY).name == "Växjö (återställd)"


def test_restore_refuses_a_taken_slug_a_bad_slug_and_a_bad_file(
    committed: Municipality, tmp_path: Path
) -> None:
    backup = tenant_backup(slug="vaxjo", output=tmp_path / "vaxjo.ivbackup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("tenant_restore", str(backup), slug="varnamo")
    with pytest.raises(CommandError, match="cannot be a tenant's address"):
        call_command("tenant_restore", str(backup), slug="Växjö 2")
    junk = tmp_path / "junk.ivbackup"
    junk.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="cannot be read as a tenant backup"):
        call_command("tenant_restore", str(junk), slug=COPY)
    with pytest.raises(CommandError, match="no tenant"):
        call_command("tenant_backup", "atlantis", output=tmp_path / "x")
    assert not Municipality.objects.filter(schema_name=COPY).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname LIKE 'restore_hold_%%' OR nspname = %s", [COPY]
        )
        assert cursor.fetchall() == []  # nothing half-made


def test_the_tools_come_from_the_embedded_server_without_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tenants.backup import postgres_tool

    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert "pgserver" in postgres_tool("pg_dump")
    monkeypatch.setenv("PG_BIN_DIR", "/nonexistent")
    monkeypatch.setenv("PATH", "/nonexistent")
    from tenants.backup import BackupError

    with pytest.raises(BackupError, match="pg_dump was not found"):
        postgres_tool("pg_dump")


def test_role_is_restored_too(committed: Municipality, tmp_path: Path) -> None:
    backup = tenant_backup(slug="vaxjo", output=tmp_path / "vaxjo.ivbackup")
    call_command("tenant_restore", str(backup), slug=COPY, stdout=StringIO())
    with Municipality.objects.get(schema_name=COPY):
        assert User.objects.get(email="admin@vaxjo.demo").role == Role.ADMIN


def test_an_operators_hold_comes_back_with_the_space(committed: Municipality, tmp_path: Path) -> None:
    from tenants.services import tenant_suspend, tenant_unsuspend

    tenant_suspend(slug="vaxjo", reason="Avtalet är uppsagt", set_by="ops@platform.example")
    try:
        backup = tmp_path / "vaxjo.ivbackup"
        call_command("tenant_backup", "vaxjo", output=backup, stdout=StringIO())
        call_command("tenant_restore", str(backup), slug=COPY, stdout=StringIO())
        copy = Municipality.objects.get(schema_name=COPY)
        assert (copy.hold, copy.hold_reason, copy.hold_set_by) == (
            "suspended",
            "Avtalet är uppsagt",
            "ops@platform.example",
        )
    finally:
        connection.set_schema_to_public()
        tenant_unsuspend(slug="vaxjo")
