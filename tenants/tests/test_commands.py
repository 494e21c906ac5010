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
    assert "gnosjo" in listing
    assert "alvesta" in listing
    assert "alvesta" not in run("onboarding_applications", "--status", "queued")
    assert "Gnosjö is ready at gnosjo" in run("onboarding_provision", str(queued.pk))
    assert "ready in" in run("onboarding_applications", "--status", "ready")
    with pytest.raises(CommandError, match="kan inte skapas nu"):
        run("onboarding_provision", str(queued.pk))


def test_suspend_archive_and_delete() -> None:
    assert "Suspended vaxjo." in run("tenant_suspend", "vaxjo")
    assert "vaxjo is active again." in run("tenant_unsuspend", "vaxjo")
    with pytest.raises(CommandError, match="Arkivera ”vaxjo”"):
        run("tenant_delete", "vaxjo", "--confirm", "vaxjo")
    assert "Archived vaxjo" in run("tenant_archive", "vaxjo")
    with pytest.raises(CommandError, match="exakt"):
        run("tenant_delete", "vaxjo", "--confirm", "vaxjö")
    assert "Deleted vaxjo." in run("tenant_delete", "vaxjo", "--confirm", "vaxjo")
    assert not schema_exists("vaxjo")
    assert not Municipality.objects.filter(schema_name="vaxjo").exists()


def test_delete_asks_for_the_address_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    run("tenant_archive", "gislaved")
    monkeypatch.setattr("builtins.input", lambda prompt: "gislaved")
    assert "Deleted gislaved." in run("tenant_delete", "gislaved")


def test_unknown_addresses_and_the_public_schema_are_refused() -> None:
    with pytest.raises(CommandError, match="inget utrymme"):
        run("tenant_archive", "atlantis")
    with pytest.raises(CommandError, match="inget utrymme"):
        run("tenant_archive", "public")
