"""The demo seed: every tenant and login, created once however often it runs; refused in production."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.models import User
from demo.seed import DEMO_TENANTS, demo_roles
from tenants.models import Domain, Municipality

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    counts = {"tenants": Municipality.objects.count(), "domains": Domain.objects.count()}
    for demo in DEMO_TENANTS:
        with Municipality.objects.get(schema_name=demo.slug):
            counts[demo.slug] = User.objects.count()
    connection.set_schema_to_public()
    return counts


def test_seed_created_every_tenant_with_one_login_per_role() -> None:
    counts = snapshot()
    assert counts["tenants"] == len(DEMO_TENANTS) + 1  # and the public host
    for demo in DEMO_TENANTS:
        assert counts[demo.slug] == len(demo_roles(demo.kind))
    assert Municipality.objects.get(schema_name="iv").is_association


@pytest.mark.slow
def test_running_the_seed_again_duplicates_nothing() -> None:
    before = snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_seed_is_refused_in_production() -> None:
    from django.core.management.base import CommandError

    with override_settings(DEMO_SEED_ALLOWED=False), pytest.raises(CommandError, match="refused"):
        call_command("seed_demo")
