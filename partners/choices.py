"""The partners app's vocabulary: the choices its models store and other apps may name.

Other apps import these from here, never from ``partners.models`` (the import contracts in pyproject.toml).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    CLUB = "club", _("Club or association")
    CHURCH = "church", _("Church or congregation")
    STUDY_ASSOCIATION = "study_association", _("Study association")
    EMPLOYER = "employer", _("Employer")
    MUNICIPAL_UNIT = "municipal_unit", _("Municipal unit")
    OTHER = "other", _("Other")
