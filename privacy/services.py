"""Rights of the person and retention: export, erasure (anonymisation), consent withdrawal, keeping.

What erasure keeps, and why: the person's row stays, with the fields statistics count by (birth year,
gender, group, role in the household, year of arrival, household link, registration date, volunteer flag)
and every attendance, registration, match and pathway row, so figures already reported stay true. Gone
are the name (replaced by a neutral placeholder), birth date (the year stays), phone, e-mail, district,
notes, languages, interests, guardians' names on consents, and the free text of match requests, matches
and pathways (with their check-ins, contacts and stage notes). A household whose members are all anonymised
loses its name, district and notes too. The sign-ups that brought the person's household in are deleted:
they are copies of what was just removed.
Age bands of an anonymised person are then computed from the birth year alone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_record
from matching.models import (
    CheckIn,
    Match,
    MatchContact,
    MatchingOptOut,
    MatchRequest,
    Pathway,
    PathwayStageChange,
)
from matching.services.matching import add_months
from people.models import Consent, ConsentPurpose, Household, Person, PersonImport
from people.services.imports import IMPORT_LIFETIME
from privacy.extensions import household_erasure
from privacy.models import RetentionKeep, RetentionSetting
from privacy.selectors import PERSON_OBJ_TYPE, PersonRecord, people_due_for_retention, retention_months

ANONYMOUS_NAME = "Anonymiserad"
# The word the admin types to confirm an erasure. Fixed and in Swedish (the platform's language), so the
# confirmation does not depend on the admin's interface language.
ERASE_CONFIRMATION_WORD = "RADERA"
MAX_KEEP_REASON = 300


class PrivacyError(Exception):
    """A rule about exports, erasure or retention was broken; the message is fit to show to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Export -------------------------------------------------------------------------------------------


def _user(user: User | None) -> str | None:
    return (user.full_name or user.email) if user else None


def person_record_data(record: PersonRecord) -> dict[str, Any]:
    """The record as plain data: what the JSON download holds, field by field."""
    household = record.person.household
    return {
        "person": _person_data(record.person),
        "household": (
            {
                "id": household.pk,
                "name": household.name,
                "district": household.district,
                "notes": household.notes,
            }
            if household
            else None
        ),
        **_activities_data(record),
        **_matching_data(record),
        "audit_trail": [
            {"at": e.at, "actor": _user(e.actor), "action": e.action, "summary": e.summary}
            for e in record.audit_trail
        ],
    }


def _person_data(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "birth_date": p.birth_date,
        "birth_year": p.birth_year,
        "gender": p.gender,
        "group": p.group,
        "household_role": p.household_role,
        "arrival_year": p.arrival_year,
        "languages": p.languages,
        "interests": p.interests,
        "phone": p.phone,
        "email": p.email,
        "district": p.district,
        "notes": p.notes,
        "is_volunteer": p.is_volunteer,
        "protected_identity": p.protected_identity,
        "registered_at": p.created_at,
        "registered_by": _user(p.created_by),
        "updated_at": p.updated_at,
    }


def _activities_data(record: PersonRecord) -> dict[str, Any]:
    return {
        "consents": [
            {
                "purpose": c.purpose,
                "given": c.given,
                "given_by_guardian": c.given_by_guardian,
                "guardian_name": c.guardian_name,
                "recorded_at": c.recorded_at,
                "recorded_by": _user(c.recorded_by),
            }
            for c in record.consents
        ],
        "registrations": [
            {
                "activity": r.activity.title,
                "status": r.status,
                "registered_at": r.created_at,
                "cancelled_at": r.cancelled_at,
            }
            for r in record.registrations
        ],
        "attendance": [
            {
                "activity": a.session.activity.title,
                "session_starts_at": a.session.starts_at,
                "status": a.status,
                "walk_in": a.is_walk_in,
            }
            for a in record.attendances
        ],
        "volunteer_hours": [
            {"activity": h.activity.title, "date": h.date, "minutes": h.minutes, "note": h.note}
            for h in record.volunteer_hours
        ],
    }


def _matching_data(record: PersonRecord) -> dict[str, Any]:
    return {
        "match_requests": [
            {
                "id": r.pk,
                "kind": r.kind,
                "status": r.status,
                "for_household": r.household_id is not None,
                "languages": r.languages,
                "interests": r.interests,
                "district": r.district,
                "note": r.note,
                "waiting_since": r.created_at,
            }
            for r in record.match_requests
        ],
        "matches": [
            {
                "id": m.pk,
                "kind": m.kind,
                "status": m.status,
                "proposed_on": m.proposed_on,
                "started_on": m.started_on,
                "ended_on": m.ended_on,
                "end_reason": m.end_reason,
                "note": m.note,
            }
            for m in record.matches
        ],
        "pathways": [
            {
                "arena": pw.arena,
                "goal": pw.goal,
                "partner": pw.partner.name if pw.partner else None,
                "stage": pw.stage,
                "outcome": pw.outcome,
                "note": pw.note,
                "stage_history": [
                    {"stage": ch.stage, "date": ch.changed_on, "note": ch.note}
                    for ch in pw.stage_changes.all()
                ],
            }
            for pw in record.pathways
        ],
    }


def person_export_json(*, actor: User, record: PersonRecord) -> str:
    """The JSON download; records who exported it (the entry is written before the export leaves)."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj_type=PERSON_OBJ_TYPE,
        obj_id=record.person.pk,
        summary=gettext_noop("Data export downloaded as JSON"),
    )
    return json.dumps(person_record_data(record), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def person_export_viewed(*, actor: User, person: Person) -> None:
    """The readable export page was opened: record it, since it shows everything about the person."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj_type=PERSON_OBJ_TYPE,
        obj_id=person.pk,
        summary=gettext_noop("Data export page viewed"),
    )


# --- Erasure ------------------------------------------------------------------------------------------


def _anonymise(person: Person, *, now: dt.datetime) -> None:
    person.first_name = ANONYMOUS_NAME
    person.last_name = ""
    if person.birth_date is not None:
        person.birth_year = person.birth_date.year
    person.birth_date = None
    person.languages = []
    person.interests = []
    person.phone = ""
    person.email = ""
    person.district = ""
    person.notes = ""
    person.protected_identity = False
    person.erased_at = now
    person.full_clean()
    person.save()
    Consent.objects.filter(person=person).exclude(guardian_name="").update(guardian_name="")
    MatchRequest.objects.filter(person=person).update(
        languages=[], interests=[], district="", note="", withdrawn_reason=""
    )
    MatchingOptOut.objects.filter(person=person).update(note="")
    requests = MatchRequest.objects.filter(person=person)
    matches = Match.objects.filter(newcomer_request__in=requests) | Match.objects.filter(
        established_request__in=requests
    )
    matches.update(note="", end_note="", first_meeting_place="")
    CheckIn.objects.filter(match__in=matches).update(note="")
    MatchContact.objects.filter(match__in=matches).update(note="")
    Pathway.objects.filter(person=person).update(note="")
    PathwayStageChange.objects.filter(pathway__person=person).update(note="")
    RetentionKeep.objects.filter(person=person).update(reason="")
    household = person.household
    if household is not None:
        for erase in household_erasure:
            erase(household)
        if not household.members.filter(erased_at__isnull=True).exists():
            Household.objects.filter(pk=household.pk).update(name=ANONYMOUS_NAME, district="", notes="")


@transaction.atomic
def person_erase(*, actor: User, person: Person, confirmation: str) -> Person:
    """Anonymise ``person`` at an admin's request, confirmed by typing ``ERASE_CONFIRMATION_WORD``."""
    if not actor.has_role(Role.ADMIN):
        raise PrivacyError(_("Only the administrator can erase a person."))
    if confirmation.strip().upper() != ERASE_CONFIRMATION_WORD:
        raise PrivacyError(
            _("Type %(word)s to confirm the erasure.") % {"word": ERASE_CONFIRMATION_WORD},
            field="confirmation",
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise PrivacyError(_("This person has already been anonymised."))
    _anonymise(person, now=timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.ERASE,
        obj_type=PERSON_OBJ_TYPE,
        obj_id=person.pk,
        summary=gettext_noop("Person anonymised at their request"),
    )
    return person


# --- Consent ------------------------------------------------------------------------------------------


@transaction.atomic
def consent_withdraw(*, actor: User, person: Person, purpose: str) -> Consent:
    """Record that consent for ``purpose`` is withdrawn, in force at once (the newest row counts)."""
    if purpose not in ConsentPurpose.values:
        raise PrivacyError(_("Unknown consent purpose: %(purpose)s.") % {"purpose": purpose})
    consent = Consent(person=person, purpose=purpose, given=False, recorded_by=actor)
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj_type=PERSON_OBJ_TYPE,
        obj_id=person.pk,
        summary=f"Consent withdrawn: {purpose}",
    )
    return consent


# --- Retention ----------------------------------------------------------------------------------------


@transaction.atomic
def retention_setting_update(*, actor: User, months: int) -> RetentionSetting:
    if not actor.has_role(Role.ADMIN):
        raise PrivacyError(_("Only the administrator can change the retention period."))
    if not 1 <= months <= 120:
        raise PrivacyError(_("The retention period must be between 1 and 120 months."), field="months")
    setting, _created = RetentionSetting.objects.get_or_create(pk=1)
    setting.months = months
    setting.updated_by = actor
    setting.full_clean()
    setting.save()
    return setting


@transaction.atomic
def retention_keep(
    *, actor: User, person: Person, reason: str, today: dt.date | None = None
) -> RetentionKeep:
    """Keep ``person`` for one more retention period, for ``reason`` (stored, shown on the page)."""
    if not actor.has_role(Role.ADMIN):
        raise PrivacyError(_("Only the administrator can keep a person past the retention period."))
    reason = " ".join(reason.split())
    if not reason:
        raise PrivacyError(_("Write why this person is kept."), field="reason")
    if len(reason) > MAX_KEEP_REASON:
        raise PrivacyError(
            _("Keep the reason under %(count)s characters.") % {"count": MAX_KEEP_REASON}, field="reason"
        )
    if person.is_erased:
        raise PrivacyError(_("This person has already been anonymised."))
    today = today or timezone.localdate()
    keep = RetentionKeep(
        person=person, reason=reason, kept_until=add_months(today, retention_months()), created_by=actor
    )
    keep.full_clean()
    keep.save()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj_type=PERSON_OBJ_TYPE,
        obj_id=person.pk,
        summary=gettext_noop("Kept past the retention period"),
    )
    return keep


def retention_anonymise_due(*, today: dt.date | None = None) -> int:
    """Anonymise everyone due on ``today`` in the current tenant, one transaction per person."""
    count = 0
    for person_id in list(people_due_for_retention(day=today).values_list("pk", flat=True)):
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(pk=person_id, erased_at__isnull=True).first()
            # Re-checked under the lock: someone may have attended or been kept since the list was read.
            if person is None or not people_due_for_retention(day=today).filter(pk=person_id).exists():
                continue
            _anonymise(person, now=timezone.now())
            audit_record(
                actor=None,
                action=AuditAction.ERASE,
                obj_type=PERSON_OBJ_TYPE,
                obj_id=person.pk,
                summary=gettext_noop("Person anonymised after the retention period"),
            )
            count += 1
    return count


def person_imports_purge() -> int:
    """Delete imports nobody committed within ``IMPORT_LIFETIME`` (the nightly task calls this, so an
    abandoned file does not wait for the next upload to disappear)."""
    _total, per_model = PersonImport.objects.filter(created_at__lt=timezone.now() - IMPORT_LIFETIME).delete()
    return per_model.get(PersonImport._meta.label, 0)
