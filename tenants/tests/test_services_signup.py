"""Signing up and confirming: every invalid input gets a clear message and writes nothing."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail

from accounts.models import User
from accounts.roles import Role
from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Municipality, OnboardingApplication, PlatformSettings
from tenants.onboarding import (
    LinkOrigin,
    OnboardingError,
    application_approve,
    application_confirm,
    application_create,
    application_reject,
    application_token,
    applications_unconfirmed_purge,
)
from tenants.tests.factories import ALVESTA, GNOSJO, application_make

pytestmark = pytest.mark.django_db


def signup(**overrides: Any) -> OnboardingApplication:
    values: dict[str, Any] = {
        "municipality_code": GNOSJO,
        "slug": "gnosjo",
        "organisation": "Internationella Vänner Gnosjö",
        "contact_name": "Gunilla Nilsson",
        "contact_email": "Gunilla@Gnosjo.example.se",
        "accepted_terms": True,
        "accepted_dpa": True,
        "language": "sv",
        "origin": LinkOrigin("http", "8000"),
    }
    values.update(overrides)
    return application_create(**values)


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+", str(message.body))
    assert match, message.body
    return match.group(0)


def test_signing_up_records_the_application_and_mails_a_confirmation_link() -> None:
    application = signup()
    assert application.status == ApplicationStatus.UNCONFIRMED
    assert application.municipality_name == "Gnosjö"
    assert application.county == "Jönköpings län"
    assert application.contact_email == "gunilla@gnosjo.example.se"
    assert application.terms_accepted_at
    assert application.dpa_accepted_at
    (message,) = mail.outbox
    assert message.to == ["gunilla@gnosjo.example.se"]
    assert "Gnosjö" in message.subject
    assert link_in(message).startswith("http://localhost:8000/signup/confirm/")
    assert "gnosjo.localhost" in message.body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"municipality_code": "9999"}, "municipality", "Välj din kommun"),
        ({"slug": "admin"}, "slug", "reserverad"),
        ({"slug": "www"}, "slug", "reserverad"),
        ({"slug": "pg_gnosjo"}, "slug", "pg_"),
        ({"slug": "gn"}, "slug", "3 till 40 tecken"),
        ({"slug": "gnosjö kommun"}, "slug", "a–z"),
        ({"slug": "varnamo"}, "slug", "redan upptagen"),
        ({"slug": "tenant_template"}, "slug", "a–z"),
        ({"municipality_code": "0683", "slug": "varnamo2"}, "municipality", "finns redan på plattformen"),
        ({"accepted_terms": False}, "accept_terms", "användarvillkoren"),
        ({"accepted_dpa": False}, "accept_dpa", "personuppgiftsbiträdesavtalet"),
        ({"contact_email": "gunilla(at)gnosjo"}, "contact_email", "e-postadress"),
    ],
)
def test_invalid_sign_ups_are_refused_with_a_message_and_write_nothing(
    overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(OnboardingError) as caught:
        signup(**overrides)
    assert caught.value.field == field
    assert message in caught.value.message
    assert not OnboardingApplication.objects.exists()
    assert not mail.outbox


def test_an_address_or_municipality_claimed_by_a_confirmed_sign_up_is_taken() -> None:
    application_make(GNOSJO, slug="gnosjo", status=ApplicationStatus.QUEUED)
    with pytest.raises(OnboardingError, match="redan upptagen"):
        signup(municipality_code=ALVESTA, slug="gnosjo")
    with pytest.raises(OnboardingError, match="har redan anmält sig"):
        signup(slug="gnosjo-vanner")


def test_an_unconfirmed_sign_up_claims_nothing() -> None:
    application_make(GNOSJO, slug="gnosjo")  # someone typed Gnosjö but never confirmed
    assert signup().status == ApplicationStatus.UNCONFIRMED


def test_confirming_queues_provisioning_and_the_space_is_made(
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = signup()
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        application_confirm(token=token)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY
    assert application.confirmed_at is not None
    assert Municipality.objects.get(schema_name="gnosjo").status == "trial"


def test_a_confirmation_link_works_once() -> None:
    application = signup()
    token = application_token(application)
    application_confirm(token=token)
    with pytest.raises(OnboardingError, match="redan använts"):
        application_confirm(token=token)


def test_an_expired_confirmation_link_is_refused(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    application = signup()
    token = application_token(application)
    later = time.time() + settings.SIGNUP_CONFIRMATION_MAX_AGE + 60
    monkeypatch.setattr("time.time", lambda: later)  # the clock django.core.signing reads
    with pytest.raises(OnboardingError, match="har gått ut"):
        application_confirm(token=token)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNCONFIRMED


def test_a_tampered_confirmation_link_is_refused() -> None:
    token = application_token(signup())
    with pytest.raises(OnboardingError, match="inte giltig"):
        application_confirm(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_confirming_after_someone_else_claimed_the_municipality_says_so() -> None:
    application = signup()
    application_make(GNOSJO, slug="gnosjo-2", status=ApplicationStatus.QUEUED)
    with pytest.raises(OnboardingError, match="har redan anmält sig"):
        application_confirm(token=application_token(application))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNCONFIRMED


def test_with_approval_required_a_confirmed_sign_up_waits_and_the_board_is_told() -> None:
    PlatformSettings.objects.update_or_create(pk=1, defaults={"approval_required": True})
    application = signup()
    mail.outbox.clear()
    application_confirm(token=application_token(application))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert not Municipality.objects.filter(schema_name="gnosjo").exists()
    to_applicant, to_board = mail.outbox
    assert to_applicant.to == ["gunilla@gnosjo.example.se"]
    assert "godkännande" in to_applicant.subject
    assert to_board.to == ["board@iv.demo"]
    assert link_in(to_board).startswith("http://iv.localhost:8000/board/applications/")
    tenant_connection().set_schema_to_public()


def _board_member() -> User:
    with Municipality.objects.get(schema_name="iv"):
        return User.objects.get(role=Role.BOARD)


def test_the_board_approves_and_the_space_is_made(django_capture_on_commit_callbacks: Any) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    board = _board_member()
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application_id=application.pk, actor=board)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY
    assert application.decided_by == "board@iv.demo"
    subjects = [message.subject for message in mail.outbox]
    assert "Din anmälan är godkänd" in subjects
    assert any("är klart" in subject for subject in subjects)


def test_the_board_rejects_with_a_reason_the_applicant_is_told() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    application_reject(application_id=application.pk, actor=_board_member(), reason="Kontakta oss först.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    (message,) = mail.outbox
    assert "Kontakta oss först." in message.body
    # The claim is released: someone else may sign Gnosjö up now.
    assert signup(slug="gnosjo").status == ApplicationStatus.UNCONFIRMED


def test_rejecting_without_a_reason_is_refused() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    with pytest.raises(OnboardingError, match="Ange ett skäl") as caught:
        application_reject(application_id=application.pk, actor=_board_member(), reason="  ")
    assert caught.value.field == "reason"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_only_a_pending_sign_up_can_be_decided() -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.QUEUED)
    with pytest.raises(OnboardingError, match="väntar inte längre"):
        application_approve(application_id=application.pk, actor=_board_member())


def test_unconfirmed_sign_ups_are_purged_when_their_link_has_expired(settings: Any) -> None:
    old = application_make(GNOSJO)
    fresh = application_make(ALVESTA)
    OnboardingApplication.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    assert applications_unconfirmed_purge() == 1
    assert list(OnboardingApplication.objects.all()) == [fresh]
