"""How a candidate for a match request is scored. Pure functions over plain values: no database here.

Every point comes with a reason the coordinator sees, so the ranking explains itself:

| reason | points |
|---|---|
| each shared language (at most 2 counted) | 15 |
| each shared interest (at most 3 counted) | 10 |
| each pair of children at most 2 years apart in age (at most 3 pairs) | 10 |
| same district | 20 |
| near district (a pair in the network's table of neighbouring districts) | 10 |
| each time of the week both are free (weekdays, evenings, weekends) | 5 |
| the candidate's time waiting: one point per full week (at most 20) | 1 |
| same gender, when either side asked for it (otherwise never suggested) | 10 |
| a family with children, when the other side asked for one | 10 |

Districts are compared case-insensitively, without surrounding spaces. Candidates are ranked by score, ties
broken by the candidate request's id, so the same data always gives the same list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.conf.locale import LANG_INFO
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from matching.models.matching import Availability, MatchPreference

LANGUAGE_POINTS = 15
LANGUAGES_COUNTED = 2
INTEREST_POINTS = 10
INTERESTS_COUNTED = 3
CHILDREN_POINTS = 10
CHILDREN_PAIRS_COUNTED = 3
CHILDREN_AGE_GAP = 2
SAME_DISTRICT_POINTS = 20
NEAR_DISTRICT_POINTS = 10
AVAILABILITY_POINTS = 5
WAITING_POINTS_PER_WEEK = 1
WAITING_POINTS_MAX = 20
SAME_GENDER_POINTS = 10
WITH_CHILDREN_POINTS = 10

AVAILABILITY_ORDER = tuple(Availability.values)

# Languages common among newcomers to Sweden that Django's own table does not name.
EXTRA_LANGUAGE_NAMES = {
    "am": gettext_lazy("Amharic"),
    "ku": gettext_lazy("Kurdish"),
    "prs": gettext_lazy("Dari"),
    "ps": gettext_lazy("Pashto"),
    "so": gettext_lazy("Somali"),
    "ti": gettext_lazy("Tigrinya"),
}


def language_name(code: str) -> str:
    if code in EXTRA_LANGUAGE_NAMES:
        return str(EXTRA_LANGUAGE_NAMES[code])
    if code in LANG_INFO:
        return str(get_language_info(code)["name_translated"])
    return code


def normalise_district(district: str) -> str:
    return district.strip().lower()


class Profile(NamedTuple):
    """What scoring needs of one side, read straight from a match request row.

    A NamedTuple rather than a dataclass: thousands are built per suggestion list, and tuples build fastest.
    """

    languages: Sequence[str]
    interests: Sequence[str]
    children_birth_years: Sequence[int]
    district: str
    availability: Sequence[str]
    preferences: Sequence[str]
    gender: str
    waiting_since: dt.date


@dataclass(frozen=True)
class Reason:
    """One reason a candidate fits, with its points. ``details`` (codes, names) are shown in the label.

    Labels are made only when shown: scoring thousands of candidates translates nothing.
    """

    code: str
    points: int
    details: tuple[str, ...] = ()
    count: int = 0

    @property
    def label(self) -> str:
        if self.code in JOINED_LABELS:
            text, name = JOINED_LABELS[self.code]
            return str(text) % {name: ", ".join(self.details)}
        if self.code in PLAIN_LABELS:
            return str(PLAIN_LABELS[self.code])
        if self.code == "languages":
            names = ", ".join(language_name(code) for code in self.details)
            return _("Shared languages: %(languages)s") % {"languages": names}
        if self.code == "availability":
            times = ", ".join(str(Availability(value).label).lower() for value in self.details)
            return _("Free at the same times: %(times)s") % {"times": times}
        if self.code == "waiting":
            return ngettext("Waiting for %(weeks)d week", "Waiting for %(weeks)d weeks", self.count) % {
                "weeks": self.count
            }
        raise ValueError(f"unknown reason {self.code!r}")


# Reasons whose label shows the details as they are, joined by commas, under the given name.
JOINED_LABELS = {
    "interests": (gettext_lazy("Shared interests: %(interests)s"), "interests"),
    "children": (gettext_lazy("Children of similar ages: %(ages)s"), "ages"),
    "same_district": (gettext_lazy("Same district: %(district)s"), "district"),
    "near_district": (gettext_lazy("Near district: %(district)s"), "district"),
}
# Reasons whose label shows no details.
PLAIN_LABELS = {
    "same_gender": gettext_lazy("Same gender, as asked"),
    "with_children": gettext_lazy("A family with children, as asked"),
    "has_children_asked": gettext_lazy("They asked for a family with children"),
}


def _shared(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    theirs_set = set(theirs)
    # Keep the requester's order, so the reason reads the same every time.
    return [value for value in dict.fromkeys(mine) if value in theirs_set]


def _children_pairs(mine: Sequence[int], theirs: Sequence[int]) -> list[tuple[int, int]]:
    """Pairs of birth years at most CHILDREN_AGE_GAP apart, each child used once, oldest first."""
    pairs = []
    a, b = sorted(mine), sorted(theirs)
    i = j = 0
    while i < len(a) and j < len(b):
        if abs(a[i] - b[j]) <= CHILDREN_AGE_GAP:
            pairs.append((a[i], b[j]))
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return pairs


def score_reasons(
    requester: Profile, candidate: Profile, *, near_districts: frozenset[str], today: dt.date
) -> list[Reason]:
    """Every reason ``candidate`` fits ``requester``. ``near_districts`` are the requester's neighbours."""
    return [
        *_what_they_share(requester, candidate, today),
        *_where_and_when(requester, candidate, near_districts, today),
        *_wishes_heard(requester, candidate),
    ]


def _what_they_share(requester: Profile, candidate: Profile, today: dt.date) -> list[Reason]:
    reasons: list[Reason] = []

    languages = _shared(requester.languages, candidate.languages)
    if languages:
        reasons.append(
            Reason(
                "languages",
                LANGUAGE_POINTS * min(len(languages), LANGUAGES_COUNTED),
                tuple(languages),
            )
        )

    interests = _shared(requester.interests, candidate.interests)
    if interests:
        reasons.append(
            Reason("interests", INTEREST_POINTS * min(len(interests), INTERESTS_COUNTED), tuple(interests))
        )

    pairs = _children_pairs(requester.children_birth_years, candidate.children_birth_years)
    if pairs:
        ages = tuple(f"{today.year - mine} & {today.year - theirs}" for mine, theirs in pairs)
        reasons.append(Reason("children", CHILDREN_POINTS * min(len(pairs), CHILDREN_PAIRS_COUNTED), ages))
    return reasons


def _where_and_when(
    requester: Profile, candidate: Profile, near_districts: frozenset[str], today: dt.date
) -> list[Reason]:
    reasons: list[Reason] = []
    own_district = normalise_district(requester.district)
    their_district = normalise_district(candidate.district)
    if own_district and their_district == own_district:
        reasons.append(Reason("same_district", SAME_DISTRICT_POINTS, (candidate.district.strip(),)))
    elif their_district and their_district in near_districts:
        reasons.append(Reason("near_district", NEAR_DISTRICT_POINTS, (candidate.district.strip(),)))

    shared_times = [
        value
        for value in AVAILABILITY_ORDER
        if value in requester.availability and value in candidate.availability
    ]
    if shared_times:
        reasons.append(Reason("availability", AVAILABILITY_POINTS * len(shared_times), tuple(shared_times)))

    weeks = max((today - candidate.waiting_since).days // 7, 0)
    if weeks:
        points = min(weeks * WAITING_POINTS_PER_WEEK, WAITING_POINTS_MAX)
        reasons.append(Reason("waiting", points, count=weeks))
    return reasons


def _wishes_heard(requester: Profile, candidate: Profile) -> list[Reason]:
    reasons: list[Reason] = []
    # Same gender is also a filter (the candidate set never holds anyone else); the points show it was heard.
    asked_same_gender = (
        MatchPreference.SAME_GENDER in requester.preferences
        or MatchPreference.SAME_GENDER in candidate.preferences
    )
    if asked_same_gender and requester.gender == candidate.gender:
        reasons.append(Reason("same_gender", SAME_GENDER_POINTS))

    if MatchPreference.WITH_CHILDREN in requester.preferences and candidate.children_birth_years:
        reasons.append(Reason("with_children", WITH_CHILDREN_POINTS))
    if MatchPreference.WITH_CHILDREN in candidate.preferences and requester.children_birth_years:
        reasons.append(Reason("has_children_asked", WITH_CHILDREN_POINTS))
    return reasons
