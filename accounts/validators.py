from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DemoPasswordValidator:
    """Refuses the demo password: only the demo seed may set it, and never through a form."""

    def validate(self, password: str, user: Any = None) -> None:
        if password == settings.DEMO_PASSWORD:
            raise ValidationError(_("This password is reserved for the demo."), code="demo_password")

    def get_help_text(self) -> str:
        return _("Your password cannot be the demo password.")
