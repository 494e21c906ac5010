"""A new space's first pages: welcome (logged out), choosing the password from the e-mail, the checklist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.test import Client
from django.urls import resolve

from accounts.roles import Role
from accounts.services import user_create
from conftest import enrol_two_factor, login, tenant_client
from tenants import checklist
from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Municipality
from tenants.onboarding import application_provision
from tenants.tests.factories import GNOSJO, application_make

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db
PASSWORD = "kaffe-och-kanelbullar"


@pytest.fixture
def gnosjo() -> Iterator[Municipality]:
    application = application_make(
        GNOSJO, status=ApplicationStatus.QUEUED, contact_email="gunilla@gnosjo.example.se"
    )
    tenant = application_provision(application_id=application.pk)
    yield tenant
    tenant_connection().set_schema_to_public()


def password_path(message: mail.EmailMessage) -> str:
    match = re.search(r"http://gnosjo\.localhost:8000(/welcome/password/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def choose_password(client: Client, path: str) -> _MonkeyPatchedWSGIResponse:
    form_page = client.get(path)  # Django moves the token into the session and redirects
    assert form_page.status_code == 302
    response = client.post(form_page["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    tenant_connection().set_schema_to_public()
    return response


def test_welcome_page_waits_for_the_password_and_can_send_the_link_again(gnosjo: Municipality) -> None:
    client = tenant_client("gnosjo")
    body = client.get("/welcome/").content.decode()
    assert "Välkommen till utrymmet för Gnosjö" in body
    assert "g…a@gnosjo.example.se" in body
    assert "gunilla@" not in body
    mail.outbox.clear()
    response = client.post("/welcome/", follow=True)
    assert "Vi har skickat en ny länk" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["gunilla@gnosjo.example.se"]
    assert "/welcome/password/" in message.body
    tenant_connection().set_schema_to_public()


def test_the_link_is_sent_again_only_a_few_times(gnosjo: Municipality) -> None:
    client = tenant_client("gnosjo")
    mail.outbox.clear()
    for _ in range(4):
        response = client.post("/welcome/", follow=True)
    assert len(mail.outbox) == 3
    assert "Vänta en timme" in response.content.decode()
    tenant_connection().set_schema_to_public()


def test_choosing_the_password_signs_in_and_lands_on_the_checklist(gnosjo: Municipality) -> None:
    path = password_path(mail.outbox[-1])
    client = tenant_client("gnosjo")
    response = choose_password(client, path)
    # An admin sets up two-factor authentication first, then lands on the checklist.
    assert response.status_code == 302
    assert response["Location"] == "/getting-started/"
    setup = client.get("/getting-started/")
    assert setup.status_code == 302
    assert setup["Location"].startswith("/accounts/two-factor/setup/")
    enrolled = enrol_two_factor(client, setup["Location"])
    assert enrolled.status_code == 302
    assert enrolled["Location"] == "/getting-started/"
    page = client.get("/getting-started/")
    body = page.content.decode()
    tenant_connection().set_schema_to_public()
    assert page.status_code == 200
    assert "<h1>Kom igång</h1>" in body
    for title in (
        "Bjud in dina samordnare",
        "Skapa din första aktivitet",
        "Importera de personer",
        "Ange ditt Swishnummer",
    ):
        assert title in body
    # Every link on the checklist goes somewhere that exists on this host.
    for href in re.findall(r'<h2 class="checklist__title"><a href="([^"]+)"', body):
        resolve(href, urlconf="ivplatform.urls_tenant")
    # The welcome page now offers the login instead.
    assert "Logga in" in tenant_client("gnosjo").get("/welcome/").content.decode()
    tenant_connection().set_schema_to_public()


def test_the_password_link_works_only_once(gnosjo: Municipality) -> None:
    path = password_path(mail.outbox[-1])
    choose_password(tenant_client("gnosjo"), path)
    again = tenant_client("gnosjo").get(path, follow=True)
    tenant_connection().set_schema_to_public()
    assert "Den här länken fungerar inte längre" in again.content.decode()


def test_a_weak_password_is_refused_with_a_message(gnosjo: Municipality) -> None:
    path = password_path(mail.outbox[-1])
    client = tenant_client("gnosjo")
    form_page = client.get(path)
    response = client.post(form_page["Location"], {"new_password1": "kort", "new_password2": "kort"})
    tenant_connection().set_schema_to_public()
    assert response.status_code == 200
    assert "aria-invalid" in response.content.decode()


def test_checklist_items_link_only_to_pages_that_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        checklist,
        "CHECKLIST",
        (
            checklist.ChecklistItem("coordinators", "Invite", "text", ("no-such:page", "users:list")),
            checklist.ChecklistItem("activity", "Activity", "text", ("no-such:page",)),
        ),
    )
    from django.urls import set_urlconf

    set_urlconf("ivplatform.urls_tenant")
    try:
        entries = checklist.checklist_for_tenant(actor=None)  # type: ignore[arg-type]
    finally:
        set_urlconf(None)
    assert [entry.url for entry in entries] == ["/staff/users/", None]


def test_the_coordinators_item_is_done_once_a_coordinator_exists(varnamo: Municipality) -> None:
    client = login("varnamo", Role.ADMIN)
    body = client.get("/getting-started/").content.decode()
    tenant_connection().set_schema_to_public()
    assert "checklist__item checklist__item--done" in body  # Värnamo's demo has a coordinator


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
def test_only_admins_see_the_checklist(role: Role) -> None:
    assert login("varnamo", role).get("/getting-started/").status_code == 403
    tenant_connection().set_schema_to_public()


def test_anonymous_goes_to_login_and_another_tenants_admin_is_refused(gnosjo: Municipality) -> None:
    anonymous = tenant_client("gnosjo").get("/getting-started/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    # Värnamo's admin, signed in on Värnamo, is nobody on Gnosjö's host.
    outsider = login("varnamo", Role.ADMIN)
    outsider.defaults["HTTP_HOST"] = "gnosjo.localhost"
    response = outsider.get("/getting-started/")
    tenant_connection().set_schema_to_public()
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_coordinator_made_later_is_refused_too(gnosjo: Municipality) -> None:
    with gnosjo:
        user_create(email="co@gnosjo.example.se", role=Role.COORDINATOR, password=PASSWORD)
    client = tenant_client("gnosjo")
    assert (
        client.post(
            "/accounts/login/", {"username": "co@gnosjo.example.se", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/getting-started/").status_code == 403
    tenant_connection().set_schema_to_public()
