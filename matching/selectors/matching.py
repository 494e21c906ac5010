"""Reads for friend matching: access helpers, waiting lists, suggestions, follow-up and monthly counts.

Matching is for the network's admins and coordinators; volunteers never see it. The access helpers give the
same 404 for "missing" and "not yours" (another tenant's ids simply do not exist in this schema).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import DateField, F, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGERS
from matching.models import (
    CheckIn,
    CheckInStatus,
    DistrictNeighbour,
    Match,
    MatchingOptOut,
    MatchKind,
    MatchPreference,
    MatchRequest,
    MatchRequestStatus,
    MatchStatus,
)
from matching.selectors.match_scoring import Profile, Reason, normalise_district, score_reasons
from people.models import Consent, ConsentPurpose, Household, Person, PersonGroup

# A pair whose last contact (or start) is older than this appears on the follow-up list.
FOLLOW_UP_AFTER_DAYS = 30


def can_manage_matching(user: User) -> bool:
    return user.is_authenticated and user.has_role(*MANAGERS)


def _require_manager(user: User) -> None:
    # Views check the role first; this keeps a selector from ever serving a volunteer by mistake.
    if not can_manage_matching(user):
        raise Http404


def get_match_request_for_user(user: User, pk: int) -> MatchRequest:
    _require_manager(user)
    try:
        return MatchRequest.objects.select_related("person", "household", "created_by").get(pk=pk)
    except MatchRequest.DoesNotExist:
        raise Http404 from None


def get_match_for_user(user: User, pk: int) -> Match:
    _require_manager(user)
    try:
        return Match.objects.select_related(
            "coordinator",
            "newcomer_request__person",
            "newcomer_request__household",
            "established_request__person",
            "established_request__household",
        ).get(pk=pk)
    except Match.DoesNotExist:
        raise Http404 from None


def get_person_for_matching(user: User, pk: int) -> Person:
    _require_manager(user)
    try:
        return Person.objects.select_related("household").get(pk=pk, erased_at__isnull=True)
    except Person.DoesNotExist:
        raise Http404 from None


def get_check_in_for_user(user: User, match: Match, pk: int) -> CheckIn:
    _require_manager(user)
    try:
        return match.check_ins.get(pk=pk)
    except CheckIn.DoesNotExist:
        raise Http404 from None


def people_search(*, actor: User, query: str, limit: int = 20) -> QuerySet[Person]:
    """People whose name (or family name) contains ``query``: to start a request or a pathway."""
    _require_manager(actor)
    terms = query.split()
    people = Person.objects.filter(erased_at__isnull=True).select_related("household")
    if not terms:
        return people.none()
    for term in terms:
        people = people.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(household__name__icontains=term)
        )
    return people.order_by("last_name", "first_name", "id")[:limit]


# --- Who may be matched -----------------------------------------------------------------------------------


def opted_out_people() -> QuerySet[Person]:
    """People whose newest matching decision is "no"."""
    latest = (
        MatchingOptOut.objects.filter(person_id=OuterRef("pk"))
        .order_by("-recorded_at", "-id")
        .values("opted_out")[:1]
    )
    # Only people with any decision at all are looked at: the newest-row subquery runs for those few.
    return (
        Person.objects.filter(pk__in=MatchingOptOut.objects.values("person_id"))
        .annotate(matching_out=Subquery(latest))
        .filter(matching_out=True)
        .order_by()
    )


def unshareable_protected_people() -> QuerySet[Person]:
    """People with protected identity whose newest 'sharing' consent is not a given one."""
    latest_sharing = (
        Consent.objects.filter(person_id=OuterRef("pk"), purpose=ConsentPurpose.SHARING)
        .order_by("-recorded_at", "-id")
        .values("given")[:1]
    )
    # No decision at all counts as "not given": Coalesce, since NOT (NULL) would let the row through.
    return (
        Person.objects.filter(protected_identity=True)
        .annotate(sharing_given=Coalesce(Subquery(latest_sharing), Value(False)))
        .filter(sharing_given=False)
        .order_by()
    )


def is_opted_out(person: Person) -> bool:
    latest = person.matching_opt_outs.order_by("-recorded_at", "-id").first()
    return latest is not None and latest.opted_out


def is_shareable(person: Person) -> bool:
    """False for a protected identity without a sharing consent in force."""
    if not person.protected_identity:
        return True
    latest = person.consents.filter(purpose=ConsentPurpose.SHARING).order_by("-recorded_at", "-id").first()
    return latest is not None and latest.given


def household_ids_of(match_request: MatchRequest) -> set[int]:
    return {pk for pk in (match_request.household_id, match_request.person.household_id) if pk is not None}


def other_group(group: str) -> str:
    return PersonGroup.ESTABLISHED if group == PersonGroup.NEWCOMER else PersonGroup.NEWCOMER


def candidate_requests(match_request: MatchRequest) -> QuerySet[MatchRequest]:
    """Open requests that may be matched with ``match_request``: every exclusion rule, in one SQL query.

    Of the other group and the same kind; never the same person or household, never anyone opted out,
    never a protected identity (the person, or anyone in the family asking) without a sharing consent in
    force, never against a same-gender wish of either side, never with no time of the week in common, and
    never a pair that has been matched before.
    """
    req = match_request
    candidates = (
        MatchRequest.objects.filter(
            status=MatchRequestStatus.OPEN,
            kind=req.kind,
            group=other_group(req.group),
            person__erased_at__isnull=True,
        )
        .exclude(pk=req.pk)
        .exclude(person_id=req.person_id)
    )
    households = household_ids_of(req)
    if households:
        candidates = candidates.exclude(household_id__in=households).exclude(
            person__household_id__in=households
        )
    candidates = candidates.exclude(person_id__in=opted_out_people().values("pk"))
    blocked = unshareable_protected_people()
    candidates = candidates.exclude(person_id__in=blocked.values("pk")).exclude(
        household_id__in=blocked.filter(household__isnull=False).values("household_id")
    )
    gender = req.person.gender
    if MatchPreference.SAME_GENDER in req.preferences:
        candidates = candidates.filter(person__gender=gender)
    else:
        candidates = candidates.exclude(
            Q(preferences__contains=[MatchPreference.SAME_GENDER]) & ~Q(person__gender=gender)
        )
    if req.availability:
        candidates = candidates.filter(Q(availability=[]) | Q(availability__overlap=req.availability))
    previous = Match.objects.filter(Q(newcomer_request=req) | Q(established_request=req)).values_list(
        "newcomer_request_id", "established_request_id"
    )
    paired_before = {pk for pair in previous for pk in pair} - {req.pk}
    if paired_before:
        candidates = candidates.exclude(pk__in=paired_before)
    return candidates


def near_districts(district: str) -> frozenset[str]:
    """The districts the network has marked as near ``district`` (lower case)."""
    own = normalise_district(district)
    if not own:
        return frozenset()
    pairs = DistrictNeighbour.objects.filter(Q(district_a=own) | Q(district_b=own)).values_list(
        "district_a", "district_b"
    )
    return frozenset(b if a == own else a for a, b in pairs)


# --- Suggestions ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    request: MatchRequest
    score: int
    reasons: tuple[Reason, ...]


_PROFILE_COLUMNS = (
    "id",
    "languages",
    "interests",
    "children_birth_years",
    "district",
    "availability",
    "preferences",
    "person__gender",
    "created_at",
)


def _profile(row: tuple[Any, ...], zone: dt.tzinfo) -> Profile:
    _, languages, interests, children, district, availability, preferences, gender, created_at = row
    return Profile(
        languages,
        interests,
        children,
        district,
        availability,
        preferences,
        gender,
        created_at.astimezone(zone).date(),
    )


def match_suggestions(request_id: int, limit: int = 10, *, today: dt.date | None = None) -> list[Suggestion]:
    """The best ``limit`` candidates for one open request, each with the reasons for its score.

    The candidate set is filtered in SQL (one query, exclusions as subqueries); the few columns scoring
    needs come back as tuples and are scored in Python, then only the winners are loaded as objects. Five
    queries, whatever the number of people waiting.
    """
    today = today or timezone.localdate()
    req = MatchRequest.objects.select_related("person").get(pk=request_id)
    if req.status != MatchRequestStatus.OPEN:
        return []
    requester = Profile(
        languages=req.languages,
        interests=req.interests,
        children_birth_years=req.children_birth_years,
        district=req.district,
        availability=req.availability,
        preferences=req.preferences,
        gender=req.person.gender,
        waiting_since=timezone.localtime(req.created_at).date(),
    )
    near = near_districts(req.district)
    zone = timezone.get_current_timezone()
    scored: list[tuple[int, int, list[Reason]]] = []
    for row in candidate_requests(req).order_by().values_list(*_PROFILE_COLUMNS):
        reasons = score_reasons(requester, _profile(row, zone), near_districts=near, today=today)
        scored.append((sum(reason.points for reason in reasons), row[0], reasons))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    objects = MatchRequest.objects.select_related("person", "household").in_bulk([pk for _, pk, _ in best])
    return [Suggestion(objects[pk], score, tuple(reasons)) for score, pk, reasons in best]


# --- Lists ------------------------------------------------------------------------------------------------


def open_match_requests(
    *, actor: User, kind: str | None = None, group: str | None = None
) -> QuerySet[MatchRequest]:
    """The waiting list, longest waiting first."""
    _require_manager(actor)
    requests = MatchRequest.objects.filter(status=MatchRequestStatus.OPEN).select_related(
        "person", "household"
    )
    if kind:
        requests = requests.filter(kind=kind)
    if group:
        requests = requests.filter(group=group)
    return requests.order_by("created_at", "id")


def matches_for_user(*, actor: User, status: str | None = None) -> QuerySet[Match]:
    _require_manager(actor)
    matches = Match.objects.select_related(
        "coordinator",
        "newcomer_request__person",
        "newcomer_request__household",
        "established_request__person",
        "established_request__household",
    ).annotate(last_contact_on=Max("contacts__happened_on"))
    if status:
        matches = matches.filter(status=status)
    return matches.order_by("-proposed_on", "-id")


def matches_needing_follow_up(*, actor: User, today: dt.date | None = None) -> QuerySet[Match]:
    """Active pairs with no contact logged for more than 30 days (counting from the start if none yet)."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)
    return (
        matches_for_user(actor=actor, status=MatchStatus.ACTIVE)
        .annotate(
            quiet_since=Coalesce(Max("contacts__happened_on"), F("started_on"), output_field=DateField())
        )
        .filter(quiet_since__lt=cutoff)
        .order_by("quiet_since", "id")
    )


def check_ins_due(*, actor: User, today: dt.date | None = None) -> QuerySet[CheckIn]:
    """Planned check-ins of active matches due by ``today``."""
    _require_manager(actor)
    today = today or timezone.localdate()
    return (
        CheckIn.objects.filter(
            status=CheckInStatus.PLANNED, due_on__lte=today, match__status=MatchStatus.ACTIVE
        )
        .select_related(
            "match__newcomer_request__person",
            "match__newcomer_request__household",
            "match__established_request__person",
            "match__established_request__household",
        )
        .order_by("due_on", "id")
    )


def matches_of_request(match_request: MatchRequest) -> QuerySet[Match]:
    """Every match a request has been part of (a declined proposal puts it back on the list)."""
    return (
        Match.objects.filter(Q(newcomer_request=match_request) | Q(established_request=match_request))
        .select_related(
            "newcomer_request__person",
            "newcomer_request__household",
            "established_request__person",
            "established_request__household",
        )
        .order_by("-proposed_on", "-id")
    )


def introduction_blocked(match_request: MatchRequest) -> bool:
    """True when someone on this side has protected identity without a sharing consent in force: they
    cannot be introduced to anyone until it is given."""
    members = [match_request.person]
    if match_request.household is not None:
        members.extend(match_request.household.members.exclude(pk=match_request.person_id))
    return not all(is_shareable(member) for member in members)


def match_contacts(match: Match) -> QuerySet[Any]:
    return match.contacts.select_related("logged_by").order_by("-happened_on", "-id")


def district_neighbours(*, actor: User) -> QuerySet[DistrictNeighbour]:
    _require_manager(actor)
    return DistrictNeighbour.objects.order_by("district_a", "district_b")


def household_children_birth_years(household: Household | None) -> list[int]:
    if household is None:
        return []
    children = household.members.filter(
        household_role="child", birth_year__isnull=False, erased_at__isnull=True
    )
    return sorted(year for year in children.values_list("birth_year", flat=True) if year is not None)


# --- Outcomes for the statistics rollup -------------------------------------------------------------------


@dataclass(frozen=True)
class MatchMonthCount:
    """For one month, kind and status: how many matches reached the status during the month (``entered``)
    and how many were in it on the month's last day (``at_month_end``)."""

    month: dt.date
    kind: str
    status: str
    entered: int
    at_month_end: int


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def match_counts_by_month(*, first_month: dt.date, last_month: dt.date) -> list[MatchMonthCount]:
    """Matches by kind and status per month, for the statistics rollup: one SQL query, every combination
    of month × kind × status present (zeros included), so the rollup can upsert without guessing.

    Aggregates only, no personal data; it reads the current tenant's schema, so it takes no acting user:
    the rollup task calls it for each tenant in turn.
    """
    if last_month < first_month:
        raise ValueError("last_month is before first_month")
    table = Match._meta.db_table
    # The only values put into the text are our own table names; the dates are parameters.
    sql = f"""
        WITH months AS (
            SELECT month::date AS month_start,
                   (month + interval '1 month' - interval '1 day')::date AS month_end
            FROM generate_series(%s::date, %s::date, interval '1 month') AS month
        ),
        kinds AS (SELECT unnest(%s::text[]) AS kind),
        statuses AS (SELECT unnest(%s::text[]) AS status)
        SELECT m.month_start, k.kind, s.status,
            (SELECT count(*) FROM {table} x WHERE x.kind = k.kind AND CASE s.status
                WHEN 'proposed' THEN x.proposed_on
                WHEN 'active' THEN x.started_on
                ELSE x.ended_on END BETWEEN m.month_start AND m.month_end),
            (SELECT count(*) FROM {table} x WHERE x.kind = k.kind AND x.proposed_on <= m.month_end
                AND CASE
                    WHEN x.ended_on <= m.month_end THEN 'ended'
                    WHEN x.started_on <= m.month_end THEN 'active'
                    ELSE 'proposed' END = s.status)
        FROM months m CROSS JOIN kinds k CROSS JOIN statuses s
        ORDER BY m.month_start, k.kind, s.status
    """  # noqa: S608
    params: list[Any] = [
        _month_start(first_month),
        _month_start(last_month),
        list(MatchKind.values),
        list(MatchStatus.values),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [MatchMonthCount(*row) for row in rows]
