"""Writes for friend matching. Every function checks its rules, raises ``MatchingError`` with a message fit
to show, and writes nothing when it refuses.

Match states: proposed → active → ended, and proposed → ended (declined). Ended is final. A proposal that
ends before it started puts both requests back on the waiting list (their waiting time kept); an active
match that ends closes them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import Role
from core.signals import counted_data_changed
from matching.models import (
    Availability,
    CheckIn,
    CheckInStatus,
    ContactKind,
    DistrictNeighbour,
    Match,
    MatchContact,
    MatchEndReason,
    MatchingOptOut,
    MatchKind,
    MatchPreference,
    MatchRequest,
    MatchRequestSource,
    MatchRequestStatus,
    MatchStatus,
)
from matching.models.matching import CHECK_IN_MONTHS
from matching.selectors.match_scoring import normalise_district
from matching.selectors.matching import (
    candidate_requests,
    household_children_birth_years,
    household_ids_of,
    introduction_blocked,
    is_opted_out,
)
from people.models import Household, HouseholdRole, Person, PersonGroup
from tenants.models import Municipality

logger = logging.getLogger(__name__)


class MatchingError(Exception):
    """A matching or pathway rule refused the change. The message is translated and fit to show."""


# Which status a match may move to from which: everything else is refused.
MATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    MatchStatus.PROPOSED: frozenset({MatchStatus.ACTIVE, MatchStatus.ENDED}),
    MatchStatus.ACTIVE: frozenset({MatchStatus.ENDED}),
    MatchStatus.ENDED: frozenset(),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _save(
    instance: MatchRequest | Match | CheckIn | MatchContact | MatchingOptOut | DistrictNeighbour,
) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise MatchingError(" ".join(error.messages)) from error
    instance.save()


def _clean_words(values: Sequence[str]) -> list[str]:
    """Trimmed, lower case, no repeats, order kept: interests compare by text."""
    return list(dict.fromkeys(value.strip().lower() for value in values if value.strip()))


def _clean_languages(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(value.strip().lower() for value in values if value.strip()))


def _check_choices(values: Sequence[str], allowed: Sequence[str], what: str) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise MatchingError(
            _("Not a known %(what)s: %(values)s.") % {"what": what, "values": ", ".join(unknown)}
        )
    return [value for value in allowed if value in values]


def _household_languages(household: Household) -> list[str]:
    languages: list[str] = []
    for member in household.members.filter(household_role=HouseholdRole.ADULT, erased_at__isnull=True):
        languages.extend(member.languages)
    return _clean_languages(languages)


def _check_can_wait(*, person: Person, kind: str, household: Household | None) -> None:
    """Whether the person (or the household) may be put on the waiting list for this kind of match."""
    if kind not in MatchKind.values:
        raise MatchingError(_("Choose what kind of match is wanted."))
    if person.erased_at is not None:
        raise MatchingError(_("This person has been anonymised and cannot be matched."))
    if person.group not in PersonGroup.values:
        raise MatchingError(_("Record whether the person is a newcomer or established first."))
    if household is not None and person.household_id != household.pk:
        raise MatchingError(
            _("%(person)s is not a member of the household %(household)s.")
            % {"person": person, "household": household}
        )
    if is_opted_out(person):
        raise MatchingError(
            _("%(person)s has said no to being matched. Record a new decision before adding a request.")
            % {"person": person}
        )
    open_requests = MatchRequest.objects.filter(status=MatchRequestStatus.OPEN, kind=kind)
    if open_requests.filter(person=person).exists() or (
        household is not None and open_requests.filter(household=household).exists()
    ):
        raise MatchingError(
            _("%(who)s is already waiting for a match of this kind.")
            % {"who": household if household is not None else person}
        )


def _children_birth_years(
    household: Household | None, children_ages: Sequence[int] | None, today: dt.date
) -> list[int]:
    """The children's birth years: from the ages given, or from the household's children."""
    if children_ages is None:
        return household_children_birth_years(household)
    if any(age < 0 or age > 25 for age in children_ages):
        raise MatchingError(_("Children's ages must be between 0 and 25."))
    return sorted(today.year - age for age in children_ages)


@transaction.atomic
def match_request_create(  # noqa: PLR0913 - keyword-only, one per question of the form
    *,
    person: Person,
    kind: str,
    household: Household | None = None,
    languages: Sequence[str] | None = None,
    interests: Sequence[str] | None = None,
    children_ages: Sequence[int] | None = None,
    district: str | None = None,
    availability: Sequence[str] = (),
    preferences: Sequence[str] = (),
    note: str = "",
    source: str = MatchRequestSource.STAFF,
    actor: User | None = None,
    today: dt.date | None = None,
) -> MatchRequest:
    """Put a person, or a whole household (``person`` is then its contact), on the waiting list.

    Called from the staff pages and from the public sign-up (``actor`` None, ``source`` public). What is
    not given is taken from the person and the family: languages, interests, children's ages, district.
    """
    today = today or timezone.localdate()
    _check_can_wait(person=person, kind=kind, household=household)
    birth_years = _children_birth_years(household, children_ages, today)
    if languages is None:
        languages = _household_languages(household) if household is not None else person.languages
    if district is None:
        district = person.district or (household.district if household is not None else "")
    request = MatchRequest(
        kind=kind,
        group=person.group,
        person=person,
        household=household,
        languages=_clean_languages(languages),
        interests=_clean_words(person.interests if interests is None else interests),
        children_birth_years=birth_years,
        district=district.strip(),
        availability=_check_choices(availability, Availability.values, _("time of the week")),
        preferences=_check_choices(preferences, MatchPreference.values, _("preference")),
        note=note,
        source=source,
        created_by=actor,
    )
    _save(request)
    return request


@transaction.atomic
def match_request_withdraw(*, actor: User, match_request: MatchRequest, reason: str) -> MatchRequest:
    request = MatchRequest.objects.select_for_update().get(pk=match_request.pk)
    if request.status != MatchRequestStatus.OPEN:
        raise MatchingError(_("Only a waiting request can be withdrawn."))
    if not reason.strip():
        raise MatchingError(_("Say why the request is withdrawn."))
    request.status = MatchRequestStatus.WITHDRAWN
    request.withdrawn_reason = reason.strip()
    _save(request)
    return request


@transaction.atomic
def matching_opt_out_record(*, actor: User | None, person: Person, opted_out: bool, note: str = "") -> int:
    """Record a person's decision about being matched. Saying no withdraws their waiting requests.

    Returns how many requests were withdrawn. Matches already proposed or running are left to the
    coordinator, who ends them with a reason.
    """
    _save(MatchingOptOut(person=person, opted_out=opted_out, note=note.strip(), recorded_by=actor))
    if not opted_out:
        return 0
    return MatchRequest.objects.filter(person=person, status=MatchRequestStatus.OPEN).update(
        status=MatchRequestStatus.WITHDRAWN, withdrawn_reason=_("Does not want to be matched.")
    )


@transaction.atomic
def district_neighbour_add(*, actor: User, district: str, neighbour: str) -> DistrictNeighbour:
    a, b = sorted((normalise_district(district), normalise_district(neighbour)))
    if not a or not b:
        raise MatchingError(_("Name both districts."))
    if a == b:
        raise MatchingError(_("A district is not its own neighbour."))
    if DistrictNeighbour.objects.filter(district_a=a, district_b=b).exists():
        raise MatchingError(_("These districts are already marked as near each other."))
    pair = DistrictNeighbour(district_a=a, district_b=b)
    _save(pair)
    return pair


@transaction.atomic
def district_neighbour_remove(*, actor: User, pair: DistrictNeighbour) -> None:
    pair.delete()


def match_candidate_refusal(match_request: MatchRequest, candidate: MatchRequest) -> str | None:
    """Why ``candidate`` may not be matched with ``match_request``, in words; None when it may."""
    req = match_request
    if refusal := _pair_refusal(req, candidate):
        return refusal
    for side in (req, candidate):
        if refusal := _side_refusal(side):
            return refusal
    if not candidate_requests(req).filter(pk=candidate.pk).exists():
        return _(
            "Their wishes do not fit together (same gender, times of the week) or they were matched before."
        )
    return None


def _pair_refusal(req: MatchRequest, candidate: MatchRequest) -> str | None:
    if not req.is_open or not candidate.is_open:
        return _("Both requests must be waiting.")
    if candidate.kind != req.kind:
        return _("Both requests must ask for the same kind of match.")
    if candidate.group == req.group:
        return _("A match pairs a newcomer with an established person or family.")
    if candidate.person_id == req.person_id or household_ids_of(candidate) & household_ids_of(req):
        return _("They belong to the same household.")
    return None


def _side_refusal(side: MatchRequest) -> str | None:
    if is_opted_out(side.person):
        return _("%(person)s does not want to be matched.") % {"person": side.person}
    if introduction_blocked(side):
        return _(
            "Someone in %(who)s has protected identity and has not consented to sharing: they cannot be "
            "introduced to anyone."
        ) % {"who": side.display_name}
    return None


@transaction.atomic
def match_propose(
    *,
    actor: User,
    match_request: MatchRequest,
    candidate: MatchRequest,
    note: str = "",
    today: dt.date | None = None,
) -> Match:
    """Pair two waiting requests; both leave the waiting list. ``actor`` is the pair's coordinator."""
    today = today or timezone.localdate()
    # Lock both rows, in id order so two coordinators cannot deadlock or pair the same request twice.
    locked = {
        request.pk: request
        for request in MatchRequest.objects.select_for_update(of=("self",))
        .select_related("person", "household")
        .filter(pk__in=[match_request.pk, candidate.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise MatchingError(_("A request cannot be matched with itself."))
    req, other = locked[match_request.pk], locked[candidate.pk]
    refusal = match_candidate_refusal(req, other)
    if refusal:
        raise MatchingError(refusal)
    newcomer, established = (req, other) if req.group == PersonGroup.NEWCOMER else (other, req)
    match = Match(
        kind=req.kind,
        newcomer_request=newcomer,
        established_request=established,
        coordinator=actor,
        proposed_on=today,
        note=note,
    )
    _save(match)
    MatchRequest.objects.filter(pk__in=[req.pk, other.pk]).update(status=MatchRequestStatus.MATCHED)
    return match


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().get(pk=match.pk)


def _check_transition(match: Match, to: str) -> None:
    if to not in MATCH_TRANSITIONS[match.status]:
        raise MatchingError(
            _("A match that is %(current)s cannot become %(next)s.")
            % {
                "current": str(MatchStatus(match.status).label).lower(),
                "next": str(MatchStatus(to).label).lower(),
            }
        )


@transaction.atomic
def match_activate(*, actor: User, match: Match, started_on: dt.date | None = None) -> Match:
    """The pair said yes: the match is active and check-ins at 1, 3 and 6 months are planned."""
    started_on = started_on or timezone.localdate()
    match = _locked(match)
    _check_transition(match, MatchStatus.ACTIVE)
    if started_on < match.proposed_on:
        raise MatchingError(_("A match cannot start before it was proposed."))
    if started_on > timezone.localdate():
        raise MatchingError(_("A match cannot start in the future."))
    match.status = MatchStatus.ACTIVE
    match.started_on = started_on
    _save(match)
    counted_data_changed(day=started_on)
    for months in CHECK_IN_MONTHS:
        _save(CheckIn(match=match, months=months, due_on=add_months(started_on, months)))
    return match


@transaction.atomic
def match_end(
    *, actor: User, match: Match, reason: str, note: str = "", ended_on: dt.date | None = None
) -> Match:
    ended_on = ended_on or timezone.localdate()
    match = _locked(match)
    _check_transition(match, MatchStatus.ENDED)
    if reason not in MatchEndReason.values:
        raise MatchingError(_("Choose why the match ends."))
    if reason == MatchEndReason.OTHER and not note.strip():
        raise MatchingError(_("Describe the reason when it is 'other'."))
    if ended_on < (match.started_on or match.proposed_on):
        raise MatchingError(_("A match cannot end before it began."))
    if ended_on > timezone.localdate():
        raise MatchingError(_("A match cannot end in the future."))
    never_started = match.status == MatchStatus.PROPOSED
    match.status = MatchStatus.ENDED
    match.ended_on = ended_on
    match.end_reason = reason
    match.end_note = note.strip()
    _save(match)
    if not never_started:
        counted_data_changed(day=ended_on)
    match.check_ins.filter(status=CheckInStatus.PLANNED).update(status=CheckInStatus.CANCELLED)
    if never_started:
        # Back on the waiting list with the waiting time they had; the same pair is not suggested again.
        MatchRequest.objects.filter(
            pk__in=[match.newcomer_request_id, match.established_request_id],
            status=MatchRequestStatus.MATCHED,
        ).update(status=MatchRequestStatus.OPEN)
    return match


@transaction.atomic
def match_first_meeting_book(*, actor: User, match: Match, at: dt.datetime, place: str) -> Match:
    match = _locked(match)
    if match.status == MatchStatus.ENDED:
        raise MatchingError(_("This match has ended."))
    if not place.strip():
        raise MatchingError(_("Say where they will meet."))
    if at < timezone.now():
        raise MatchingError(_("The first meeting must be booked for a time still to come."))
    match.first_meeting_at = at
    match.first_meeting_place = place.strip()
    _save(match)
    return match


@transaction.atomic
def match_contact_log(
    *, actor: User, match: Match, kind: str, happened_on: dt.date, note: str = ""
) -> MatchContact:
    match = _locked(match)
    if match.status == MatchStatus.ENDED:
        raise MatchingError(_("This match has ended: contacts are no longer logged."))
    if kind not in ContactKind.values:
        raise MatchingError(_("Choose what kind of contact it was."))
    if happened_on > timezone.localdate():
        raise MatchingError(_("A contact cannot be logged in the future."))
    if happened_on < match.proposed_on:
        raise MatchingError(_("A contact cannot be before the match was proposed."))
    contact = MatchContact(
        match=match, kind=kind, happened_on=happened_on, note=note.strip(), logged_by=actor
    )
    _save(contact)
    return contact


@transaction.atomic
def check_in_complete(
    *, actor: User, check_in: CheckIn, note: str, done_on: dt.date | None = None
) -> CheckIn:
    done_on = done_on or timezone.localdate()
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.status != CheckInStatus.PLANNED:
        raise MatchingError(_("This check-in is not planned any more."))
    if not note.strip():
        raise MatchingError(_("Write down how the pair is doing."))
    if done_on > timezone.localdate():
        raise MatchingError(_("A check-in cannot be done in the future."))
    check_in.status = CheckInStatus.DONE
    check_in.done_on = done_on
    check_in.note = note.strip()
    _save(check_in)
    return check_in


# --- Reminders --------------------------------------------------------------------------------------------


def _reminder_recipients(match: Match) -> list[str]:
    """The pair's coordinator; when there is none (left, deactivated), every admin and coordinator."""
    if match.coordinator is not None and match.coordinator.is_active and match.coordinator.email:
        return [match.coordinator.email]
    return list(
        User.objects.filter(is_active=True, is_superuser=False, role__in=[Role.ADMIN, Role.COORDINATOR])
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def _side_name(request: MatchRequest) -> str:
    """The family's name, unless someone there has protected identity: e-mail leaves the platform."""
    members = [request.person]
    if request.household is not None:
        members.extend(request.household.members.all())
    if any(member.protected_identity for member in members):
        return _("a family with protected identity")
    return request.display_name


def _current_tenant() -> Municipality:
    # django-tenants sets it on the connection; the tenant-aware task switched to it before we run.
    tenant: Municipality = getattr(connection, "tenant")  # noqa: B009 - untyped attribute
    return tenant


def _tenant_url(path: str) -> str:
    tenant = _current_tenant()
    domain = tenant.get_primary_domain()
    host = domain.domain if domain is not None else tenant.schema_name
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{host}{path}"


def _send_check_in_reminder(check_in: CheckIn) -> list[str]:
    match = check_in.match
    recipients = _reminder_recipients(match)
    if not recipients:
        logger.warning(
            "No coordinator to remind of check-in %s in %s", check_in.pk, _current_tenant().schema_name
        )
        return []
    with translation.override(settings.LANGUAGE_CODE):
        newcomer = _side_name(match.newcomer_request)
        established = _side_name(match.established_request)
        period = ngettext("%(count)d month", "%(count)d months", check_in.months) % {"count": check_in.months}
        subject = _("Check-in due: %(newcomer)s and %(established)s, %(period)s") % {
            "newcomer": newcomer,
            "established": established,
            "period": period,
        }
        body = _(
            "Hello,\n\nIt is time for the check-in after %(period)s with %(newcomer)s and %(established)s "
            "(%(kind)s, started %(started)s) in %(network)s. It was due on %(due)s.\n\n"
            "Call or meet them, then note how they are doing:\n%(url)s\n"
        ) % {
            "period": period,
            "newcomer": newcomer,
            "established": established,
            "kind": str(MatchKind(match.kind).label).lower(),
            "started": match.started_on,
            "network": _current_tenant().name,
            "due": check_in.due_on,
            "url": _tenant_url(reverse("matching:match-detail", args=[match.pk])),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return recipients


def check_in_reminders_send_due(*, today: dt.date | None = None) -> int:
    """E-mail the coordinator about every check-in due by ``today`` and not yet reminded, in this tenant.

    Each check-in is locked, sent and marked in its own transaction, skipping rows another worker holds:
    two workers never send the same reminder, and a failure leaves the rest sent and that one for the next
    run. A day missed (worker down) is caught up, since "due by today" includes earlier days.
    Returns how many reminders went out.
    """
    today = today or timezone.localdate()
    due = CheckIn.objects.filter(
        status=CheckInStatus.PLANNED,
        reminded_at__isnull=True,
        due_on__lte=today,
        match__status=MatchStatus.ACTIVE,
    ).order_by("due_on", "id")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            check_in = (
                CheckIn.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "match__coordinator",
                    "match__newcomer_request__person",
                    "match__newcomer_request__household",
                    "match__established_request__person",
                    "match__established_request__household",
                )
                .filter(pk=pk, reminded_at__isnull=True, status=CheckInStatus.PLANNED)
                .first()
            )
            if check_in is None:
                continue
            recipients = _send_check_in_reminder(check_in)
            if not recipients:
                continue
            check_in.reminded_at = timezone.now()
            check_in.reminded_to = ", ".join(recipients)[:500]
            check_in.save(update_fields=["reminded_at", "reminded_to"])
            sent += 1
    return sent
