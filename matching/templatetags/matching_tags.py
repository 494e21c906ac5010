"""Small display helpers for the matching and pathway pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone

from matching.choices import Availability, MatchPreference
from matching.selectors.match_scoring import language_name

register = template.Library()


@register.filter
def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


@register.filter
def ages_from_birth_years(years: Iterable[int]) -> str:
    """Birth years → ages this year, youngest first: '4, 9'."""
    this_year = timezone.localdate().year
    return ", ".join(str(this_year - year) for year in sorted(years, reverse=True))


@register.filter
def availability_labels(values: Iterable[str]) -> str:
    return ", ".join(str(Availability(value).label) for value in values if value in Availability.values)


@register.filter
def preference_labels(values: Iterable[str]) -> str:
    return ", ".join(str(MatchPreference(value).label) for value in values if value in MatchPreference.values)
