"""The public host: the site, the sign-up form and its refusals, the confirmation and progress pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tenants.models import ApplicationStatus, Municipality, OnboardingApplication
from tenants.onboarding import application_token
from tenants.tests.factories import GNOSJO, application_make

pytestmark = pytest.mark.django_db

VALID = {
    "municipality": GNOSJO,
    "slug": "",
    "organisation": "Internationella Vänner Gnosjö",
    "contact_name": "Gunilla Nilsson",
    "contact_email": "gunilla@gnosjo.example.se",
    "accept_terms": "on",
    "accept_dpa": "on",
    "website": "",
}


def test_the_public_site_says_what_who_where_and_how_much(public_client: Client) -> None:
    response = public_client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Internationella Vänner, en ideell paraplyförening" in body  # who runs it
    assert 'href="//varnamo.localhost/"' in body  # participating municipalities, linked
    assert "Upp till 15 000 invånare" in body  # prices
    assert "495 kr" in body
    assert "4\xa0950 kr" in body
    assert 'href="/signup/"' in body


def test_the_public_site_in_english(public_client: Client) -> None:
    public_client.cookies["django_language"] = "en"
    body = public_client.get("/").content.decode()
    assert "Who runs it" in body
    assert "SEK 4,950" in body
    assert "Sign up your municipality" in body


def test_a_space_being_set_up_or_archived_is_not_listed(public_client: Client) -> None:
    Municipality.objects.filter(schema_name="gislaved").update(status="archived")
    body = public_client.get("/").content.decode()
    assert "Gislaved" not in body
    assert "Värnamo" in body


def test_the_sign_up_form_lists_all_municipalities_by_county(public_client: Client) -> None:
    response = public_client.get("/signup/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<optgroup") == 21
    assert '<option value="0617">Gnosjö</option>' in body
    assert 'href="/terms/"' in body
    assert 'href="/data-processing-agreement/"' in body


def test_signing_up_sends_the_link_and_says_where(public_client: Client) -> None:
    response = public_client.post("/signup/", VALID, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert response["Location"] == "/signup/sent/"
    application = OnboardingApplication.objects.get()
    assert application.slug == "gnosjo"  # empty address: the municipality's name, folded
    assert (application.link_scheme, application.link_port) == ("http", "")
    assert "gunilla@gnosjo.example.se" in public_client.get("/signup/sent/").content.decode()
    (message,) = mail.outbox
    assert "http://localhost/signup/confirm/" in message.body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"contact_email": "gunilla.gnosjo.se"},
            "Ange en giltig e-postadress, till exempel namn@exempel.se.",
        ),
        ({"contact_email": ""}, "Ange din e-postadress."),
        ({"accept_terms": ""}, "Godkänn användarvillkoren för att anmäla."),
        ({"accept_dpa": ""}, "Godkänn personuppgiftsbiträdesavtalet för att anmäla."),
        ({"slug": "admin"}, "”admin” är reserverad för plattformen själv."),
        ({"slug": "pg_test"}, "Adresser som börjar med ”pg_” är reserverade av databasen."),
        ({"slug": "Värnamo"}, "Adressen varnamo.localhost är redan upptagen."),
        ({"municipality": "0683", "slug": "varnamo-2"}, "Värnamo finns redan på plattformen."),
        ({"municipality": ""}, "Välj din kommun i listan."),
        ({"organisation": ""}, "Ange organisationen som driver det lokala nätverket."),
    ],
)
def test_each_invalid_input_gets_a_clear_message_and_writes_nothing(
    public_client: Client, change: dict[str, str], message: str
) -> None:
    response = public_client.post("/signup/", {**VALID, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not OnboardingApplication.objects.exists()
    assert not mail.outbox


def test_the_honeypot_refuses_a_filled_in_form(public_client: Client) -> None:
    response = public_client.post("/signup/", {**VALID, "website": "http://spam.example"})
    assert "ser ut att vara ifyllt av ett program" in response.content.decode()
    assert not OnboardingApplication.objects.exists()


def test_sign_ups_are_limited_per_address(public_client: Client, settings: Any) -> None:
    settings.SIGNUP_RATE_LIMIT_PER_IP = (2, 3600)
    for number in range(2):
        public_client.post("/signup/", {**VALID, "contact_email": f"x{number}@example.se", "accept_dpa": ""})
    response = public_client.post("/signup/", VALID)
    assert response.status_code == 429
    assert "För många anmälningar från ditt nätverk" in response.content.decode()
    assert not OnboardingApplication.objects.exists()
    # Another address is not affected.
    assert public_client.post("/signup/", VALID, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_sign_ups_are_limited_per_e_mail(public_client: Client, settings: Any) -> None:
    settings.SIGNUP_RATE_LIMIT_PER_EMAIL = (1, 86400)
    assert public_client.post("/signup/", VALID, REMOTE_ADDR="10.0.0.1").status_code == 302
    response = public_client.post(
        "/signup/", {**VALID, "contact_email": "GUNILLA@gnosjo.example.se"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 429
    assert "För många anmälningar med den här e-postadressen" in response.content.decode()
    assert OnboardingApplication.objects.count() == 1


def test_the_confirmation_link_shows_a_button_and_confirming_starts_the_setup(
    public_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    application = application_make(GNOSJO)
    url = f"/signup/confirm/{application_token(application)}/"
    page = public_client.get(url)
    assert "Bekräfta och skapa vårt utrymme" in page.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNCONFIRMED  # looking at the link changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/signup/progress/{application.public_id}/"
    progress = public_client.get(response["Location"]).content.decode()
    assert "Till ditt utrymme" in progress
    assert 'href="http://gnosjo.localhost:8000/welcome/"' in progress


@pytest.mark.parametrize(
    ("token", "message"),
    [("not-a-token", "Länken är inte giltig"), (None, "Länken har redan använts")],
)
def test_a_bad_or_used_confirmation_link_says_so(
    public_client: Client, token: str | None, message: str
) -> None:
    application = application_make(
        GNOSJO, status=ApplicationStatus.QUEUED if token is None else ApplicationStatus.UNCONFIRMED
    )
    token = token or application_token(application)
    for response in (
        public_client.get(f"/signup/confirm/{token}/"),
        public_client.post(f"/signup/confirm/{token}/"),
    ):
        assert response.status_code == 400
        assert message in response.content.decode()


def test_progress_page_and_status_while_being_set_up(public_client: Client) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PROVISIONING, step="migrations")
    page = public_client.get(f"/signup/progress/{application.public_id}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "tenants/progress.js" in page
    assert re.search(r'class="step step--done" data-step="database"', page)
    assert re.search(r'class="step step--current" data-step="migrations"', page)
    assert "<script>" not in page  # no inline script
    status = public_client.get(f"/signup/progress/{application.public_id}/status.json").json()
    assert status["status"] == "provisioning"
    assert status["step"] == "migrations"
    assert not status["finished"]
    assert [step["state"] for step in status["steps"]] == ["done", "done", "current", "todo", "todo", "todo"]
    assert status["next_url"] == ""


def test_progress_of_an_unknown_sign_up_is_404(public_client: Client) -> None:
    assert public_client.get("/signup/progress/8b5b4c0e-4bb4-4f8a-9a84-2f1f0d5f2a11/").status_code == 404


def test_a_failed_setup_shows_why_and_can_be_tried_again(
    public_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    application = application_make(
        GNOSJO, status=ApplicationStatus.FAILED, failure_message="Något gick fel hos oss."
    )
    page = public_client.get(f"/signup/progress/{application.public_id}/").content.decode()
    assert "Något gick fel hos oss." in page
    assert "Försök igen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(f"/signup/progress/{application.public_id}/retry/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY
    # Retrying what is not failed is refused clearly.
    again = public_client.post(f"/signup/progress/{application.public_id}/retry/")
    assert again.status_code == 409
    assert "Bara en anmälan" in again.content.decode()


def test_a_pending_sign_up_says_it_waits_for_the_board(public_client: Client) -> None:
    application = application_make(GNOSJO, status=ApplicationStatus.PENDING)
    page = public_client.get(f"/signup/progress/{application.public_id}/").content.decode()
    assert "Din anmälan väntar på dem" in page
    assert "progress.js" not in page


@pytest.mark.parametrize(("language", "heading"), [("sv", "Användarvillkor"), ("en", "Terms of use")])
def test_the_terms_in_both_languages(public_client: Client, language: str, heading: str) -> None:
    public_client.cookies["django_language"] = language
    assert f"<h1>{heading}</h1>" in public_client.get("/terms/").content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("sv", "Personuppgiftsbiträdesavtal"), ("en", "Data processing agreement")]
)
def test_the_data_processing_agreement_in_both_languages(
    public_client: Client, language: str, heading: str
) -> None:
    public_client.cookies["django_language"] = language
    assert f"<h1>{heading}</h1>" in public_client.get("/data-processing-agreement/").content.decode()


def test_sign_up_pages_are_not_on_tenant_hosts() -> None:
    from conftest import tenant_client

    # On a municipality's host /signup/ is the newcomers' sign-up, never the municipality application.
    response = tenant_client("varnamo").get("/signup/")
    assert "tenants/signup.html" not in [t.name for t in response.templates]
    assert tenant_client("varnamo").get("/signup/confirm/x/").status_code == 404
