"""A CSV import between its preview and its commit: the parsed file stays on the server.

The preview shows what would be imported; the commit reads the rows from here, never from the browser.
Rows are kept only until the import is committed or abandoned (a new upload by the same user replaces it,
and anything older than a day is removed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonImport(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE, verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    # Checked rows in canonical form (people.importer.ImportRow.to_json), in file order.
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        db_table = "core_personimport"
        verbose_name = _("import of people")
        verbose_name_plural = _("imports of people")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
