from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def ore_as_sek(value: int | None) -> str:
    """12345050 öre → "123 450,50"; whole kronor without decimals: 99500 → "995"."""
    if value is None:
        return "–"
    kronor, ore = divmod(int(value), 100)
    whole = f"{kronor:,}".replace(",", "\u00a0")
    return f"{whole},{ore:02d}" if ore else whole
