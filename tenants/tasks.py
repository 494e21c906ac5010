"""Background work of onboarding. Tasks take ids and call a service (tenants.onboarding)."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError

from ivplatform.celery import app
from tenants.onboarding import OnboardingError, application_provision, applications_unconfirmed_purge

logger = logging.getLogger(__name__)


@app.task(
    autoretry_for=(OperationalError, InterfaceError),  # the database went away: what was made is undone
    retry_backoff=5,
    max_retries=3,
)
def provision_application(application_id: int) -> None:
    try:
        application_provision(application_id=application_id)
    except OnboardingError as exc:
        # Already recorded on the application (the applicant sees it, an operator can retry); or the
        # application is no longer waiting, e.g. a duplicate delivery after it became ready.
        logger.info("Provisioning application %s stopped: %s", application_id, exc)


@app.task
def purge_unconfirmed_applications() -> int:
    return applications_unconfirmed_purge()
