"""The score explains itself: each reason, its points and its cap, on plain values (no database)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from matching.selectors.match_scoring import Profile, Reason, score_reasons

TODAY = dt.date(2026, 6, 15)
BLANK = Profile(
    languages=(),
    interests=(),
    children_birth_years=(),
    district="",
    availability=(),
    preferences=(),
    gender="woman",
    waiting_since=TODAY,
)


def reasons(requester: Profile, candidate: Profile, near: frozenset[str] = frozenset()) -> dict[str, Reason]:
    return {
        reason.code: reason
        for reason in score_reasons(requester, candidate, near_districts=near, today=TODAY)
    }


def test_nothing_in_common_scores_nothing() -> None:
    assert reasons(BLANK, BLANK) == {}


def test_each_shared_language_gives_15_points_counting_at_most_two() -> None:
    me = BLANK._replace(languages=("ar", "sv", "en"))
    assert reasons(me, BLANK._replace(languages=("sv",)))["languages"].points == 15
    assert reasons(me, BLANK._replace(languages=("en", "ar", "sv")))["languages"].points == 30


def test_language_reason_names_the_languages_in_the_users_language() -> None:
    me = BLANK._replace(languages=("ar", "ti"))
    reason = reasons(me, BLANK._replace(languages=("ti", "ar")))["languages"]
    with translation.override("en"):
        assert reason.label == "Shared languages: Arabic, Tigrinya"
    with translation.override("sv"):
        assert reason.label == "Gemensamma språk: Arabiska, Tigrinska"


def test_each_shared_interest_gives_10_points_counting_at_most_three() -> None:
    me = BLANK._replace(interests=("football", "cooking", "music", "walks"))
    assert reasons(me, BLANK._replace(interests=("cooking",)))["interests"].points == 10
    everything = reasons(me, BLANK._replace(interests=("walks", "music", "cooking", "football")))
    assert everything["interests"].points == 30
    assert everything["interests"].details == ("football", "cooking", "music", "walks")


def test_children_at_most_two_years_apart_pair_up_each_child_once() -> None:
    me = BLANK._replace(children_birth_years=(2018, 2014))
    theirs = BLANK._replace(children_birth_years=(2016, 2017, 2000))
    reason = reasons(me, theirs)["children"]
    # 2014 pairs with 2016 (2 years), 2018 with 2017; the 2000 child has no peer.
    assert reason.points == 20
    assert reason.details == ("12 & 10", "8 & 9")


def test_children_three_years_apart_are_not_similar() -> None:
    me = BLANK._replace(children_birth_years=(2015,))
    assert "children" not in reasons(me, BLANK._replace(children_birth_years=(2018,)))


def test_children_pairs_count_at_most_three() -> None:
    me = BLANK._replace(children_birth_years=(2010, 2012, 2014, 2016))
    assert reasons(me, BLANK._replace(children_birth_years=(2010, 2012, 2014, 2016)))["children"].points == 30


def test_same_district_gives_20_ignoring_case_and_spaces() -> None:
    me = BLANK._replace(district="Centrum")
    reason = reasons(me, BLANK._replace(district=" centrum "))["same_district"]
    assert reason.points == 20


def test_near_district_gives_10_when_the_network_marked_it() -> None:
    me = BLANK._replace(district="Centrum")
    them = BLANK._replace(district="Mossle")
    assert "near_district" not in reasons(me, them)
    assert reasons(me, them, near=frozenset({"mossle"}))["near_district"].points == 10


def test_each_shared_time_of_the_week_gives_5() -> None:
    me = BLANK._replace(availability=("weekends", "evenings"))
    reason = reasons(me, BLANK._replace(availability=("weekends", "weekdays", "evenings")))["availability"]
    assert reason.points == 10
    with translation.override("en"):
        assert reason.label == "Free at the same times: evenings, weekends"


def test_waiting_gives_a_point_per_full_week_up_to_20() -> None:
    assert "waiting" not in reasons(BLANK, BLANK._replace(waiting_since=TODAY - dt.timedelta(days=6)))
    three_weeks = reasons(BLANK, BLANK._replace(waiting_since=TODAY - dt.timedelta(days=21)))["waiting"]
    assert three_weeks.points == 3
    with translation.override("en"):
        assert three_weeks.label == "Waiting for 3 weeks"
    a_year = reasons(BLANK, BLANK._replace(waiting_since=TODAY - dt.timedelta(days=365)))["waiting"]
    assert a_year.points == 20


def test_a_same_gender_wish_met_gives_10_from_either_side() -> None:
    asking = BLANK._replace(preferences=("same_gender",))
    assert reasons(asking, BLANK)["same_gender"].points == 10
    assert reasons(BLANK, asking)["same_gender"].points == 10
    assert "same_gender" not in reasons(BLANK, BLANK)


def test_a_wish_for_a_family_with_children_counts_both_ways() -> None:
    wants = BLANK._replace(preferences=("with_children",))
    has = BLANK._replace(children_birth_years=(2019,))
    assert reasons(wants, has)["with_children"].points == 10
    assert reasons(has, wants)["has_children_asked"].points == 10
    assert reasons(wants, BLANK) == {}
