"""Provisioning a confirmed sign-up: the clone, its steps, and what a failure at any step leaves (nothing)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_exists

from accounts.models import User
from accounts.roles import Role
from conftest import tenant_client
from tenants import onboarding
from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Domain, Municipality, ProvisioningStep, TenantStatus
from tenants.onboarding import OnboardingError, application_provision, application_retry
from tenants.tests.factories import GNOSJO, MALUNG_SALEN, application_make

pytestmark = pytest.mark.django_db


def nothing_left_of(slug: str) -> bool:
    return (
        not schema_exists(slug)
        and not Municipality.objects.filter(schema_name=slug).exists()
        and not Domain.objects.filter(domain__startswith=f"{slug}.").exists()
    )


def test_provisioning_clones_the_template_into_a_ready_trial_space() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.QUEUED)
    started = time.perf_counter()
    tenant = application_provision(application_id=application.pk)
    print(f"\nprovisioning gnosjo by clone took {time.perf_counter() - started:.2f}s")

    assert tenant.status == TenantStatus.TRIAL
    assert tenant.municipality_code == GNOSJO
    assert tenant.county == "Jönköpings län"
    assert Domain.objects.get(tenant=tenant).domain == "gnosjo.localhost"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY
    assert application.step == ProvisioningStep.READY
    assert application.tenant == tenant
    assert application.seconds_to_ready is not None
    with tenant:
        admin = User.objects.get()
        assert (admin.email, admin.role, admin.full_name) == (
            application.contact_email,
            Role.ADMIN,
            "Gunilla Nilsson",
        )
        assert not admin.has_usable_password()
        (message,) = mail.outbox
        link = re.search(r"http://gnosjo\.localhost:8000/welcome/password/(\S+)/(\S+)/", str(message.body))
        assert link, message.body
        assert default_token_generator.check_token(admin, link.group(2))
    tenant_connection().set_schema_to_public()
    # The new host answers: its front page is the network's own.
    assert tenant_client("gnosjo").get("/").status_code == 200
    tenant_connection().set_schema_to_public()


@pytest.mark.parametrize("step", ["_step_migrations", "_step_admin", "_mark_ready"])
def test_a_failure_at_any_step_leaves_nothing_behind_and_can_be_retried(
    step: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.QUEUED)
    original = getattr(onboarding, step)

    def failing(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)  # the step does its work, then something goes wrong
        raise RuntimeError("disk full")

    monkeypatch.setattr(onboarding, step, failing)
    with pytest.raises(OnboardingError, match="Något gick fel hos oss"):
        application_provision(application_id=application.pk)

    assert nothing_left_of("gnosjo")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED
    assert application.tenant is None
    assert "disk full" in application.failure_detail
    assert not mail.outbox

    monkeypatch.setattr(onboarding, step, original)
    with django_capture_on_commit_callbacks(execute=True):
        application_retry(application_id=application.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY
    assert Municipality.objects.get(schema_name="gnosjo").status == TenantStatus.TRIAL


def test_a_failure_while_cloning_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.QUEUED)

    def broken_clone(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("clone failed half-way")

    monkeypatch.setattr(onboarding, "schema_clone", broken_clone)
    with pytest.raises(OnboardingError):
        application_provision(application_id=application.pk)
    assert nothing_left_of("gnosjo")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED


def test_an_attempt_that_died_mid_way_is_cleaned_up_when_provisioned_again() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.QUEUED)
    application_provision(application_id=application.pk)
    # Pretend the worker died before opening the address: status, host and tenant as they were then.
    tenant = Municipality.objects.get(schema_name="gnosjo")
    Domain.objects.filter(tenant=tenant).delete()
    Municipality.objects.filter(pk=tenant.pk).update(status=TenantStatus.PROVISIONING)
    application.status = ApplicationStatus.PROVISIONING
    application.save(update_fields=["status"])

    tenant = application_provision(application_id=application.pk)
    assert Municipality.objects.filter(schema_name="gnosjo").count() == 1
    assert tenant.status == TenantStatus.TRIAL
    with tenant:
        assert User.objects.count() == 1  # the first attempt's admin went with its schema
    tenant_connection().set_schema_to_public()


def test_a_space_made_meanwhile_under_the_same_address_is_never_touched() -> None:
    application = application_make(GNOSJO, slug="vaxjo2", status=ApplicationStatus.QUEUED)
    Municipality.objects.filter(schema_name="vaxjo").update(municipality_code="")
    taken = Municipality.objects.get(schema_name="vaxjo")
    application.slug = "vaxjo"
    application.save(update_fields=["slug"])
    with pytest.raises(OnboardingError, match="togs under tiden"):
        application_provision(application_id=application.pk)
    assert schema_exists("vaxjo")
    assert Municipality.objects.get(pk=taken.pk).status == TenantStatus.ACTIVE


def test_a_hyphenated_address_works_as_schema_and_host() -> None:
    application = application_make(MALUNG_SALEN, slug="malung-salen", status=ApplicationStatus.QUEUED)
    tenant = application_provision(application_id=application.pk)
    assert schema_exists("malung-salen")
    with tenant:
        assert User.objects.filter(role=Role.ADMIN).count() == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schemas(false)")
            assert cursor.fetchone()[0][0] == "malung-salen"
    tenant_connection().set_schema_to_public()
    response = tenant_client("malung-salen").get("/")
    tenant_connection().set_schema_to_public()
    assert response.status_code == 200
    assert response.context["tenant"].schema_name == "malung-salen"


def test_provisioning_refuses_a_template_that_lags_behind_the_migrations() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.QUEUED)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tenant_template.django_migrations WHERE app = 'accounts'")
    with pytest.raises(OnboardingError, match="Plattformen uppdateras"):
        application_provision(application_id=application.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED
    assert "lags behind" in application.failure_detail
    assert nothing_left_of("gnosjo")


def test_only_a_queued_or_failed_sign_up_is_provisioned() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    with pytest.raises(OnboardingError, match="kan inte skapas nu"):
        application_provision(application_id=application.pk)
    assert nothing_left_of("gnosjo")
