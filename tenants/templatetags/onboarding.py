from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def sek(amount: int) -> str:
    """4950 → "4 950 kr" in Swedish, "SEK 4,950" in English."""
    return _("%(amount)s kr") % {"amount": number_format(amount, force_grouping=True)}
