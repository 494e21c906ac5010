"""The admin invites new staff by e-mail; the invitee chooses a password through a signed, expiring,
single-use link on that tenant's host."""

from __future__ import annotations

import re
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import Role
from accounts.selectors import invitation_token
from audit.models import AuditEntry
from conftest import login, tenant_client, totp_code
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

USERS = "/staff/users/"
PASSWORD = "Fika-på-torget-2026"
NEWCOMER = "ny.samordnare@varnamo.example"


def invite(
    client: Client, email: str = NEWCOMER, role: Role = Role.COORDINATOR, name: str = "Nora Berg"
) -> object:
    return client.post(USERS, {"email": email, "role": role.value, "full_name": name})


def link_path() -> str:
    match = re.search(r"http://[^/\s]+(/accounts/invitation/\S+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def accept(path: str, password: str = PASSWORD, slug: str = "varnamo", name: str = "Nora Berg") -> object:
    return tenant_client(slug).post(path, {"full_name": name, "password1": password, "password2": password})


def test_admin_invites_and_the_invitee_chooses_a_password(varnamo: Municipality) -> None:
    admin = login("varnamo", Role.ADMIN)
    response = invite(admin)
    assert response.status_code == 302  # type: ignore[attr-defined]
    message = mail.outbox[0]
    assert message.to == [NEWCOMER]
    assert message.subject == "Din inbjudan till Värnamo"
    assert f"http://varnamo.{settings.BASE_DOMAIN}/accounts/invitation/" in message.body
    assert NEWCOMER in admin.get(USERS).content.decode()  # listed as not yet accepted

    page = tenant_client("varnamo").get(link_path())
    assert page.status_code == 200
    assert "Du är inbjuden som Samordnare" in page.content.decode()
    response = accept(link_path())
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/accounts/login/"  # type: ignore[index]

    with varnamo:
        user = User.objects.get(email=NEWCOMER)
        assert (user.role, user.full_name, user.is_active) == (Role.COORDINATOR, "Nora Berg", True)
        assert Invitation.objects.get(email=NEWCOMER).user == user
        summaries = set(AuditEntry.objects.values_list("summary", flat=True))
        assert {"Invitation sent", "Login created from an invitation"} <= summaries
    login_response = tenant_client("varnamo").post(
        "/accounts/login/", {"username": NEWCOMER, "password": PASSWORD}
    )
    assert login_response["Location"] == "/staff/"


def test_the_link_works_only_once() -> None:
    invite(login("varnamo", Role.ADMIN))
    path = link_path()
    accept(path)
    response = tenant_client("varnamo").get(path)
    assert response.status_code == 400
    assert "Inbjudan har redan använts" in response.content.decode()
    again = accept(path, password="Ett-annat-lösenord-99")
    assert again.status_code == 400  # type: ignore[attr-defined]


def test_an_expired_link_is_explained(varnamo: Municipality) -> None:
    invite(login("varnamo", Role.ADMIN))
    path = link_path()
    with varnamo:
        Invitation.objects.filter(email=NEWCOMER).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = tenant_client("varnamo").get(path)
    assert response.status_code == 400
    assert "Inbjudan har gått ut" in response.content.decode()


def test_the_signature_itself_expires() -> None:
    invite(login("varnamo", Role.ADMIN))
    with override_settings(INVITATION_MAX_AGE=timedelta(seconds=-1)):
        response = tenant_client("varnamo").get(link_path())
    assert "Inbjudan har gått ut" in response.content.decode()


def test_a_tampered_link_is_refused() -> None:
    invite(login("varnamo", Role.ADMIN))
    path = link_path()
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    response = tenant_client("varnamo").get(tampered)
    assert response.status_code == 400
    assert "Inbjudningslänken är inte giltig" in response.content.decode()


def test_a_link_made_for_one_municipality_does_nothing_on_another(vaggeryd: Municipality) -> None:
    invite(login("varnamo", Role.ADMIN))
    path = link_path()
    # Even when Vaggeryd has an invitation with the very same id, the link names Värnamo's schema.
    with Municipality.objects.get(schema_name="varnamo"):
        varnamo_invitation = Invitation.objects.get(email=NEWCOMER)
    with vaggeryd:
        Invitation.objects.create(
            pk=varnamo_invitation.pk,
            email="someone@vaggeryd.example",
            role=Role.ADMIN,
            expires_at=timezone.now() + timedelta(days=1),
        )
    response = accept(path, slug="vaggeryd")
    assert response.status_code == 400  # type: ignore[attr-defined]
    with vaggeryd:
        assert not User.objects.filter(email__in=[NEWCOMER, "someone@vaggeryd.example"]).exists()


def test_a_withdrawn_invitation_stops_working(varnamo: Municipality) -> None:
    admin = login("varnamo", Role.ADMIN)
    invite(admin)
    path = link_path()
    with varnamo:
        pk = Invitation.objects.get(email=NEWCOMER).pk
    assert admin.post(f"{USERS}invitations/{pk}/withdraw/").status_code == 302
    assert "Inbjudan har återkallats" in tenant_client("varnamo").get(path).content.decode()


def test_inviting_again_replaces_the_earlier_link(varnamo: Municipality) -> None:
    admin = login("varnamo", Role.ADMIN)
    invite(admin)
    first = link_path()
    invite(admin, role=Role.VOLUNTEER)
    second = link_path()
    assert tenant_client("varnamo").get(first).status_code == 400
    assert accept(second).status_code == 302  # type: ignore[attr-defined]
    with varnamo:
        assert User.objects.get(email=NEWCOMER).role == Role.VOLUNTEER


def test_a_weak_password_is_refused_and_nothing_is_created(varnamo: Municipality) -> None:
    invite(login("varnamo", Role.ADMIN))
    response = accept(link_path(), password="kort")
    assert response.status_code == 200  # type: ignore[attr-defined]
    with varnamo:
        assert not User.objects.filter(email=NEWCOMER).exists()
        assert Invitation.objects.get(email=NEWCOMER).accepted_at is None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Fyll i en giltig e-postadress"),
        ("coordinator@varnamo.demo", "har redan en inloggning här"),
    ],
)
def test_bad_invitations_are_explained_and_write_nothing(
    varnamo: Municipality, email: str, message: str
) -> None:
    response = invite(login("varnamo", Role.ADMIN), email=email)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert mail.outbox == []
    with varnamo:
        assert not Invitation.objects.exists()


def test_the_board_role_is_offered_only_on_the_association(varnamo: Municipality) -> None:
    response = invite(login("varnamo", Role.ADMIN), role=Role.BOARD)
    assert response.status_code == 400  # type: ignore[attr-defined]
    with varnamo:
        assert not Invitation.objects.exists()
    association_admin = login("iv", Role.ADMIN)
    assert 'value="board"' in association_admin.get(USERS).content.decode()
    assert invite(association_admin, email="ny.ledamot@iv.example", role=Role.BOARD).status_code == 302  # type: ignore[attr-defined]


def test_when_the_e_mail_cannot_be_sent_nothing_is_kept(
    varnamo: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise SMTPException("mail server down")

    monkeypatch.setattr("accounts.services.send_mail", refuse)
    response = invite(login("varnamo", Role.ADMIN))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "kunde inte skickas" in response.content.decode()  # type: ignore[attr-defined]
    with varnamo:
        assert not Invitation.objects.exists()
        assert not AuditEntry.objects.filter(summary="Invitation sent").exists()


def test_an_invited_admin_sets_up_two_factor_at_the_first_login(varnamo: Municipality) -> None:
    invite(login("varnamo", Role.ADMIN), email="ny.admin@varnamo.example", role=Role.ADMIN)
    accept(link_path())
    client = tenant_client("varnamo")
    response = client.post("/accounts/login/", {"username": "ny.admin@varnamo.example", "password": PASSWORD})
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    client.get(response["Location"])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with varnamo:
        code = totp_code(TOTPDevice.objects.get(user__email="ny.admin@varnamo.example"))
    client.post(response["Location"], {"token": code})
    assert client.get(USERS).status_code == 200


def test_the_token_carries_no_personal_data(varnamo: Municipality) -> None:
    from django.core import signing

    with varnamo:
        invitation = Invitation.objects.create(
            email=NEWCOMER, role=Role.VOLUNTEER, expires_at=timezone.now() + timedelta(days=1)
        )
        token = invitation_token(invitation)
    assert set(signing.loads(token, salt="accounts.invitation")) == {"s", "i"}
    assert "@" not in token
