from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

# The apps whose tables hold text that people type: forms, the API, imports and public sign-ups.
TEXT_CLEANED_APPS = frozenset(
    {"people", "partners", "activities", "matching", "privacy", "portal", "donations", "accounts", "tenants"}
)


def _clean_text_before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender._meta.app_label in TEXT_CLEANED_APPS:
        from core.text import normalise_instance_text

        normalise_instance_text(instance)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Local network")

    def ready(self) -> None:
        # Data hygiene at the one place every write passes (core.text): not business logic.
        pre_save.connect(_clean_text_before_save, dispatch_uid="core-clean-text-before-save")
