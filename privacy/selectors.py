"""Reads for the rights of the person and for retention: a person's whole record, and who is due.

The retention rule: a person's last activity is the newest of their registration in the register, an
activity registration, a session attended (any attendance row), a match request, a pathway stage change
and a consent decision. Someone whose last activity is older than the tenant's limit is due for
anonymisation, unless an admin kept them (``RetentionKeep.kept_until`` not yet passed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import Attendance, Registration, VolunteerHours
from audit.models import AuditEntry
from audit.selectors import audit_trail_for_object
from matching.models import Match, MatchRequest, Pathway, PathwayStageChange
from matching.services.matching import add_months
from people.choices import ConsentPurpose
from people.models import Consent, Person
from people.selectors.people import newest_per_purpose
from privacy.models import DEFAULT_RETENTION_MONTHS, RetentionKeep, RetentionSetting

PERSON_OBJ_TYPE = "core.person"


def retention_months() -> int:
    setting = RetentionSetting.objects.filter(pk=1).first()
    return setting.months if setting else DEFAULT_RETENTION_MONTHS


def _newest(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(
        queryset.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(m=Max(field))
        .values("m")[:1],
        output_field=DateTimeField(),
    )


def last_activity() -> Greatest:
    """A person's last activity as one SQL expression (a subquery per source; NULLs are ignored)."""
    return Greatest(
        F("created_at"),
        _newest(Registration.objects.all(), "created_at"),
        _newest(Attendance.objects.all(), "session__starts_at"),
        _newest(MatchRequest.objects.all(), "created_at"),
        _newest(Consent.objects.all(), "recorded_at"),
        Subquery(
            PathwayStageChange.objects.filter(pathway__person=OuterRef("pk"))
            .order_by()
            .values("pathway__person")
            .annotate(m=Max("recorded_at"))
            .values("m")[:1],
            output_field=DateTimeField(),
        ),
    )


def _kept_on(day: dt.date) -> Exists:
    return Exists(RetentionKeep.objects.filter(person=OuterRef("pk"), kept_until__gte=day))


def people_due_for_retention(*, day: dt.date | None = None) -> QuerySet[Person]:
    """Who the nightly task anonymises on ``day``: inactive past the limit and not kept."""
    day = day or timezone.localdate()
    cutoff = _start_of(add_months(day, -retention_months()))
    return (
        Person.objects.filter(erased_at__isnull=True)
        .annotate(last_activity=last_activity())
        .filter(last_activity__lt=cutoff)
        .exclude(_kept_on(day))
        .order_by("last_activity", "id")
    )


def people_passing_retention_soon(*, actor: User, day: dt.date | None = None) -> QuerySet[Person]:
    """For the admin: who will be due within the next month (including those due tonight), not kept."""
    if not actor.has_role(Role.ADMIN):
        return Person.objects.none()
    day = day or timezone.localdate()
    horizon = add_months(day, 1)
    cutoff = _start_of(add_months(horizon, -retention_months()))
    return (
        Person.objects.filter(erased_at__isnull=True)
        .annotate(last_activity=last_activity())
        .filter(last_activity__lt=cutoff)
        .exclude(_kept_on(horizon))
        .select_related("household")
        .order_by("last_activity", "id")
    )


def retention_keeps_in_force(*, actor: User, day: dt.date | None = None) -> QuerySet[RetentionKeep]:
    if not actor.has_role(Role.ADMIN):
        return RetentionKeep.objects.none()
    day = day or timezone.localdate()
    return RetentionKeep.objects.filter(kept_until__gte=day, person__erased_at__isnull=True).select_related(
        "person", "created_by"
    )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class PurposeDecision:
    purpose: str
    decision: Consent | None  # None: never asked ("Not asked" on the person's page)


@dataclass(frozen=True)
class ConsentDecisions:
    """A person's consent: the decision in force per purpose, as the person's page shows it, and every
    decision behind it (the export page lists them all too)."""

    in_force: list[PurposeDecision]  # every purpose, in the model's order (the page's rows)
    history: list[Consent]  # newest first


def consent_decisions(*, person: Person) -> ConsentDecisions:
    """The consent of ``person`` (already checked by ``get_person_for_privacy``): one query, however many
    decisions, with who recorded each."""
    history = list(person.consents.select_related("recorded_by").order_by("-recorded_at", "-id"))
    current = newest_per_purpose(history)
    return ConsentDecisions(
        in_force=[PurposeDecision(purpose, current.get(purpose)) for purpose in ConsentPurpose.values],
        history=history,
    )


@dataclass(frozen=True)
class PersonRecord:
    """Everything the tenant holds about one person, loaded with a fixed number of queries."""

    person: Person
    consents: list[Consent]
    registrations: list[Registration]
    attendances: list[Attendance]
    volunteer_hours: list[VolunteerHours]
    match_requests: list[MatchRequest]
    matches: list[Match]
    pathways: list[Pathway]
    audit_trail: list[AuditEntry]


def person_record(*, person: Person) -> PersonRecord:
    """The whole record of ``person`` (already checked by ``get_person_for_privacy``)."""
    person = Person.objects.select_related("household", "created_by").get(pk=person.pk)
    requests = list(
        MatchRequest.objects.filter(person=person).select_related("household").order_by("created_at", "id")
    )
    request_ids = [r.pk for r in requests]
    matches = list(
        Match.objects.filter(newcomer_request_id__in=request_ids)
        .union(Match.objects.filter(established_request_id__in=request_ids))
        .order_by("proposed_on", "id")
    )
    # Staff accounts are not linked to the register; a volunteer's hours belong to the account with the
    # person's e-mail address.
    hours: list[VolunteerHours] = (
        list(VolunteerHours.objects.filter(user__email__iexact=person.email).select_related("activity"))
        if person.email
        else []
    )
    return PersonRecord(
        person=person,
        consents=list(person.consents.select_related("recorded_by").order_by("recorded_at", "id")),
        registrations=list(person.registrations.select_related("activity").order_by("created_at", "id")),
        attendances=list(
            person.attendances.select_related("session__activity").order_by("session__starts_at", "id")
        ),
        volunteer_hours=hours,
        match_requests=requests,
        matches=matches,
        pathways=list(
            person.pathways.select_related("partner", "coordinator")
            .prefetch_related(
                Prefetch("stage_changes", queryset=PathwayStageChange.objects.order_by("changed_on", "id"))
            )
            .order_by("created_at", "id")
        ),
        audit_trail=list(audit_trail_for_object(obj_type=PERSON_OBJ_TYPE, obj_id=person.pk)),
    )
