"""The statistics rollup, in the public schema: counts per (tenant, period, metric, dimensions).

Nothing here may identify a person: a row holds a municipality, a period, a metric key, dimension values from
the fixed vocabularies in ``stats.dimensions`` and a count. A municipality's own tables are the truth; these
rows are recomputed from them (``stats.services``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from stats.dimensions import Hidden, PeriodKind
from tenants.models import Municipality


class RollupCell(models.Model):
    """One figure. Dimensions left empty ("" or project 0) mean "all"; a row exists only for non-zero values.

    Unique participants do not add up over months or across dimension values, so every cut that a dashboard
    or report shows is stored as its own row (month, quarter and year; gender, age band, …) and never summed
    from smaller ones; across municipalities they do add up (a person belongs to one municipality).
    """

    id = models.BigAutoField(primary_key=True)
    tenant = models.ForeignKey(Municipality, related_name="+", on_delete=models.CASCADE)
    period_kind = models.CharField(max_length=1, choices=PeriodKind.choices)
    period = models.DateField(help_text="First day of the month, quarter or year.")
    metric = models.CharField(max_length=24)
    # Which dimensions this row splits by ("" for a total, "age_band+gender", …): derived from the dimension
    # columns, stored so the dashboards find a whole cross-tab with one index range.
    cut = models.CharField(max_length=48, blank=True, default="")
    gender = models.CharField(max_length=12, blank=True, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    person_group = models.CharField(max_length=12, blank=True, default="")
    category = models.CharField(max_length=20, blank=True, default="")
    arena = models.CharField(max_length=20, blank=True, default="")
    funder = models.CharField(max_length=20, blank=True, default="")
    # The municipality's own project id (a project, never a person); 0 means all.
    project = models.BigIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True, default="")
    value = models.BigIntegerField()
    hidden = models.PositiveSmallIntegerField(choices=Hidden.choices, default=Hidden.SHOWN)

    class Meta:
        verbose_name = _("statistics figure")
        verbose_name_plural = _("statistics figures")
        constraints = [
            # Leading with what every dashboard query fixes by equality, then the period range, then the
            # municipality: the dashboards read a few thousand index entries for 300 municipalities.
            models.UniqueConstraint(
                fields=[
                    "period_kind",
                    "metric",
                    "age_band",
                    "gender",
                    "person_group",
                    "category",
                    "arena",
                    "funder",
                    "project",
                    "stage",
                    "period",
                    "tenant",
                ],
                name="rollup_one_row_per_cell",
            ),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="rollup_value_positive"),
        ]
        indexes = [
            models.Index(fields=["tenant", "period"], name="rollup_tenant_period"),
            # The dashboards' reads: one cut of one period (or a range of months) for many municipalities.
            models.Index(
                fields=["period_kind", "cut", "period", "metric", "tenant"],
                include=["value", "hidden", "gender", "age_band", "person_group", "category", "arena"],
                name="rollup_dashboard",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.period_kind}{self.period} {self.metric}={self.value}"


DIMENSIONS = ("age_band", "arena", "category", "funder", "gender", "person_group", "project", "stage")


def cut_of(dims: Mapping[str, object]) -> str:
    """The cut a row belongs to: the names of its dimensions that are not "all", sorted."""
    return "+".join(name for name in DIMENSIONS if dims.get(name))


class ProjectRef(models.Model):
    """A municipality's project as the board may pick it for a funder report: its name and funder, no people.

    Kept apart from the rollup so the rollup itself holds no free text.
    """

    tenant = models.ForeignKey(Municipality, related_name="+", on_delete=models.CASCADE)
    project = models.BigIntegerField()
    name = models.CharField(max_length=160)
    funder = models.CharField(max_length=20)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        verbose_name = _("project (statistics)")
        verbose_name_plural = _("projects (statistics)")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "project"], name="projectref_once")]

    def __str__(self) -> str:
        return self.name
