"""The people app's vocabulary: the choices its models store and other apps may name.

Other apps import these from here, never from ``people.models`` (the import contracts in pyproject.toml).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Not stated")


class PersonGroup(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    ESTABLISHED = "established", _("Established")


class HouseholdRole(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", _("Contact")
    STATISTICS = "statistics", _("Statistics")
    PHOTOS = "photos", _("Photos")
    SHARING = "sharing", _("Sharing with partners")
