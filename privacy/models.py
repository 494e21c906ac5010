"""Retention of personal data: the tenant's limit and the people an admin chose to keep past it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models.people import Person

DEFAULT_RETENTION_MONTHS = 24


class RetentionSetting(models.Model):
    """One row per tenant (pk 1): how long a person may stay without any activity before anonymisation."""

    months = models.PositiveSmallIntegerField(
        _("months without activity"),
        default=DEFAULT_RETENTION_MONTHS,
        help_text=_("People with no activity for this long are anonymised during the night."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_retentionsetting"
        verbose_name = _("retention setting")
        verbose_name_plural = _("retention settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="retention_setting_singleton"),
            models.CheckConstraint(
                condition=models.Q(months__gte=1) & models.Q(months__lte=120), name="retention_months_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.months)


class RetentionKeep(models.Model):
    """An admin's decision to keep a person past the limit until ``kept_until``, with the reason why."""

    person = models.ForeignKey(Person, related_name="retention_keeps", on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=300)
    kept_until = models.DateField(_("kept until"))
    created_at = models.DateTimeField(_("decided"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_retentionkeep"
        verbose_name = _("kept past retention")
        verbose_name_plural = _("kept past retention")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-kept_until"], name="retentionkeep_latest")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.kept_until}"
