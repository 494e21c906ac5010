"""The statistics rollup, in the public schema: counts per (tenant, period, metric, dimensions).

Nothing here may identify a person: a row holds a municipality, a period, a metric key, dimension values from
the fixed vocabularies in ``stats.dimensions``, a count and a cell key (a sum of record keys modulo 2³², which
says nothing about anyone without the municipality's secret). A municipality's own tables are the truth; the
rollup is recomputed from them (``stats.services``); what the board sees is published from it
(``stats.publication``): perturbed, and frozen once its period has closed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stats.dimensions import PeriodKind
from tenants.models import Municipality


class CellFields(models.Model):
    """Which figure a row is: a municipality, a period, a metric, dimension values. Dimensions left empty ("" or
    project 0) mean "all"."""

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

    class Meta:
        abstract = True


# Leading with what every dashboard query fixes by equality, then the period range, then the municipality.
CELL_UNIQUE_FIELDS = [
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
]


class RollupCell(CellFields):
    """One true figure and its cell key; a row exists only for non-zero values. The board never reads it: its
    pages read ``PublishedCell``.

    Unique participants do not add up over months or across dimension values, so every cut that a dashboard
    or report shows is stored as its own row (month, quarter and year; gender, age band, …) and never summed
    from smaller ones; across municipalities they do add up (a person belongs to one municipality).
    """

    id = models.BigAutoField(primary_key=True)
    value = models.BigIntegerField()
    # The sum of the record keys of the people (attendances, households, …) behind the figure, modulo 2³²
    # (stats.cellkey): what decides its perturbation. 0 for figures that do not count people.
    cell_key = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics figure")
        verbose_name_plural = _("statistics figures")
        constraints = [
            models.UniqueConstraint(fields=CELL_UNIQUE_FIELDS, name="rollup_one_row_per_cell"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="rollup_value_positive"),
        ]
        indexes = [models.Index(fields=["tenant", "period"], name="rollup_tenant_period")]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.period_kind}{self.period} {self.metric}={self.value}"


class RecordKeySecret(models.Model):
    """A municipality's secret for its record keys (stats.cellkey). Never shown; made at its first recompute.

    Changing it would give every figure a new draw of its noise: figures already published stay as they are
    (they are frozen), but the open month's would change once.
    """

    tenant = models.OneToOneField(Municipality, related_name="+", on_delete=models.CASCADE)
    secret = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("record key secret")
        verbose_name_plural = _("record key secrets")

    def __str__(self) -> str:
        return str(self.tenant_id)


class PublishedStatus(models.TextChoices):
    FINAL = "final", _("Final")
    PRELIMINARY = "preliminary", _("Preliminary")


class PublishedCell(CellFields):
    """A figure as the board sees it: what its pages, exports, API and reports read, and nothing else.

    Closed periods are published once and then kept (``FINAL``); a correction that moves a figure too far
    from its published value makes a logged revision (``PublicationRevision``). The open month has
    preliminary totals, replaced at every recompute. Rows with value 0 exist where a small figure was
    published as 0; a missing row is a figure of 0.
    """

    id = models.BigAutoField(primary_key=True)
    # None: withheld by the audit (stats.disclosure), shown as "..".
    value = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PublishedStatus.choices)
    # The period's revision that released this value (1 for the first publication); 0 for preliminary ones.
    revision = models.PositiveIntegerField(default=0)
    # The true figure when this value was released: the audit needs it (what the board knew then is about
    # the truth then), as do the utility figures. Never read by the board's pages.
    true_value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("published statistics figure")
        verbose_name_plural = _("published statistics figures")
        constraints = [
            models.UniqueConstraint(fields=CELL_UNIQUE_FIELDS, name="published_one_row_per_cell"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) | models.Q(value__isnull=True),
                name="published_value_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "period"], name="published_tenant_period"),
            # The dashboards' reads: one cut of one period for many municipalities.
            models.Index(
                fields=["period_kind", "cut", "period", "metric", "tenant"],
                include=[
                    "value",
                    "status",
                    "gender",
                    "age_band",
                    "person_group",
                    "category",
                    "arena",
                    "stage",
                ],
                name="published_dashboard",
            ),
            # The month-by-month trend (and an open period's months so far): month totals only, a small
            # index the planner prefers to reading the table (66 ms against 24 at 300 municipalities).
            models.Index(
                fields=["period", "metric", "tenant"],
                include=["value", "status"],
                condition=models.Q(period_kind="M", cut=""),
                name="published_months",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.period_kind}{self.period} {self.metric}={self.value} ({self.status})"


class PublishedCellHistory(CellFields):
    """A value a figure had before a revision replaced it: the board may have kept it, so the audit keeps it
    too (what was published once stays known)."""

    id = models.BigAutoField(primary_key=True)
    value = models.BigIntegerField(null=True, blank=True)
    revision = models.PositiveIntegerField()
    true_value = models.BigIntegerField()

    class Meta:
        verbose_name = _("earlier published figure")
        verbose_name_plural = _("earlier published figures")
        indexes = [models.Index(fields=["tenant", "period"], name="published_history_tenant")]

    def __str__(self) -> str:
        return (
            f"{self.tenant_id} {self.period_kind}{self.period} {self.metric}={self.value} (r{self.revision})"
        )


class RevisionReason(models.TextChoices):
    PUBLISHED = "published", _("Published when the period closed")
    CORRECTION = "correction", _("Revised after corrections in the municipality's register")


class PublicationRevision(models.Model):
    """The log of a municipality's closed periods: when each was published and each later revision."""

    tenant = models.ForeignKey(Municipality, related_name="+", on_delete=models.CASCADE)
    period_kind = models.CharField(max_length=1, choices=PeriodKind.choices)
    period = models.DateField()
    revision = models.PositiveIntegerField()
    reason = models.CharField(max_length=12, choices=RevisionReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # How many figures the period has, and how many this revision changed (all of them when first published).
    figures = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics publication")
        verbose_name_plural = _("statistics publications")
        ordering = ["tenant", "period_kind", "period", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "period_kind", "period", "revision"], name="publication_revision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.period_kind}{self.period} r{self.revision}"


DIMENSIONS = ("age_band", "arena", "category", "funder", "gender", "person_group", "project", "stage")


def cut_of(dims: dict[str, object]) -> str:
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
