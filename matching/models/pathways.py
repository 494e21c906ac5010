"""Pathways (lotsning): guiding one person into an arena of Swedish life, with a partner, through stages.

interest → referred → started → established (with an outcome), or ended with a reason from any stage before
established. Every stage reached is a dated row in ``PathwayStageChange``; statistics count from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.choices import PATHWAY_ARENA_CHOICES, PathwayEndReason, PathwayOutcome, PathwayStage
from partners.models import Partner
from people.models.people import Person

OPEN_PATHWAY_STAGES = (PathwayStage.INTEREST, PathwayStage.REFERRED, PathwayStage.STARTED)
FINAL_PATHWAY_STAGES = (PathwayStage.ESTABLISHED, PathwayStage.ENDED)


class Pathway(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), related_name="pathways", on_delete=models.CASCADE
    )
    arena = models.CharField(_("arena"), max_length=20, choices=PATHWAY_ARENA_CHOICES)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        related_name="pathways",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The club, employer or association. Needed from the referral on."),
    )
    goal = models.CharField(_("goal"), max_length=160, help_text=_("E.g. youth football, a job in care."))
    stage = models.CharField(
        _("stage"), max_length=12, choices=PathwayStage.choices, default=PathwayStage.INTEREST
    )
    stage_on = models.DateField(_("stage reached on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=PathwayOutcome.choices, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=PathwayEndReason.choices, blank=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        related_name="coordinated_pathways",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "core_pathway"
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        ordering = ["-stage_on", "-id"]
        indexes = [models.Index(fields=["arena", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "arena"],
                condition=models.Q(stage__in=["interest", "referred", "started"]),
                name="pathway_one_open_per_person_arena",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="established") & ~models.Q(outcome="")
                | ~models.Q(stage="established") & models.Q(outcome=""),
                name="pathway_outcome_when_established",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="ended") & ~models.Q(end_reason="")
                | ~models.Q(stage="ended") & models.Q(end_reason=""),
                name="pathway_reason_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_arena_display()} ({self.get_stage_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_PATHWAY_STAGES


class PathwayStageChange(models.Model):
    """One stage reached, dated. Written by the pathway services only."""

    pathway = models.ForeignKey(Pathway, related_name="stage_changes", on_delete=models.CASCADE)
    stage = models.CharField(_("stage"), max_length=12, choices=PathwayStage.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_pathwaystagechange"
        verbose_name = _("pathway stage")
        verbose_name_plural = _("pathway stages")
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["pathway", "changed_on"], name="pathwaystage_history")]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "stage"], name="pathwaystage_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.changed_on}"
