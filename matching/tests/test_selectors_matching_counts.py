"""Outcomes for the statistics rollup: matches and pathways by stage per month, and a family at a glance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.models import User
from matching.models import Match, Pathway, PathwayStageChange
from matching.selectors.matching import match_counts_by_month
from matching.selectors.pathways import pathway_counts_by_month, pathways_for_household
from matching.services.matching import match_propose
from matching.services.pathways import pathway_create, pathway_stage_change
from people.models import PersonGroup
from tests.support.matching_factories import (
    PartnerFactory,
    PersonFactory,
    assert_queries,
    family,
    family_request,
)

# Counts are checked against this file's own matches and pathways.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_matching")]
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def _counts(rows: list[Any], *keys: str) -> dict[tuple[Any, ...], tuple[int, int]]:
    return {tuple(getattr(row, key) for key in keys): (row.entered, row.at_month_end) for row in rows}


def _match(coordinator: User, kind: str = "friend_family") -> Match:
    return match_propose(
        actor=coordinator,
        match_request=family_request(kind=kind),
        candidate=family_request(group=PersonGroup.ESTABLISHED, kind=kind),
    )


def test_matches_are_counted_by_kind_and_status_per_month(in_varnamo: Any, coordinator: User) -> None:
    # Dates are set directly: the services date things today, the counts must work on any history.
    proposed_only = _match(coordinator)
    started = _match(coordinator)
    ended = _match(coordinator, kind="language_friend")
    Match.objects.filter(pk=proposed_only.pk).update(proposed_on=dt.date(2026, 2, 10))
    Match.objects.filter(pk=started.pk).update(
        proposed_on=dt.date(2026, 1, 5), started_on=dt.date(2026, 2, 1), status="active"
    )
    Match.objects.filter(pk=ended.pk).update(
        proposed_on=dt.date(2026, 1, 20),
        started_on=dt.date(2026, 1, 25),
        ended_on=dt.date(2026, 3, 31),
        status="ended",
        end_reason="moved",
    )
    rows = match_counts_by_month(first_month=JAN, last_month=dt.date(2026, 3, 15))
    # 3 months × 3 kinds × 3 statuses, zeros included.
    assert len(rows) == 27
    counts = _counts(rows, "month", "kind", "status")
    assert counts[(JAN, "friend_family", "proposed")] == (1, 1)
    assert counts[(JAN, "language_friend", "active")] == (1, 1)
    assert counts[(FEB, "friend_family", "proposed")] == (1, 1)
    assert counts[(FEB, "friend_family", "active")] == (1, 1)
    assert counts[(MAR, "friend_family", "active")] == (0, 1)
    assert counts[(MAR, "language_friend", "ended")] == (1, 1)
    assert counts[(FEB, "language_friend", "active")] == (0, 1)
    assert counts[(MAR, "activity_buddy", "proposed")] == (0, 0)


def test_pathways_are_counted_by_arena_and_stage_per_month(in_varnamo: Any, coordinator: User) -> None:
    child = pathway_create(
        actor=coordinator,
        person=PersonFactory.create(),
        arena="club_life",
        goal="Football",
        partner=PartnerFactory.create(),
    )
    pathway_stage_change(actor=coordinator, pathway=child, stage="referred")
    adult = pathway_create(actor=coordinator, person=PersonFactory.create(), arena="working_life", goal="Job")
    # Move the history into the past, as if recorded over the first months of the year.
    PathwayStageChange.objects.filter(pathway=child, stage="interest").update(changed_on=dt.date(2026, 1, 12))
    PathwayStageChange.objects.filter(pathway=child, stage="referred").update(changed_on=dt.date(2026, 2, 3))
    PathwayStageChange.objects.filter(pathway=adult).update(changed_on=dt.date(2026, 2, 28))
    rows = pathway_counts_by_month(first_month=JAN, last_month=MAR)
    assert len(rows) == 3 * 3 * 5
    counts = _counts(rows, "month", "arena", "stage")
    assert counts[(JAN, "club_life", "interest")] == (1, 1)
    assert counts[(FEB, "club_life", "interest")] == (0, 0)
    assert counts[(FEB, "club_life", "referred")] == (1, 1)
    assert counts[(MAR, "club_life", "referred")] == (0, 1)
    assert counts[(JAN, "working_life", "interest")] == (0, 0)
    assert counts[(FEB, "working_life", "interest")] == (1, 1)
    assert counts[(MAR, "community_life", "ended")] == (0, 0)


def test_counts_refuse_a_backwards_range(in_varnamo: Any) -> None:
    with pytest.raises(ValueError, match="before first_month"):
        match_counts_by_month(first_month=MAR, last_month=JAN)
    with pytest.raises(ValueError, match="before first_month"):
        pathway_counts_by_month(first_month=MAR, last_month=JAN)


def test_a_household_shows_every_members_pathways_in_two_queries(in_varnamo: Any, coordinator: User) -> None:
    household, parent = family(children_birth_years=(2014, 2017))
    child = household.members.filter(household_role="child").order_by("birth_year").first()
    assert child is not None
    club = PartnerFactory.create(name="IFK Värnamo")
    pathway_create(actor=coordinator, person=child, arena="club_life", goal="Youth football", partner=club)
    pathway_create(actor=coordinator, person=parent, arena="working_life", goal="Job in care")
    with assert_queries(2):
        members = list(pathways_for_household(household))
        shown = [
            # pathway_list: prefetched by pathways_for_household (to_attr).
            (m.first_name, [(p.goal, p.partner.name if p.partner else None) for p in m.pathway_list])  # type: ignore[attr-defined]
            for m in members
        ]
    assert members[0].pk == parent.pk
    assert shown[1] == (child.first_name, [("Youth football", "IFK Värnamo")])
    assert shown[2][1] == []
    assert Pathway.objects.filter(person__household=household).count() == 2
