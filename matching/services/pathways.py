"""Writes for pathways (lotsning). Stages go one step at a time:

interest → referred → started → established (with an outcome); interest, referred or started → ended (with a
reason). Established and ended are final: a new try is a new pathway. Every stage reached is a dated
history row. Refusals raise ``PathwayError`` with a message fit to show and write nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError, full_clean_or_raise
from core.signals import counted_data_changed
from matching.choices import PATHWAY_ARENAS, PathwayEndReason, PathwayOutcome, PathwayStage
from matching.models import Pathway, PathwayStageChange
from matching.models.pathways import OPEN_PATHWAY_STAGES
from partners.models import Partner
from people.models import Person


class PathwayError(DomainError):
    """A pathway rule refused the change. The message is translated and fit to show."""


# The order of the open stages; established follows started.
STAGE_ORDER = (PathwayStage.INTEREST, PathwayStage.REFERRED, PathwayStage.STARTED, PathwayStage.ESTABLISHED)

PATHWAY_TRANSITIONS: dict[str, frozenset[str]] = {
    PathwayStage.INTEREST: frozenset({PathwayStage.REFERRED, PathwayStage.ENDED}),
    PathwayStage.REFERRED: frozenset({PathwayStage.STARTED, PathwayStage.ENDED}),
    PathwayStage.STARTED: frozenset({PathwayStage.ESTABLISHED, PathwayStage.ENDED}),
    PathwayStage.ESTABLISHED: frozenset(),
    PathwayStage.ENDED: frozenset(),
}


def _label(stage: str) -> str:
    return str(PathwayStage(stage).label).lower()


def _save(instance: Pathway | PathwayStageChange) -> None:
    full_clean_or_raise(instance, error=PathwayError)
    instance.save()


def _transition_refusal(current: str, to: str) -> str | None:
    if to in PATHWAY_TRANSITIONS[current]:
        return None
    if current in (PathwayStage.ESTABLISHED, PathwayStage.ENDED):
        return _("This pathway is %(current)s already. Start a new pathway for a new try.") % {
            "current": _label(current)
        }
    if to == current:
        return _("The pathway is at %(stage)s already.") % {"stage": _label(current)}
    position, wanted = STAGE_ORDER.index(PathwayStage(current)), STAGE_ORDER.index(PathwayStage(to))
    if wanted < position:
        return _("A pathway cannot go back from %(current)s to %(next)s.") % {
            "current": _label(current),
            "next": _label(to),
        }
    return _("A pathway goes from %(current)s to %(step)s first, not straight to %(next)s.") % {
        "current": _label(current),
        "step": _label(STAGE_ORDER[position + 1]),
        "next": _label(to),
    }


def _check_date(on: dt.date, after: dt.date | None) -> None:
    if on > timezone.localdate():
        raise PathwayError(_("A stage cannot be dated in the future."))
    if after is not None and on < after:
        raise PathwayError(
            _("A stage cannot be dated before the one before it (%(date)s).") % {"date": after.isoformat()}
        )


@transaction.atomic
def pathway_create(
    *,
    actor: User | None,
    person: Person,
    arena: str,
    goal: str,
    partner: Partner | None = None,
    interest_on: dt.date | None = None,
    note: str = "",
) -> Pathway:
    """A person's interest in an arena: the pathway starts at the interest stage."""
    interest_on = interest_on or timezone.localdate()
    if arena not in [value.value for value in PATHWAY_ARENAS]:
        raise PathwayError(_("Choose the arena: club life, community life or working life."))
    if person.erased_at is not None:
        raise PathwayError(_("This person has been anonymised."))
    if not goal.strip():
        raise PathwayError(_("Say what the pathway aims at, e.g. youth football."))
    if Pathway.objects.filter(person=person, arena=arena, stage__in=OPEN_PATHWAY_STAGES).exists():
        raise PathwayError(
            _("%(person)s already has an open pathway in this arena. Follow that one up instead.")
            % {"person": person}
        )
    _check_date(interest_on, None)
    pathway = Pathway(
        person=person,
        arena=arena,
        goal=goal.strip(),
        partner=partner,
        stage=PathwayStage.INTEREST,
        stage_on=interest_on,
        coordinator=actor,
        note=note,
    )
    _save(pathway)
    _save(
        PathwayStageChange(
            pathway=pathway, stage=PathwayStage.INTEREST, changed_on=interest_on, recorded_by=actor
        )
    )
    counted_data_changed(day=interest_on)
    return pathway


@transaction.atomic
def pathway_stage_change(
    *,
    actor: User | None,
    pathway: Pathway,
    stage: str,
    on: dt.date | None = None,
    partner: Partner | None = None,
    outcome: str = "",
    end_reason: str = "",
    note: str = "",
) -> Pathway:
    """Move a pathway one stage on (or end it), dated ``on``. A partner is needed from the referral on:
    give it here when it was not known at the interest stage."""
    on = on or timezone.localdate()
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    if stage not in PathwayStage.values:
        raise PathwayError(_("Choose the next stage."))
    refusal = _transition_refusal(pathway.stage, stage)
    if refusal:
        raise PathwayError(refusal)
    _check_date(on, pathway.stage_on)
    if partner is not None:
        pathway.partner = partner
    if stage in (PathwayStage.REFERRED, PathwayStage.STARTED, PathwayStage.ESTABLISHED) and (
        pathway.partner is None
    ):
        raise PathwayError(_("Choose the partner (the club, the employer …) the person is referred to."))
    if stage == PathwayStage.ESTABLISHED:
        if outcome not in PathwayOutcome.values:
            raise PathwayError(_("Choose the outcome: member of the club, internship, job, studies …"))
        pathway.outcome = outcome
    elif outcome:
        raise PathwayError(_("An outcome is recorded only when the person is established."))
    if stage == PathwayStage.ENDED:
        if end_reason not in PathwayEndReason.values:
            raise PathwayError(_("Choose why the pathway ends."))
        if end_reason == PathwayEndReason.OTHER and not note.strip():
            raise PathwayError(_("Describe the reason when it is 'other'."))
        pathway.end_reason = end_reason
    elif end_reason:
        raise PathwayError(_("A reason is recorded only when the pathway ends."))
    pathway.stage = stage
    pathway.stage_on = on
    _save(pathway)
    _save(
        PathwayStageChange(pathway=pathway, stage=stage, changed_on=on, note=note.strip(), recorded_by=actor)
    )
    counted_data_changed(day=on)
    return pathway
