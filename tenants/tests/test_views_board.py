"""The board decides on sign-ups on the association's host."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from accounts.roles import Role
from conftest import login, tenant_client
from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Municipality
from tenants.tests.factories import ALVESTA, GNOSJO, application_make

pytestmark = pytest.mark.django_db


def test_a_board_member_sees_the_waiting_sign_ups_first() -> None:
    application_make(ALVESTA, status=ApplicationStatus.REJECTED, rejection_reason="x")
    waiting = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    application_make("0780", slug="vaxjo-2")  # unconfirmed: not the board's business
    client = login("iv", Role.BOARD)
    body = client.get("/board/applications/").content.decode()
    tenant_connection().set_schema_to_public()
    assert body.index("Gnosjö") < body.index("Alvesta")
    assert "Växjö" not in body
    detail = client.get(f"/board/applications/{waiting.public_id}/").content.decode()
    tenant_connection().set_schema_to_public()
    assert "Godkänn och skapa utrymmet" in detail
    assert "4\xa0950 kr" in detail


def test_approving_on_the_association_host_creates_the_space(django_capture_on_commit_callbacks: Any) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    client = login("iv", Role.BOARD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/board/applications/{application.public_id}/decide/", {"decision": "approve"}
        )
    tenant_connection().set_schema_to_public()
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY
    assert Municipality.objects.get(schema_name="gnosjo").status == "trial"
    assert any(message.subject == "Din anmälan är godkänd" for message in mail.outbox)


def test_rejecting_needs_a_reason_and_tells_the_applicant() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    client = login("iv", Role.BOARD)
    url = f"/board/applications/{application.public_id}/decide/"
    refused = client.post(url, {"decision": "reject", "reason": ""})
    assert refused.status_code == 400
    assert "Ange ett skäl" in refused.content.decode()
    done = client.post(url, {"decision": "reject", "reason": "Kommunen har redan ett nätverk."})
    tenant_connection().set_schema_to_public()
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    (message,) = mail.outbox
    assert "Kommunen har redan ett nätverk." in message.body


def test_deciding_twice_says_it_is_decided() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.REJECTED, rejection_reason="Nej.")
    client = login("iv", Role.BOARD)
    response = client.post(f"/board/applications/{application.public_id}/decide/", {"decision": "approve"})
    tenant_connection().set_schema_to_public()
    assert response.status_code == 400
    assert "väntar inte längre på godkännande" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_other_roles_of_the_association_get_403(role: Role) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    client = login("iv", role)
    for url in ("/board/applications/", f"/board/applications/{application.public_id}/"):
        assert client.get(url).status_code == 403
    assert (
        client.post(
            f"/board/applications/{application.public_id}/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )
    tenant_connection().set_schema_to_public()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_a_municipality_admin_gets_403_on_their_own_host() -> None:
    response = login("varnamo", Role.ADMIN).get("/board/applications/")
    tenant_connection().set_schema_to_public()
    assert response.status_code == 403


def test_anonymous_and_other_tenants_users_go_to_login() -> None:
    anonymous = tenant_client("iv").get("/board/applications/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    outsider = login("vaggeryd", Role.ADMIN)
    outsider.defaults["HTTP_HOST"] = "iv.localhost"
    response = outsider.get("/board/applications/")
    tenant_connection().set_schema_to_public()
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_has_a_fixed_number_of_queries(django_assert_num_queries: Any) -> None:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    application_make(GNOSJO, status=ApplicationStatus.PENDING)
    client = login("iv", Role.BOARD)
    with CaptureQueriesContext(db) as one:
        client.get("/board/applications/")
    for code in (ALVESTA, "0760", "0761", "0763"):
        application_make(code, status=ApplicationStatus.PENDING)
    with django_assert_num_queries(len(one)):
        client.get("/board/applications/")
    tenant_connection().set_schema_to_public()
