"""manage.py commands for operators."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_exists

from tenants.models import ApplicationStatus, Municipality
from tenants.tests.factories import ALVESTA, GNOSJO, application_make

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_list_and_provision_sign_ups() -> None:
    queued = application_make(GNOSJO, status=ApplicationStatus.QUEUED)
    application_make(ALVESTA)
    listing = run("onboarding_applications")
    assert "gnosjo" in listing and "alvesta" in listing
    assert "alvesta" not in run("onboarding_applications", "--status", "queued")
    assert "Gnosjö is ready at gnosjo" in run("onboarding_provision", str(queued.pk))
    assert "ready in" in run("onboarding_applications", "--status", "ready")
    with pytest.raises(CommandError, match="kan inte skapas nu"):
        run("onboarding_provision", str(queued.pk))


def test_suspend_archive_and_delete() -> None:
    assert "Suspended vaxjo." in run("tenant_suspend", "vaxjo", "--reason", "Obetald faktura sedan mars")
    tenant = Municipality.objects.get(schema_name="vaxjo")
    assert (tenant.hold, tenant.hold_reason) == ("suspended", "Obetald faktura sedan mars")
    assert tenant.hold_set_by.endswith("(manage.py)")
    assert "Lifted the suspension of vaxjo" in run("tenant_unsuspend", "vaxjo")
    with pytest.raises(CommandError, match="inte avstängt"):
        run("tenant_unsuspend", "vaxjo")
    with pytest.raises(CommandError, match="Arkivera ”vaxjo”"):
        run("tenant_delete", "vaxjo", "--confirm", "vaxjo")
    assert "Archived vaxjo" in run(
        "tenant_archive", "vaxjo", "--reason", "Nätverket har upphört", "--by", "Ops"
    )
    tenant.refresh_from_db()
    assert (tenant.status, tenant.hold, tenant.hold_set_by) == ("archived", "archived", "Ops")
    with pytest.raises(CommandError, match="exakt"):
        run("tenant_delete", "vaxjo", "--confirm", "vaxjö")
    assert "Deleted vaxjo." in run("tenant_delete", "vaxjo", "--confirm", "vaxjo")
    assert not schema_exists("vaxjo") and not Municipality.objects.filter(schema_name="vaxjo").exists()


def test_delete_asks_for_the_address_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    run("tenant_archive", "gislaved", "--reason", "Nätverket har upphört")
    monkeypatch.setattr("builtins.input", lambda prompt: "gislaved")
    assert "Deleted gislaved." in run("tenant_delete", "gislaved")


def test_unknown_addresses_and_the_public_schema_are_refused() -> None:
    with pytest.raises(CommandError, match="inget utrymme"):
        run("tenant_archive", "atlantis", "--reason", "x")
    with pytest.raises(CommandError, match="inget utrymme"):
        run("tenant_archive", "public", "--reason", "x")


def test_a_hold_needs_a_reason() -> None:
    with pytest.raises(CommandError, match="--reason"):
        run("tenant_suspend", "vaxjo")
    with pytest.raises(CommandError, match="Ange ett skäl"):
        run("tenant_suspend", "vaxjo", "--reason", " ")
    assert Municipality.objects.get(schema_name="vaxjo").hold == ""
