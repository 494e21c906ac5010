"""The template clone: the copy is the template, table for table, name for name, row for row."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from tenants.clone import schema_clone
from tenants.template import TemplateSchemaError

pytestmark = pytest.mark.django_db


def fingerprint(schema: str) -> dict[str, Any]:
    """Everything a migration could depend on, with the schema's own name taken out."""
    with connection.cursor() as cursor:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            cursor.execute(sql, [schema])
            return sorted(
                tuple(same_meaning(str(v).replace(f'"{schema}".', "").replace(f"{schema}.", "")) for v in row)
                for row in cursor.fetchall()
            )

        return {
            "columns": rows(
                """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                          a.attgenerated, pg_get_expr(d.adbin, d.adrelid),
                          row_number() OVER (PARTITION BY c.relname ORDER BY a.attnum)
                     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"""
            ),
            "constraints": rows(
                """SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid), co.condeferrable, co.condeferred
                     FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
                    WHERE cl.relnamespace = %s::regnamespace"""
            ),
            "indexes": rows(
                """SELECT ic.relname, pg_get_indexdef(i.indexrelid)
                     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE ic.relnamespace = %s::regnamespace"""
            ),
            "functions": rows(
                """SELECT p.proname, p.prokind, pg_get_function_arguments(p.oid), p.prosrc
                     FROM pg_proc p WHERE p.pronamespace = %s::regnamespace"""
            ),
            "triggers": rows(
                """SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
                     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal"""
            ),
            "sequences": rows(
                """SELECT c.relname, s.seqstart, s.seqincrement, s.seqtypid::regtype, s.seqmin, s.seqmax,
                          s.seqcache, s.seqcycle
                     FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = %s::regnamespace"""
            ),
        }


def same_meaning(definition: str) -> str:
    """PostgreSQL prints a re-created partial index's ``IN (...)`` with the casts placed differently
    (``ARRAY['a'::varchar]::text[]`` versus ``ARRAY[('a'::varchar)::text]``); both mean the same."""
    return re.sub(r"[()\s]|::text(\[\])?|::character varying", "", definition)


def count_rows(schema: str, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
        return int(cursor.fetchone()[0])


def test_the_clone_has_every_column_constraint_index_and_sequence_of_the_template() -> None:
    schema_clone(source="tenant_template", target="clone-check")
    template, clone = fingerprint("tenant_template"), fingerprint("clone-check")
    assert template["constraints"]
    assert template["indexes"]
    assert template["sequences"]
    assert clone == template
    for table in ("django_migrations", "django_content_type", "auth_permission"):
        assert count_rows("clone-check", table) == count_rows("tenant_template", table) > 0


def test_the_clone_goes_on_counting_where_the_template_is_and_refers_to_its_own_tables() -> None:
    schema_clone(source="tenant_template", target="clone-check")
    with connection.cursor() as cursor:
        cursor.execute('SELECT max(id) FROM "tenant_template".django_content_type')
        highest = cursor.fetchone()[0]
        cursor.execute(
            """INSERT INTO "clone-check".django_content_type (app_label, model) VALUES ('x', 'y') RETURNING id"""
        )
        assert cursor.fetchone()[0] == highest + 1
        # A foreign key in the clone checks the clone's table, not the template's.
        cursor.execute(
            """SELECT confrelid::regclass::text FROM pg_constraint
                WHERE conrelid = '"clone-check".auth_permission'::regclass AND contype = 'f'"""
        )
        assert cursor.fetchone()[0] == '"clone-check".django_content_type'


APPEND_ONLY = """
CREATE FUNCTION tenant_template.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER no_update BEFORE UPDATE OR DELETE ON tenant_template.django_migrations
    FOR EACH ROW EXECUTE FUNCTION tenant_template.refuse_change();
"""


def test_functions_and_triggers_come_along_and_work_on_the_clone() -> None:
    # Like the audit log's append-only trigger: made by a migration in every tenant and in the template.
    with connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY)
    schema_clone(source="tenant_template", target="clone-check")
    assert fingerprint("clone-check") == fingerprint("tenant_template")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.pronamespace::regnamespace::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = '"clone-check".django_migrations'::regclass AND t.tgname = 'no_update'"""
        )
        assert cursor.fetchone()[0] == '"clone-check"'  # the clone's own function, not the template's
        cursor.execute("SAVEPOINT before_refusal")
        with pytest.raises(Exception, match="append-only: DELETE refused"):
            cursor.execute('DELETE FROM "clone-check".django_migrations')
        cursor.execute("ROLLBACK TO SAVEPOINT before_refusal")


def test_what_the_clone_cannot_copy_stops_it() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW tenant_template.a_view AS SELECT 1 AS one")
    with pytest.raises(TemplateSchemaError, match="relation a_view"):
        schema_clone(source="tenant_template", target="clone-check")
