from __future__ import annotations

from decimal import Decimal

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


@register.filter
def sek(value: int | Decimal | None) -> str:
    """Kronor the Swedish way: 19950 → "19 950"; Decimal("1596.80") → "1 596,80"."""
    if value is None:
        return "–"
    return ore_as_sek(int((Decimal(value) * 100).quantize(Decimal(1))))


@register.filter
def grouped(value: int | None) -> str:
    """A whole number with Swedish digit grouping: 15001 → "15 001"."""
    return "–" if value is None else f"{int(value):,}".replace(",", "\u00a0")
