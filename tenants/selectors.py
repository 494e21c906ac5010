from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db.models import Case, QuerySet, When
from django.shortcuts import get_object_or_404
from django_tenants.utils import get_public_schema_name

from accounts.models import User
from accounts.roles import Role
from tenants.models import READY_STATUSES, ApplicationStatus, Municipality, OnboardingApplication, TenantKind


def tenant_host(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def member_municipalities() -> QuerySet[Municipality]:
    """The association's members: every municipality tenant, public and association excluded."""
    return (
        Municipality.objects.exclude(schema_name=get_public_schema_name())
        .filter(kind=TenantKind.MUNICIPALITY)
        .order_by("name")
    )


def public_member_municipalities() -> QuerySet[Municipality]:
    """Municipalities shown on the public site: those whose space is open (not being set up, not archived)."""
    return member_municipalities().filter(status__in=READY_STATUSES)


def application_by_public_id(public_id: UUID) -> OnboardingApplication:
    """The application behind a progress link; the same 404 whether it never existed or was purged."""
    return get_object_or_404(OnboardingApplication, public_id=public_id)


def applications_for_board(*, actor: User) -> QuerySet[OnboardingApplication]:
    """Sign-ups a board member decides on: those waiting first, then the latest decided ones."""
    return OnboardingApplication.objects.exclude(status=ApplicationStatus.UNCONFIRMED).order_by(
        Case(When(status=ApplicationStatus.PENDING, then=0), default=1), "-created_at"
    )


def get_application_for_actor(*, actor: User, public_id: UUID) -> OnboardingApplication:
    return get_object_or_404(applications_for_board(actor=actor), public_id=public_id)


def tenant_first_admin(*, tenant: Municipality) -> User | None:
    """The space's first administrator (the one who signed up), read in the current tenant's schema."""
    return (
        User.objects.filter(role=Role.ADMIN, is_active=True, email=tenant.contact_email).first()
        or User.objects.filter(role=Role.ADMIN, is_active=True).order_by("date_joined").first()
    )
