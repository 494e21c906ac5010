"""The audit log: who viewed, changed, exported or erased personal data, in each tenant's own schema.

Append-only. The database refuses UPDATE, DELETE and TRUNCATE on the table (triggers created in migration
0002, so every tenant schema, the template schema and every clone have them); the model and its queryset
refuse the same in Python so a mistake fails early with a clear message.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction


class AppendOnlyError(Exception):
    """An audit entry cannot be changed or deleted."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries are append-only: they cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are append-only: they cannot be deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # DO_NOTHING: Django's delete collector skips the relation (so deleting a platform operator in the
    # public schema, where this table does not exist, never looks for it); the foreign key constraint still
    # refuses to delete a tenant user who has entries, and users are deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the platform's own scheduled work."),
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    obj_type = models.CharField(_("object type"), max_length=60)
    obj_id = models.CharField(_("object id"), max_length=64)
    summary = models.CharField(_("summary"), max_length=200)

    objects: ClassVar[models.Manager[AuditEntry]] = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["obj_type", "obj_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.obj_type}#{self.obj_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are append-only: they cannot be deleted.")
