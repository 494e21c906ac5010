"""Projects and funders: grant-funded work with reporting duties."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from activities.choices import FunderKind


class Project(models.Model):
    name = models.CharField(_("name"), max_length=160)
    funder_kind = models.CharField(_("funder"), max_length=20, choices=FunderKind.choices)
    funder_name = models.CharField(
        _("funder's name"), max_length=160, blank=True, help_text=_("E.g. Region Jönköpings län.")
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget_sek = models.DecimalField(
        _("budget (SEK)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    activities = models.ManyToManyField(
        "activities.Activity", verbose_name=_("activities"), related_name="projects", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "core_project"
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_sek__isnull=True) | models.Q(budget_sek__gte=0),
                name="project_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportingDate(models.Model):
    project = models.ForeignKey(Project, related_name="reporting_dates", on_delete=models.CASCADE)
    due_on = models.DateField(_("due"))
    description = models.CharField(_("what is due"), max_length=200)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        db_table = "core_reportingdate"
        verbose_name = _("reporting date")
        verbose_name_plural = _("reporting dates")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.description}"
