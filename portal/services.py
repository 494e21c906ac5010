"""Writes for the public pages: sign-ups in, and their way into the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities.services.activities import registration_create
from core.errors import DomainError
from matching.services.matching import add_months
from people.choices import ConsentPurpose, HouseholdRole, PersonGroup
from people.models import Consent, Household, Person
from portal.models import PortalSettings, Signup, SignupGroup, SignupMember, SignupStatus
from privacy.selectors import retention_months

GUARDIAN_AGE = 13


class PortalError(DomainError):
    """A sign-up could not be taken or handled; the message is fit to show."""


@dataclass(frozen=True)
class MemberData:
    first_name: str
    birth_year: int | None
    wishes: list[str]


@transaction.atomic
def signup_submit(*, data: dict[str, Any], others: list[MemberData], language: str) -> Signup:
    signup = Signup(
        group=data["group"],
        contact_first_name=data["first_name"].strip(),
        contact_last_name=data.get("last_name", "").strip(),
        phone=data.get("phone", "").strip(),
        email=data.get("email", "").strip().lower(),
        district=data.get("district", "").strip(),
        languages=list(data.get("languages") or []),
        activity=data.get("activity"),
        message=data.get("message", "").strip(),
        language=language,
        consent=bool(data.get("consent")),
    )
    signup.full_clean()
    signup.save()
    members = [MemberData(signup.contact_first_name, data.get("birth_year"), list(data.get("wishes") or []))]
    members += others
    for position, member in enumerate(members):
        row = SignupMember(
            signup=signup,
            first_name=member.first_name.strip(),
            birth_year=member.birth_year,
            wishes=member.wishes,
            position=position,
        )
        row.full_clean()
        row.save()
    return signup


def _person_group(signup: Signup) -> PersonGroup:
    return PersonGroup.NEWCOMER if signup.group == SignupGroup.NEWCOMER else PersonGroup.ESTABLISHED


@transaction.atomic
def signup_accept(*, signup_id: int, user: User) -> Household:
    """Bring a sign-up into the register: a household with its members, their consent, the activity."""
    signup = Signup.objects.select_for_update().get(pk=signup_id)
    if signup.status != SignupStatus.NEW:
        raise PortalError(_("This sign-up has already been handled."))
    members = list(signup.members.order_by("position", "id"))
    household = Household(
        name=signup.contact_last_name or signup.contact_first_name, district=signup.district
    )
    household.full_clean()
    household.save()
    year = timezone.localdate().year
    contact_name = f"{signup.contact_first_name} {signup.contact_last_name}".strip()
    for position, member in enumerate(members):
        is_child = member.birth_year is not None and year - member.birth_year < 18
        person = Person(
            household=household,
            household_role=HouseholdRole.CHILD if is_child else HouseholdRole.ADULT,
            first_name=member.first_name,
            last_name=signup.contact_last_name,
            birth_year=member.birth_year,
            group=_person_group(signup),
            languages=signup.languages,
            district=signup.district,
            phone=signup.phone if position == 0 else "",
            email=signup.email if position == 0 else "",
            is_volunteer=signup.group == SignupGroup.VOLUNTEER and position == 0,
            notes=signup.message if position == 0 else "",
            created_by=user,
        )
        person.full_clean()
        person.save()
        # The form's consent covers contact: the signer gives it for the children of the family.
        by_guardian = member.birth_year is not None and year - member.birth_year < GUARDIAN_AGE
        Consent.objects.create(
            person=person,
            purpose=ConsentPurpose.CONTACT,
            given=True,
            given_by_guardian=by_guardian and position > 0,
            guardian_name=contact_name if by_guardian and position > 0 else "",
            recorded_by=user,
        )
        if signup.activity is not None and "activity" in member.wishes:
            # The activities' own service: a full activity puts them on its waiting list.
            registration_create(actor=user, activity=signup.activity, person=person)
    signup.status = SignupStatus.ACCEPTED
    signup.household = household
    signup.handled_by = user
    signup.handled_at = timezone.now()
    signup.save(update_fields=["status", "household", "handled_by", "handled_at"])
    return household


@transaction.atomic
def signup_reject(*, signup_id: int, user: User, reason: str) -> Signup:
    signup = Signup.objects.select_for_update().get(pk=signup_id)
    if signup.status != SignupStatus.NEW:
        raise PortalError(_("This sign-up has already been handled."))
    signup.status = SignupStatus.REJECTED
    signup.reject_reason = reason.strip()
    signup.handled_by = user
    signup.handled_at = timezone.now()
    signup.save(update_fields=["status", "reject_reason", "handled_by", "handled_at"])
    return signup


@transaction.atomic
def portal_settings_update(*, data: dict[str, Any]) -> PortalSettings:
    row = PortalSettings.objects.select_for_update().order_by("id").first() or PortalSettings()
    for field, value in data.items():
        setattr(row, field, value)
    row.full_clean()
    row.save()
    return row


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def household_signups_erase(household: Household) -> None:
    """A member of ``household`` was erased (``privacy.extensions``): its sign-ups leave the inbox."""
    Signup.objects.filter(household=household).delete()


def signups_purge_due(today: dt.date | None) -> None:
    """The nightly retention run (``privacy.extensions``)."""
    signups_purge(today=today)


@transaction.atomic
def signups_purge(*, today: dt.date | None = None) -> int:
    """Delete the sign-ups last handled (or, never handled, received) longer ago than the tenant's
    retention limit. An accepted sign-up's data lives on in the register, which has its own retention;
    the inbox copy must not outlive it. Returns how many were deleted."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(dt.datetime.combine(add_months(today, -retention_months()), dt.time.min))
    stale = Signup.objects.filter(
        Q(handled_at__lt=cutoff) | Q(handled_at__isnull=True, created_at__lt=cutoff)
    )
    _total, per_model = stale.delete()
    return per_model.get(Signup._meta.label, 0)
