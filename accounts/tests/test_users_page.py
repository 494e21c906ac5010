"""The admin's users page: who may open it and what the admin can do there."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from conftest import DEMO_PASSWORD, demo_user, login, tenant_client
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

USERS = "/staff/users/"


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 200), (Role.COORDINATOR, 403), (Role.VOLUNTEER, 403)]
)
def test_only_the_admin_opens_the_users_page(role: Role, status: int) -> None:
    assert login("varnamo", role).get(USERS).status_code == status


def test_anonymous_goes_to_login_and_an_outsider_is_refused() -> None:
    response = tenant_client("varnamo").get(USERS)
    assert response["Location"] == f"/accounts/login/?next={USERS}"
    outsider = tenant_client("varnamo")
    outsider.cookies["sessionid"] = login("vaggeryd", Role.ADMIN).cookies["sessionid"].value
    assert outsider.get(USERS).status_code == 302


@pytest.mark.parametrize("action", ["deactivate", "activate", "two-factor-reset"])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
def test_only_the_admin_may_act_on_users(action: str, role: Role) -> None:
    volunteer = demo_user("varnamo", Role.VOLUNTEER)
    response = login("varnamo", role).post(f"{USERS}{volunteer.pk}/{action}/")
    assert response.status_code == 403


def test_actions_only_accept_post() -> None:
    volunteer = demo_user("varnamo", Role.VOLUNTEER)
    assert login("varnamo", Role.ADMIN).get(f"{USERS}{volunteer.pk}/deactivate/").status_code == 405


def test_the_page_lists_every_login_with_its_two_factor_state() -> None:
    response = login("varnamo", Role.ADMIN).get(USERS)
    users = {user.email: user.has_two_factor for user in response.context["users"]}
    assert users == {
        "admin@varnamo.demo": True,
        "coordinator@varnamo.demo": False,
        "volunteer@varnamo.demo": False,
    }


def test_the_page_makes_a_fixed_number_of_queries(
    varnamo: Municipality, django_assert_max_num_queries: Any
) -> None:
    client = login("varnamo", Role.ADMIN)
    with CaptureQueriesContext(connection) as few:
        client.get(USERS)
    with varnamo:
        for number in range(15):
            User.objects.create_user(f"extra{number}@varnamo.example", role=Role.VOLUNTEER)
    with django_assert_max_num_queries(len(few)):
        response = client.get(USERS)
    assert len(response.context["users"]) == 18


def test_a_deactivated_user_cannot_log_in_and_their_session_stops(varnamo: Municipality) -> None:
    volunteer_session = login("varnamo", Role.VOLUNTEER)
    volunteer = demo_user("varnamo", Role.VOLUNTEER)
    response = login("varnamo", Role.ADMIN).post(f"{USERS}{volunteer.pk}/deactivate/", follow=True)
    assert "kan inte längre logga in" in response.content.decode()
    assert volunteer_session.get("/staff/").status_code == 302
    refused = tenant_client("varnamo").post(
        "/accounts/login/", {"username": "volunteer@varnamo.demo", "password": DEMO_PASSWORD}
    )
    assert refused.status_code == 200
    with varnamo:
        assert AuditEntry.objects.filter(obj_id=str(volunteer.pk), summary="Login deactivated").exists()


def test_a_deactivated_user_can_be_activated_again() -> None:
    volunteer = demo_user("varnamo", Role.VOLUNTEER)
    admin = login("varnamo", Role.ADMIN)
    admin.post(f"{USERS}{volunteer.pk}/deactivate/")
    admin.post(f"{USERS}{volunteer.pk}/activate/")
    response = tenant_client("varnamo").post(
        "/accounts/login/", {"username": "volunteer@varnamo.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_the_admin_cannot_deactivate_themself_or_the_last_admin(varnamo: Municipality) -> None:
    admin = demo_user("varnamo", Role.ADMIN)
    response = login("varnamo", Role.ADMIN).post(f"{USERS}{admin.pk}/deactivate/", follow=True)
    assert "Du kan inte inaktivera din egen inloggning" in response.content.decode()
    with varnamo:
        assert User.objects.get(pk=admin.pk).is_active
        second = User.objects.create_user("second.admin@varnamo.example", role=Role.ADMIN)
    from accounts.services import AccountError, user_deactivate

    with varnamo:
        user_deactivate(actor=second, user=admin)
        with pytest.raises(AccountError, match="minst en aktiv administratör"):
            user_deactivate(actor=admin, user=second)


def test_the_admin_resets_someones_lost_authenticator(varnamo: Municipality) -> None:
    with varnamo:
        coordinator = User.objects.get(email="coordinator@varnamo.demo")
        TOTPDevice.objects.create(user=coordinator, name="Phone", confirmed=True)
    response = login("varnamo", Role.ADMIN).post(f"{USERS}{coordinator.pk}/two-factor-reset/", follow=True)
    assert "Tvåfaktorsinloggningen återställdes" in response.content.decode()
    with varnamo:
        assert not TOTPDevice.objects.filter(user=coordinator).exists()
        assert AuditEntry.objects.filter(summary="Two-factor authentication reset").exists()


def test_an_unknown_user_is_a_404() -> None:
    assert login("varnamo", Role.ADMIN).post(f"{USERS}999999/deactivate/").status_code == 404


def test_the_admin_of_another_municipality_cannot_touch_varnamos_users(vaggeryd: Municipality) -> None:
    volunteer = demo_user("varnamo", Role.VOLUNTEER)
    outsider = login("vaggeryd", Role.ADMIN)
    outsider.post(f"{USERS}{volunteer.pk}/deactivate/")  # on Vaggeryd's host the id means Vaggeryd's users
    with Municipality.objects.get(schema_name="varnamo"):
        assert User.objects.get(pk=volunteer.pk).is_active
