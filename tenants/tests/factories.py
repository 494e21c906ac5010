from __future__ import annotations

from typing import Any

from django.utils import timezone

from tenants.models import ApplicationStatus, OnboardingApplication
from tenants.municipalities import municipality_by_code
from tenants.onboarding import TERMS_VERSION

GNOSJO = "0617"
ALVESTA = "0764"
MALUNG_SALEN = "2023"


def application_make(
    code: str = GNOSJO,
    *,
    slug: str | None = None,
    status: ApplicationStatus = ApplicationStatus.UNCONFIRMED,
    **extra: Any,
) -> OnboardingApplication:
    """A sign-up as the form would leave it (unconfirmed), or in ``status``; saved."""
    municipality = municipality_by_code(code)
    assert municipality is not None
    now = timezone.now()
    values: dict[str, Any] = {
        "municipality_code": code,
        "municipality_name": municipality.name,
        "county": municipality.county,
        "slug": slug
        or municipality.name.lower().replace("ö", "o").replace("ä", "a").replace("å", "a").replace(" ", "-"),
        "organisation": f"Internationella Vänner {municipality.name}",
        "contact_name": "Gunilla Nilsson",
        "contact_email": f"gunilla@{code}.example.se",
        "language": "sv",
        "link_scheme": "http",
        "link_port": "8000",
        "terms_version": TERMS_VERSION,
        "terms_accepted_at": now,
        "dpa_accepted_at": now,
        "status": status,
    }
    if status != ApplicationStatus.UNCONFIRMED:
        values["confirmed_at"] = now
    values.update(extra)
    application = OnboardingApplication(**values)
    application.full_clean()
    application.save()
    return application
