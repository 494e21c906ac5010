from __future__ import annotations

from django import template

from stats.selectors import Figure

register = template.Library()


@register.filter
def figure(figures: dict[str, Figure], key: str) -> Figure | None:
    return figures.get(key)
