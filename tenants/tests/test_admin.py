"""Operators in Django admin on the public host: sign-ups, provisioning, suspend, archive, delete."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_exists

from accounts.models import User
from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Domain, Municipality, OnboardingApplication, PlatformSettings
from tenants.tests.factories import ALVESTA, GNOSJO, application_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(public_client: Client) -> Client:
    tenant_connection().set_schema_to_public()
    User.objects.create_superuser(email="ops@platform.example", password="driftsäker-lösen-1")
    public_client.force_login(User.objects.get(email="ops@platform.example"))
    return public_client


def test_operators_list_sign_ups(operator: Client) -> None:
    application_make(GNOSJO, status=ApplicationStatus.FAILED)
    response = operator.get("/admin/tenants/onboardingapplication/")
    assert response.status_code == 200
    assert "Gnosjö" in response.content.decode()


def test_operators_provision_a_failed_sign_up(operator: Client) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.FAILED)
    application_make(ALVESTA, status=ApplicationStatus.PENDING)
    pending = OnboardingApplication.objects.get(municipality_code=ALVESTA)
    response = operator.post(
        "/admin/tenants/onboardingapplication/",
        {"action": "provision", "_selected_action": [application.pk, pending.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert "Gnosjö (gnosjo) är klart." in body
    assert "hoppades över" in body  # the pending one waits for the board
    assert Municipality.objects.get(schema_name="gnosjo").status == "trial"
    assert not Municipality.objects.filter(schema_name="alvesta").exists()


def test_suspend_then_archive_then_delete_with_the_typed_address(operator: Client) -> None:
    tenant = Municipality.objects.get(schema_name="gislaved")
    changelist = "/admin/tenants/municipality/"
    operator.post(changelist, {"action": "suspend", "_selected_action": [tenant.pk]})
    tenant.refresh_from_db()
    assert tenant.status == "suspended"

    delete_url = f"/admin/tenants/municipality/{tenant.pk}/delete-archived/"
    refused = operator.post(delete_url, {"confirmation": "gislaved"})
    assert "Arkivera ”gislaved” innan det raderas." in refused.content.decode()
    assert schema_exists("gislaved")

    operator.post(changelist, {"action": "archive", "_selected_action": [tenant.pk]})
    tenant.refresh_from_db()
    assert tenant.status == "archived"
    assert not Domain.objects.filter(tenant=tenant).exists()  # the host closes
    assert schema_exists("gislaved")  # the data stays

    wrong = operator.post(delete_url, {"confirmation": "gislave"})
    assert "Skriv adressen ”gislaved” exakt" in wrong.content.decode()
    assert Municipality.objects.filter(pk=tenant.pk).exists()

    done = operator.post(delete_url, {"confirmation": "gislaved"})
    assert done.status_code == 302
    assert not Municipality.objects.filter(pk=tenant.pk).exists()
    assert not schema_exists("gislaved")


def test_the_ordinary_delete_is_not_offered(operator: Client) -> None:
    tenant = Municipality.objects.get(schema_name="vaxjo")
    assert operator.get(f"/admin/tenants/municipality/{tenant.pk}/delete/").status_code == 403
    changelist = operator.get("/admin/tenants/municipality/").content.decode()
    assert "delete_selected" not in changelist


def test_platform_settings_are_one_row_edited_in_place(operator: Client) -> None:
    response = operator.get("/admin/tenants/platformsettings/")
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/tenants/platformsettings/1/change/")
    operator.post("/admin/tenants/platformsettings/1/change/", {"approval_required": "on"})
    assert PlatformSettings.load().approval_required is True


def test_a_signed_in_operator_can_browse_the_public_pages(operator: Client) -> None:
    assert operator.get("/").status_code == 200
    assert operator.get("/signup/").status_code == 200


def test_a_tenant_user_cannot_reach_the_admin(public_client: Client) -> None:
    response = public_client.get("/admin/tenants/onboardingapplication/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
