"""Reads of households and people. Every query about people starts from ``people_visible_to``.

The protected-identity rule (skyddad identitet) and the volunteers' view live in that one function, so
lists, detail pages, exports, duplicate checks, the activities' pages and the API all apply the same rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import MANAGERS, Role
from core.contact import normalise_email, normalise_phone
from people.extensions import household_page_context, person_page_prefetch, volunteer_reach
from people.models import Consent, ConsentPurpose, Household, Person
from people.models.people import AGE_BANDS, AGE_UNKNOWN

Actor = User | AnonymousUser


class Purpose(StrEnum):
    """Why people are read: the rule differs for staff pages, files that leave the system, public pages."""

    STAFF = "staff"
    EXPORT = "export"
    PUBLIC = "public"


def sees_register(user: Actor) -> bool:
    """Admins and coordinators see every person; volunteers only the people in their activities."""
    return isinstance(user, User) and user.has_role(*MANAGERS)


def people_visible_to(user: Actor, *, purpose: Purpose = Purpose.STAFF) -> QuerySet[Person]:
    """The people ``user`` may see for ``purpose``. The single place for the protected-identity rule.

    - Protected identities appear only on staff pages of admins and coordinators: never in exports, public
      pages or volunteers' lists.
    - Volunteers see the people registered in (or who attended) the activities they lead.
    - Anonymised people are gone from every list; their rows remain only for statistics.
    - Board members work from aggregates only and see no one.
    """
    people = Person.objects.filter(erased_at__isnull=True)
    if purpose == Purpose.PUBLIC:
        return people.filter(protected_identity=False)
    if not isinstance(user, User) or not user.is_active:
        return Person.objects.none()
    if user.has_role(*MANAGERS):
        visible = people
    elif user.has_role(Role.VOLUNTEER):
        # Whom a volunteer reaches is for the apps above to say (people.extensions): ``activities`` adds
        # the people registered in, or who attended, the activities the volunteer leads.
        reach = Q(pk__in=[])
        for rule in volunteer_reach:
            reach |= rule(user)
        visible = people.filter(protected_identity=False).filter(reach)
    else:
        return Person.objects.none()
    if purpose == Purpose.EXPORT:
        visible = visible.filter(protected_identity=False)
    return visible


def households_visible_to(user: Actor, *, purpose: Purpose = Purpose.STAFF) -> QuerySet[Household]:
    """Households with at least one visible member; admins and coordinators see every household."""
    if purpose == Purpose.STAFF and sees_register(user):
        return Household.objects.all()
    members = people_visible_to(user, purpose=purpose).filter(household=OuterRef("pk"))
    return Household.objects.filter(Exists(members))


# --- Lists -----------------------------------------------------------------------------------------------

PEOPLE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "age": ("-birth_year", "last_name", "id"),
    "-age": ("birth_year", "last_name", "id"),
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
}

HOUSEHOLD_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "newest": ("-created_at", "-id"),
    "size": ("-member_count", "name", "id"),
}


@dataclass(frozen=True)
class PeopleFilter:
    q: str = ""
    group: str = ""
    gender: str = ""
    age_band: str = ""
    district: str = ""
    # "yes" / "no" / "" for the two flags below.
    volunteer: str = ""
    in_household: str = ""
    household_id: int | None = None
    sort: str = "name"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_q(band: str, today: dt.date) -> Q:
    """People whose age today falls in ``band``: exact with a birth date, by year with only a birth year."""
    if band == AGE_UNKNOWN:
        return Q(birth_date__isnull=True, birth_year__isnull=True)
    bounds = {name: (low, high) for name, low, high in AGE_BANDS}
    if band not in bounds:
        return Q()
    low, high = bounds[band]
    by_date = Q(birth_date__isnull=False, birth_date__lte=_years_before(today, low))
    by_year = Q(birth_date__isnull=True, birth_year__lte=today.year - low)
    if high is not None:
        by_date &= Q(birth_date__gt=_years_before(today, high + 1))
        by_year &= Q(birth_year__gte=today.year - high)
    return by_date | by_year


_PHONE_LIKE = re.compile(r"^[+(]?\d[\d\s\-()]*$")


def search_q(text: str) -> Q:
    """Every word must begin a first name, a last name or the e-mail address; a number begins the phone.

    Prefix matching lets the people list answer from indexes (see Person.Meta.indexes) however large the
    register: searching inside names would scan every row. A phone number typed with spaces
    ("070 123 45 67") is one term, written in any Swedish form.
    """
    text = text.strip()
    if _PHONE_LIKE.match(text) and sum(c.isdigit() for c in text) >= 3:
        return Q(phone__startswith=normalise_phone(text))
    query = Q()
    for term in text.split()[:6]:
        term_q = (
            Q(first_name__istartswith=term)
            | Q(last_name__istartswith=term)
            | Q(email__startswith=term.lower())
        )
        query &= term_q
    return query


def people_list(*, user: Actor, filters: PeopleFilter, purpose: Purpose = Purpose.STAFF) -> QuerySet[Person]:
    people = people_visible_to(user, purpose=purpose).select_related("household")
    if filters.q.strip():
        people = people.filter(search_q(filters.q))
    if filters.group:
        people = people.filter(group=filters.group)
    if filters.gender:
        people = people.filter(gender=filters.gender)
    if filters.age_band:
        people = people.filter(age_band_q(filters.age_band, timezone.localdate()))
    if filters.district:
        people = people.filter(district=filters.district)
    if filters.volunteer:
        people = people.filter(is_volunteer=filters.volunteer == "yes")
    if filters.in_household:
        people = people.filter(household__isnull=filters.in_household == "no")
    if filters.household_id is not None:
        people = people.filter(household_id=filters.household_id)
    return people.order_by(*PEOPLE_SORTS.get(filters.sort, PEOPLE_SORTS["name"]))


def districts_in_use() -> list[str]:
    """The districts people and households are registered in, for the filter's choices."""
    people = Person.objects.exclude(district="").order_by().values_list("district", flat=True)
    households = Household.objects.exclude(district="").order_by().values_list("district", flat=True)
    return sorted(set(people.union(households)))


@dataclass(frozen=True)
class HouseholdFilter:
    q: str = ""
    district: str = ""
    sort: str = "name"


def households_list(
    *, user: Actor, filters: HouseholdFilter, purpose: Purpose = Purpose.STAFF
) -> QuerySet[Household]:
    visible_members = people_visible_to(user, purpose=purpose)
    member_count = (
        visible_members.filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    households = households_visible_to(user, purpose=purpose).annotate(
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), Value(0))
    )
    households = households.prefetch_related(
        Prefetch("members", queryset=visible_members.order_by("household_role", "birth_year", "first_name"))
    )
    if filters.q.strip():
        for term in filters.q.split()[:6]:
            households = households.filter(
                Q(name__icontains=term)
                | Exists(visible_members.filter(household=OuterRef("pk")).filter(search_q(term)))
            )
    if filters.district:
        households = households.filter(district=filters.district)
    return households.order_by(*HOUSEHOLD_SORTS.get(filters.sort, HOUSEHOLD_SORTS["name"]))


# --- Detail pages --------------------------------------------------------------------------------------


def _with_page_extras(people: QuerySet[Person], user: Actor) -> QuerySet[Person]:
    """Each person's consents and what the apps above add (people.extensions): a fixed number of queries."""
    people = people.prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("recorded_by"))
    )
    for prefetch in person_page_prefetch:
        people = prefetch(people, user if isinstance(user, User) else None)
    return people


def get_person_for_user(user: Actor, pk: int) -> Person:
    """The person with ``pk`` if ``user`` may see them; the same 404 for missing and not visible."""
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def person_page(*, user: Actor, pk: int) -> Person:
    """A person with household, consents, registrations and latest attendance: four queries."""
    people = _with_page_extras(people_visible_to(user).select_related("household", "created_by"), user)
    person = people.filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def household_page_extras(*, household: Household, actor: User) -> dict[str, Any]:
    """The household page's context from the apps above ``people`` (``people.extensions``)."""
    context: dict[str, Any] = {}
    for add_context in household_page_context:
        context.update(add_context(household, actor))
    return context


def get_household_for_user(user: Actor, pk: int) -> Household:
    household = households_visible_to(user).filter(pk=pk).first()
    if household is None:
        raise Http404
    return household


def household_page(*, user: Actor, pk: int) -> Household:
    """A household with every visible member, their consents, activities and attendance: five queries."""
    members = _with_page_extras(
        people_visible_to(user).order_by("household_role", "birth_year", "first_name", "id"), user
    )
    household = (
        households_visible_to(user)
        .prefetch_related(Prefetch("members", queryset=members, to_attr="visible_members"))
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise Http404
    return household


# --- Consent ----------------------------------------------------------------------------------------------


def current_consents(person: Person) -> dict[str, Consent]:
    """The decision in force per purpose: the newest row. Uses the prefetched consents when present."""
    return newest_per_purpose(person.consents.all())


def newest_per_purpose(consents: Iterable[Consent]) -> dict[str, Consent]:
    """The rule of consent: of one person's decisions, the newest per purpose is the one in force."""
    current: dict[str, Consent] = {}
    for consent in sorted(consents, key=lambda c: (c.recorded_at, c.pk), reverse=True):
        current.setdefault(consent.purpose, consent)
    return current


def consent_rows(person: Person) -> list[tuple[str, Consent | None]]:
    """(purpose label, decision or None) for every purpose, in the model's order."""
    current = current_consents(person)
    return [(str(label), current.get(value)) for value, label in ConsentPurpose.choices]


# --- Duplicates -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """What is known about a person about to be registered, to look for them in the register."""

    first_name: str
    last_name: str = ""
    birth_year: int | None = None
    phone: str = ""
    email: str = ""


@dataclass
class DuplicateMatch:
    person: Person
    reasons: list[str] = field(default_factory=list)


def _name_key(first_name: str, last_name: str, birth_year: int | None) -> str:
    return f"{first_name.strip().lower()}|{last_name.strip().lower()}|{birth_year}"


# At most this many possible duplicates are loaded for one check (a file may match many people).
MAX_DUPLICATES = 2000


def _duplicate_candidates(
    *, user: Actor, keys: set[str], phones: set[str], emails: set[str], exclude_pks: Iterable[int]
) -> list[Person]:
    """The people ``user`` may see with one of the name keys, phone numbers or e-mail addresses."""
    query = Q(phone__in=phones) | Q(email__in=emails)
    candidates = people_visible_to(user).select_related("household").exclude(pk__in=list(exclude_pks))
    if keys:
        candidates = candidates.annotate(
            name_key=Concat(
                Lower("first_name"),
                Value("|"),
                Lower("last_name"),
                Value("|"),
                "birth_year",
                output_field=CharField(),
            )
        )
        query |= Q(name_key__in=keys)
    return list(candidates.filter(query).order_by("last_name", "first_name", "id")[:MAX_DUPLICATES])


def find_duplicates(
    *, user: Actor, probes: Sequence[Probe], exclude_pks: Iterable[int] = ()
) -> dict[int, list[DuplicateMatch]]:
    """Possible duplicates in the register for each probe (by index), in one query whatever the number.

    Same first and last name and birth year, or the same phone number (normalised), or the same e-mail
    (case-insensitive). Only people ``user`` may see are reported: a warning must not reveal a protected
    identity or someone outside a volunteer's activities.
    """
    keys = {_name_key(p.first_name, p.last_name, p.birth_year) for p in probes if p.birth_year is not None}
    phones = {normalise_phone(p.phone) for p in probes} - {""}
    emails = {normalise_email(p.email) for p in probes} - {""}
    if not (keys or phones or emails):
        return {}
    found = _duplicate_candidates(user=user, keys=keys, phones=phones, emails=emails, exclude_pks=exclude_pks)
    by_key: dict[str, list[Person]] = defaultdict(list)
    by_phone: dict[str, list[Person]] = defaultdict(list)
    by_email: dict[str, list[Person]] = defaultdict(list)
    for person in found:
        by_key[_name_key(person.first_name, person.last_name, person.birth_year)].append(person)
        if person.phone:
            by_phone[person.phone].append(person)
        if person.email:
            by_email[person.email.lower()].append(person)
    same_name, same_phone, same_email = (
        str(_("same name and birth year")),
        str(_("same phone number")),
        str(_("same e-mail address")),
    )
    matches: dict[int, list[DuplicateMatch]] = {}
    for index, probe in enumerate(probes):
        hits: dict[int, DuplicateMatch] = {}
        lists = (
            (
                by_key,
                _name_key(probe.first_name, probe.last_name, probe.birth_year) if probe.birth_year else "",
                same_name,
            ),
            (by_phone, normalise_phone(probe.phone), same_phone),
            (by_email, normalise_email(probe.email), same_email),
        )
        for index_by, value, reason in lists:
            for person in index_by.get(value, []) if value else []:
                hits.setdefault(person.pk, DuplicateMatch(person)).reasons.append(reason)
        if hits:
            matches[index] = list(hits.values())
    return matches
