"""Pathways: one stage at a time, dated history, outcomes and reasons, forbidden jumps refused clearly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone, translation

from accounts.models import User
from matching.models import Pathway, PathwayStage, PathwayStageChange
from matching.services.pathways import PATHWAY_TRANSITIONS, PathwayError, pathway_create, pathway_stage_change
from tests.support.matching_factories import (
    PartnerFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
STAGES = list(PathwayStage.values)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _pathway_at(stage: str, coordinator: User) -> Pathway:
    """A pathway walked to ``stage`` the allowed way, a day per stage, ending today."""
    path = {
        "interest": [],
        "referred": ["referred"],
        "started": ["referred", "started"],
        "established": ["referred", "started", "established"],
        "ended": ["referred", "ended"],
    }[stage]
    start = TODAY - dt.timedelta(days=len(path))
    pathway = pathway_create(
        actor=coordinator,
        person=PersonFactory.create(),
        arena="club_life",
        goal="Youth football",
        partner=PartnerFactory.create(),
        interest_on=start,
    )
    for day, step in enumerate(path, start=1):
        pathway = _step(pathway, step, coordinator, on=start + dt.timedelta(days=day))
    return pathway


def _step(pathway: Pathway, stage: str, coordinator: User, on: dt.date | None = None) -> Pathway:
    return pathway_stage_change(
        actor=coordinator,
        pathway=pathway,
        stage=stage,
        on=on or TODAY,
        outcome="club_member" if stage == "established" else "",
        end_reason="lost_interest" if stage == "ended" else "",
    )


@pytest.mark.parametrize(("before", "after"), [(b, a) for b in STAGES for a in STAGES])
def test_every_stage_change_is_allowed_or_refused_by_the_table(
    in_varnamo: Any, coordinator: User, before: str, after: str
) -> None:
    pathway = _pathway_at(before, coordinator)
    history_before = pathway.stage_changes.count()
    if after in PATHWAY_TRANSITIONS[before]:
        moved = _step(pathway, after, coordinator)
        assert moved.stage == after
        assert moved.stage_on == TODAY
        assert pathway.stage_changes.count() == history_before + 1
    else:
        with pytest.raises(PathwayError):
            _step(pathway, after, coordinator)
        pathway.refresh_from_db()
        assert pathway.stage == before
        assert pathway.stage_changes.count() == history_before


def test_the_allowed_steps_are_one_forward_or_ended() -> None:
    assert {
        "interest": {"referred", "ended"},
        "referred": {"started", "ended"},
        "started": {"established", "ended"},
        "established": set(),
        "ended": set(),
    } == PATHWAY_TRANSITIONS


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("interest", "started", "A pathway goes from interest to referred first, not straight to started."),
        (
            "interest",
            "established",
            "A pathway goes from interest to referred first, not straight to established.",
        ),
        ("started", "referred", "A pathway cannot go back from started to referred."),
        ("referred", "referred", "The pathway is at referred already."),
        ("established", "ended", "This pathway is established already. Start a new pathway for a new try."),
        ("ended", "interest", "This pathway is ended already. Start a new pathway for a new try."),
    ],
)
def test_forbidden_jumps_are_refused_with_a_clear_message(
    in_varnamo: Any, coordinator: User, before: str, after: str, message: str
) -> None:
    pathway = _pathway_at(before, coordinator)
    with translation.override("en"), pytest.raises(PathwayError) as error:
        _step(pathway, after, coordinator)
    assert str(error.value) == message


def test_the_jump_message_is_swedish_for_swedish_users(in_varnamo: Any, coordinator: User) -> None:
    pathway = _pathway_at("interest", coordinator)
    with translation.override("sv"), pytest.raises(PathwayError) as error:
        _step(pathway, "started", coordinator)
    assert str(error.value) == "En lotsning går från intresse till hänvisad först, inte direkt till påbörjad."


def test_each_stage_is_dated_in_the_history(in_varnamo: Any, coordinator: User) -> None:
    pathway = _pathway_at("established", coordinator)
    history = list(PathwayStageChange.objects.filter(pathway=pathway).values_list("stage", "changed_on"))
    assert history == [
        ("interest", TODAY - dt.timedelta(days=3)),
        ("referred", TODAY - dt.timedelta(days=2)),
        ("started", TODAY - dt.timedelta(days=1)),
        ("established", TODAY),
    ]
    assert pathway.outcome == "club_member"


def test_a_referral_needs_a_partner_which_can_be_given_with_it(in_varnamo: Any, coordinator: User) -> None:
    pathway = pathway_create(
        actor=coordinator, person=PersonFactory.create(), arena="working_life", goal="A job in care"
    )
    with pytest.raises(PathwayError, match="Choose the partner"):
        pathway_stage_change(actor=coordinator, pathway=pathway, stage="referred")
    employer = PartnerFactory.create(kind="employer", name="Värnamo kommun, äldreomsorgen")
    moved = pathway_stage_change(actor=coordinator, pathway=pathway, stage="referred", partner=employer)
    assert moved.partner == employer


def test_established_needs_an_outcome_and_only_then(in_varnamo: Any, coordinator: User) -> None:
    pathway = _pathway_at("started", coordinator)
    with pytest.raises(PathwayError, match="Choose the outcome"):
        pathway_stage_change(actor=coordinator, pathway=pathway, stage="established")
    with pytest.raises(PathwayError, match="only when the pathway ends"):
        pathway_stage_change(
            actor=coordinator, pathway=pathway, stage="established", outcome="job", end_reason="moved"
        )
    interest = _pathway_at("interest", coordinator)
    with pytest.raises(PathwayError, match="only when the person is established"):
        pathway_stage_change(actor=coordinator, pathway=interest, stage="referred", outcome="job")


def test_ending_needs_a_reason_and_a_note_for_other(in_varnamo: Any, coordinator: User) -> None:
    pathway = _pathway_at("referred", coordinator)
    with pytest.raises(PathwayError, match="Choose why"):
        pathway_stage_change(actor=coordinator, pathway=pathway, stage="ended")
    with pytest.raises(PathwayError, match="Describe the reason"):
        pathway_stage_change(actor=coordinator, pathway=pathway, stage="ended", end_reason="other")
    ended = pathway_stage_change(
        actor=coordinator, pathway=pathway, stage="ended", end_reason="other", note="Season over"
    )
    assert ended.end_reason == "other"


def test_a_stage_cannot_be_dated_in_the_future_or_before_the_last(in_varnamo: Any, coordinator: User) -> None:
    pathway = _pathway_at("referred", coordinator)  # referred yesterday
    with pytest.raises(PathwayError, match="in the future"):
        pathway_stage_change(
            actor=coordinator, pathway=pathway, stage="started", on=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(PathwayError, match="before the one before it"):
        pathway_stage_change(
            actor=coordinator, pathway=pathway, stage="started", on=TODAY - dt.timedelta(days=5)
        )


def test_one_open_pathway_per_person_and_arena(in_varnamo: Any, coordinator: User) -> None:
    person = PersonFactory.create()
    first = pathway_create(actor=coordinator, person=person, arena="club_life", goal="Football")
    with pytest.raises(PathwayError, match="already has an open pathway"):
        pathway_create(actor=coordinator, person=person, arena="club_life", goal="Scouts")
    pathway_create(actor=coordinator, person=person, arena="community_life", goal="Church choir")
    pathway_stage_change(actor=coordinator, pathway=first, stage="ended", end_reason="lost_interest")
    pathway_create(actor=coordinator, person=person, arena="club_life", goal="Scouts")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"arena": "general"}, "Choose the arena"),
        ({"goal": " "}, "Say what the pathway aims at"),
        ({"interest_on": TODAY + dt.timedelta(days=2)}, "in the future"),
    ],
)
def test_bad_pathway_input_is_refused_and_writes_nothing(
    in_varnamo: Any, coordinator: User, kwargs: dict[str, Any], message: str
) -> None:
    person = PersonFactory.create()
    arguments: dict[str, Any] = {"arena": "club_life", "goal": "Football", **kwargs}
    with pytest.raises(PathwayError, match=message):
        pathway_create(actor=coordinator, person=person, **arguments)
    assert not Pathway.objects.filter(person=person).exists()
