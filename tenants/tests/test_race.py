"""Two sign-ups confirmed at the same moment for one address or one municipality: exactly one space.

Real transactions in two threads, each with its own database connection; what they commit is removed after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction

from tenants.models import ApplicationStatus, Municipality, OnboardingApplication
from tenants.onboarding import OnboardingError, application_confirm, application_token
from tenants.tests.factories import ALVESTA, GNOSJO, application_make

CLEAR_MESSAGES = ("Någon annan har just anmält", "har redan anmält sig", "är redan upptagen")


@pytest.mark.django_db
def test_only_confirmed_sign_ups_hold_a_claim_in_the_database() -> None:
    # Also makes pytest-django set up the test database when this module runs alone.
    application_make(GNOSJO, slug="gnosjo")
    second = application_make(GNOSJO, slug="gnosjo-2")  # two unconfirmed: allowed
    application_make(GNOSJO, slug="gnosjo", status=ApplicationStatus.QUEUED)
    # The database itself refuses a second claim on the municipality, whatever the code checked before.
    with pytest.raises(IntegrityError), transaction.atomic():
        OnboardingApplication.objects.filter(pk=second.pk).update(status="pending")


@pytest.mark.parametrize(
    ("code", "slug"),
    [(GNOSJO, "gnosjo"), (GNOSJO, "gnosjo-kommun"), (ALVESTA, "gnosjo")],
    ids=["same-municipality-same-address", "same-municipality", "same-address"],
)
def test_two_racing_sign_ups_make_exactly_one_space(
    committed: Callable[..., None], code: str, slug: str
) -> None:
    committed("gnosjo", "gnosjo-kommun")
    tokens = [
        application_token(application_make(GNOSJO, slug="gnosjo", contact_email="first@gnosjo.example.se")),
        application_token(application_make(code, slug=slug, contact_email="second@gnosjo.example.se")),
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(token: str) -> None:
        try:
            barrier.wait(timeout=10)
            application_confirm(token=token)  # inline tasks: the winner's space is made right after
            outcomes.append("space")
        except OnboardingError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes, key=lambda outcome: outcome != "space")[0] == "space"
    assert outcomes.count("space") == 1, outcomes
    (message,) = [outcome for outcome in outcomes if outcome != "space"]
    assert any(text in message for text in CLEAR_MESSAGES), message
    spaces = Municipality.objects.filter(schema_name__in=["gnosjo", "gnosjo-kommun"])
    assert spaces.count() == 1
    assert spaces.get().status == "trial"
