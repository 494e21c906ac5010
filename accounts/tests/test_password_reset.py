"""Password reset by e-mail, on each tenant's own host, with our templates."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail

from accounts.roles import Role
from audit.models import AuditEntry
from conftest import DEMO_PASSWORD, demo_user, login, tenant_client
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sommar-i-Värnamo-2026"


def request_reset(slug: str, email: str) -> str:
    response = tenant_client(slug).post("/accounts/password-reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    return response["Location"]


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"http://(\S+?)(/accounts/password-reset/\S+/\S+/)", str(mail.outbox[0].body))
    assert match, mail.outbox[0].body
    return match.group(0)


def test_the_reset_e_mail_links_to_the_tenants_own_host_in_swedish() -> None:
    request_reset("varnamo", "coordinator@varnamo.demo")
    message = mail.outbox[0]
    assert message.to == ["coordinator@varnamo.demo"]
    assert message.subject == "Ett nytt lösenord för Värnamo"
    assert "Värnamo" in message.body
    assert reset_link().startswith(f"http://varnamo.{settings.BASE_DOMAIN}/accounts/password-reset/")


def test_following_the_link_sets_a_new_password_once(varnamo: Municipality) -> None:
    request_reset("varnamo", "volunteer@varnamo.demo")
    path = reset_link().split(settings.BASE_DOMAIN, 1)[1]
    client = tenant_client("varnamo")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]  # Django hides the token behind a session redirect
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"

    fresh = tenant_client("varnamo")
    ok = fresh.post("/accounts/login/", {"username": "volunteer@varnamo.demo", "password": NEW_PASSWORD})
    assert ok.status_code == 302
    assert tenant_client("varnamo").get(path, follow=True).context["validlink"] is False  # used up
    with varnamo:
        assert (
            AuditEntry.objects.filter(obj_type="accounts.user", summary="Password reset by e-mail").count()
            == 1
        )


def test_the_demo_password_cannot_be_chosen_again() -> None:
    request_reset("varnamo", "volunteer@varnamo.demo")
    client = tenant_client("varnamo")
    form_page = client.get(reset_link().split(settings.BASE_DOMAIN, 1)[1], follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert "reserverat för demon" in response.content.decode()


def test_a_link_from_one_municipality_does_not_work_on_another() -> None:
    request_reset("varnamo", "admin@varnamo.demo")
    path = reset_link().split(settings.BASE_DOMAIN, 1)[1]
    response = tenant_client("vaggeryd").get(path, follow=True)
    assert response.context["validlink"] is False
    assert "Länken fungerar inte" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail() -> None:
    request_reset("varnamo", "nobody@example.se")
    request_reset("vaggeryd", "coordinator@varnamo.demo")  # a Värnamo login is unknown in Vaggeryd
    assert mail.outbox == []


def test_a_new_password_ends_a_lockout(varnamo: Municipality) -> None:
    client = tenant_client("varnamo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": "coordinator@varnamo.demo", "password": "wrong-password"}
        )
    with varnamo:
        assert AccessAttempt.objects.filter(username="coordinator@varnamo.demo").exists()
    request_reset("varnamo", "coordinator@varnamo.demo")
    form_page = client.get(reset_link().split(settings.BASE_DOMAIN, 1)[1], follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    response = client.post(
        "/accounts/login/", {"username": "coordinator@varnamo.demo", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_a_reset_does_not_skip_two_factor() -> None:
    request_reset("varnamo", "admin@varnamo.demo")
    client = tenant_client("varnamo")
    form_page = client.get(reset_link().split(settings.BASE_DOMAIN, 1)[1], follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    response = client.post("/accounts/login/", {"username": "admin@varnamo.demo", "password": NEW_PASSWORD})
    assert response["Location"].startswith("/accounts/two-factor/verify/")


def test_the_login_page_links_to_the_reset_and_a_signed_in_user_can_reach_it() -> None:
    assert "/accounts/password-reset/" in tenant_client("varnamo").get("/accounts/login/").content.decode()
    assert login("varnamo", Role.COORDINATOR).get("/accounts/password-reset/").status_code == 200
    assert demo_user("varnamo", Role.COORDINATOR).has_usable_password()
