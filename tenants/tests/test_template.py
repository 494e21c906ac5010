"""The template schema: made and migrated by every migrate_schemas, and loudly refused when it lags."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import template
from tenants.services import TenantError, tenant_create
from tenants.template import check_template_schema, template_schema_name, template_schema_unapplied

pytestmark = pytest.mark.django_db


def lag_behind() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tenant_template.django_migrations WHERE app = 'sessions'")


def test_the_test_database_has_a_current_template() -> None:
    assert template_schema_name() == "tenant_template"
    assert schema_exists("tenant_template")
    assert template_schema_unapplied() == []
    assert check_template_schema(databases=["default"]) == []


def test_the_check_fails_loudly_when_the_template_lags() -> None:
    lag_behind()
    (error,) = check_template_schema(databases=["default"])
    assert error.id == "tenants.E001"
    assert "lags behind the code by 1 migration(s) (sessions.0001_initial)" in error.msg
    assert "migrate_schemas" in error.msg


def test_the_check_fails_when_the_template_is_missing() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA tenant_template CASCADE")
    (error,) = check_template_schema(databases=["default"])
    assert "does not exist" in error.msg


def test_the_check_only_runs_when_asked_for_the_database() -> None:
    lag_behind()
    assert check_template_schema(databases=None) == []


@pytest.mark.slow
def test_migrate_schemas_recreates_and_migrates_a_missing_template_despite_the_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA tenant_template CASCADE")
    # skip_checks=False: the lag check must not stop the very command that fixes the lag.
    call_command("migrate_schemas", interactive=False, verbosity=0, skip_checks=False)
    connection.set_schema_to_public()
    assert schema_exists("tenant_template")
    assert template_schema_unapplied() == []


def test_migrate_schemas_fails_when_the_template_still_lags_afterwards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(template, "template_schema_problem", lambda: "The template schema lags (test).")
    with pytest.raises(CommandError, match="lags"):
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def test_migrating_one_schema_leaves_the_template_alone() -> None:
    lag_behind()
    call_command("migrate_schemas", schema_name="varnamo", interactive=False, verbosity=0)
    connection.set_schema_to_public()
    assert template_schema_unapplied() == ["sessions.0001_initial"]


def test_creating_a_tenant_from_a_lagging_template_is_refused() -> None:
    lag_behind()
    with pytest.raises(TenantError, match="lags behind"):
        tenant_create(slug="alvesta", name="Alvesta")
    assert not schema_exists("alvesta")
