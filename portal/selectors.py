"""Reads for the public pages: only public, active activities and sessions that are not cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from activities.choices import SessionStatus
from activities.models import Activity, Session
from billing.gateway import stripe_configured
from donations.models import Donation
from partners.models import Partner
from portal.models import PortalSettings, Signup, SignupStatus
from privacy.register import CATEGORIES, Audience, retention_sentence
from privacy.selectors import retention_months


def portal_settings_get() -> PortalSettings:
    settings_row = PortalSettings.objects.order_by("id").first()
    return settings_row or PortalSettings()


def public_activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_public=True, is_active=True)


def public_sessions(*, start: dt.datetime, end: dt.datetime) -> QuerySet[Session]:
    """Scheduled sessions of public activities starting in [start, end): cancelled ones never show."""
    return (
        Session.objects.filter(
            activity__is_public=True,
            activity__is_active=True,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("activity")
        .order_by("starts_at", "id")
    )


def public_activities_with_next_sessions(
    *, now: dt.datetime | None = None, per_activity: int = 3
) -> list[Activity]:
    """Public activities that have sessions ahead, each with ``upcoming`` (its next few sessions)."""
    now = now or timezone.now()
    upcoming = Session.objects.filter(status=SessionStatus.SCHEDULED, ends_at__gte=now).order_by("starts_at")
    activities: list[Activity] = list(
        public_activities()
        .filter(sessions__status=SessionStatus.SCHEDULED, sessions__ends_at__gte=now)
        .distinct()
        .prefetch_related(Prefetch("sessions", queryset=upcoming, to_attr="upcoming_all"))
        .order_by("title", "id")
    )
    for activity in activities:
        activity.upcoming = activity.upcoming_all[:per_activity]  # type: ignore[attr-defined]
    activities.sort(key=lambda activity: activity.upcoming[0].starts_at)  # type: ignore[attr-defined]
    return activities


def public_partner_names() -> list[str]:
    return list(Partner.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))


def get_public_activity(pk: int) -> Activity | None:
    return public_activities().select_related("partner").filter(pk=pk).first()


def signups_inbox() -> QuerySet[Signup]:
    """New sign-ups first, then the handled ones, newest first."""
    return (
        Signup.objects.select_related("activity", "handled_by")
        .prefetch_related("members")
        .annotate(is_new=Case(When(status=SignupStatus.NEW, then=Value(1)), default=Value(0)))
        .order_by("-is_new", "-created_at", "-id")
    )


def get_signup_for_user(pk: int) -> Signup:
    """The inbox is shared by the tenant's admins and coordinators; the view checks the role."""
    return get_object_or_404(signups_inbox(), pk=pk)


# An activity stays in the calendar feed for a year after its last date, so phones keep its history.
FEED_KEEPS_DAYS = 365


def feed_activities() -> QuerySet[Activity]:
    since = timezone.localdate() - dt.timedelta(days=FEED_KEEPS_DAYS)
    return public_activities().filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since)).order_by("id")


def feed_sessions(activities: list[Activity]) -> QuerySet[Session]:
    return Session.objects.filter(activity__in=activities).order_by("starts_at", "id")


# --- The privacy notice ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeCategory:
    key: str
    title: str
    items: list[str]
    purpose: str
    basis: str
    recipients: list[str]
    retention: str


@dataclass(frozen=True)
class NoticeSection:
    audience: str
    title: str
    categories: list[NoticeCategory]


def takes_card_gifts() -> bool:
    """Card gifts are on the notice when the donate page offers them, or when some were received."""
    return stripe_configured() or Donation.objects.exists()


def privacy_notice(*, card_gifts: bool | None = None) -> list[NoticeSection]:
    """The notice's sections in the current language, made from the register with this tenant's figures
    (its retention limit in months, the login records' days)."""
    if card_gifts is None:
        card_gifts = takes_card_gifts()
    months = retention_months()
    login_days = settings.LOGIN_RECORDS_RETENTION_DAYS
    sections = []
    for audience in Audience:
        categories = [
            NoticeCategory(
                key=category.key,
                title=str(category.title),
                items=[str(group.label) for group in category.groups],
                purpose=str(category.purpose),
                basis=str(category.basis.label),
                recipients=[str(recipient.label) for recipient in category.recipients],
                retention=retention_sentence(category.retention, months=months, login_days=login_days),
            )
            for category in CATEGORIES
            if category.audience == audience and (card_gifts or not category.card_gifts_only)
        ]
        if categories:
            sections.append(
                NoticeSection(audience=audience.value, title=str(audience.label), categories=categories)
            )
    return sections
