"""The audit log is append-only, enforced by the database in every tenant schema and in clones."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django_tenants.clone import CloneSchema

from accounts.roles import Role
from audit.models import AppendOnlyError, AuditAction, AuditEntry
from audit.services import AuditError, audit_record
from conftest import demo_user
from tenants.connection import tenant_connection
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

TRIGGERS = {"audit_entry_no_update_or_delete", "audit_entry_no_truncate"}


@pytest.fixture
def entry(varnamo: Municipality) -> AuditEntry:
    admin = demo_user("varnamo", Role.ADMIN)
    tenant_connection().set_tenant(varnamo)
    return audit_record(
        actor=admin, action=AuditAction.VIEW, obj_type="core.person", obj_id=41, summary="Viewed the profile"
    )


def refused(sql: str, params: list[int] | None = None) -> str:
    """Run ``sql`` in a savepoint; return the database's error message (the test fails if none)."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    return str(excinfo.value)


def test_the_database_refuses_to_update_an_entry(entry: AuditEntry) -> None:
    message = refused("UPDATE audit_auditentry SET summary = 'nothing happened' WHERE id = %s", [entry.pk])
    assert "append-only" in message
    assert AuditEntry.objects.get(pk=entry.pk).summary == "Viewed the profile"


def test_the_database_refuses_to_delete_an_entry(entry: AuditEntry) -> None:
    assert "append-only" in refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert "append-only" in refused("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_to_truncate_the_log(entry: AuditEntry) -> None:
    connection.check_constraints()  # settle the deferred foreign key check, which TRUNCATE would wait for
    assert "append-only" in refused("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_even_a_queryset_that_skips_the_python_guard(entry: AuditEntry) -> None:
    plain = QuerySet[AuditEntry](model=AuditEntry).filter(pk=entry.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        plain.update(summary="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        plain.delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "Viewed the profile"


def test_the_model_refuses_changes_before_they_reach_the_database(entry: AuditEntry) -> None:
    entry.summary = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_a_user_with_audit_entries_cannot_be_deleted(entry: AuditEntry) -> None:
    assert entry.actor is not None
    # Two statements: the foreign key is checked at the end of the block the delete runs in.
    with pytest.raises(IntegrityError), transaction.atomic():  # noqa: PT012
        entry.actor.delete()
        connection.check_constraints()


def triggers_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.tgname FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relname = 'audit_auditentry' AND NOT t.tgisinternal
            """,
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_tenant_schema_has_the_triggers() -> None:
    schemas = list(Municipality.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    assert len(schemas) == 5
    for schema in schemas:
        assert triggers_in(schema) == TRIGGERS, schema
    assert triggers_in("public") == set()  # the audit log is a tenant app: no table in public


def test_a_cloned_schema_keeps_the_triggers_and_they_still_refuse() -> None:
    # New tenants are cloned from a migrated template schema; the clone must be as strict as the original.
    CloneSchema().clone_schema("varnamo", "auditclone", clone_mode="NODATA")
    assert triggers_in("auditclone") == TRIGGERS
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auditclone.audit_auditentry (at, action, obj_type, obj_id, summary)"
            " VALUES (now(), 'view', 'core.person', '1', 'Viewed') RETURNING id"
        )
        (row_id,) = cursor.fetchone()
    assert "append-only" in refused(
        "UPDATE auditclone.audit_auditentry SET summary = 'x' WHERE id = %s", [row_id]
    )
    assert "append-only" in refused("DELETE FROM auditclone.audit_auditentry WHERE id = %s", [row_id])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"summary": "Sent a message to anna.svensson@example.se"}, "personal data"),
        ({"summary": "Called 070-123 45 67"}, "personal data"),
        ({"summary": "Checked 19850101-1234"}, "personal data"),
        ({"obj_type": "Person"}, "app_label.model"),
        ({"action": "peek"}, "Unknown audit action"),
        ({"summary": "x" * 201}, "200"),
    ],
)
def test_audit_record_refuses_bad_entries(
    varnamo: Municipality, kwargs: dict[str, str], message: str
) -> None:
    tenant_connection().set_tenant(varnamo)
    arguments: dict[str, object] = {
        "actor": None,
        "action": AuditAction.CHANGE,
        "obj_type": "core.person",
        "obj_id": 7,
        "summary": "Changed the address",
    }
    arguments.update(kwargs)
    with pytest.raises(AuditError, match=message):
        audit_record(**arguments)  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()


def test_audit_record_writes_one_entry_in_the_current_tenant_only(varnamo: Municipality) -> None:
    tenant_connection().set_tenant(varnamo)
    entry = audit_record(
        actor=None,
        action=AuditAction.ERASE,
        obj_type="core.person",
        obj_id=9,
        summary="Erased after retention",
    )
    assert (entry.actor, entry.action, entry.obj_id) == (None, "erase", "9")
    with Municipality.objects.get(schema_name="vaggeryd"):
        assert not AuditEntry.objects.filter(summary="Erased after retention").exists()


def test_the_trail_of_one_object_is_oldest_first(varnamo: Municipality) -> None:
    from audit.selectors import audit_trail_for_object

    tenant_connection().set_tenant(varnamo)
    for summary in ("Created", "Viewed", "Exported"):
        audit_record(actor=None, action=AuditAction.VIEW, obj_type="core.person", obj_id=77, summary=summary)
    audit_record(
        actor=None, action=AuditAction.VIEW, obj_type="core.person", obj_id=78, summary="Other person"
    )
    trail = audit_trail_for_object(obj_type="core.person", obj_id=77)
    assert [entry.summary for entry in trail] == ["Created", "Viewed", "Exported"]
