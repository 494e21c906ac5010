"""Template filters of the activity and attendance pages."""

from __future__ import annotations

from django import template
from django.utils.dates import WEEKDAYS

from activities.choices import AttendanceStatus

register = template.Library()


@register.filter
def attendance_label(value: str) -> str:
    """The readable name of an attendance status ('' before the first mark shows as a dash)."""
    if value in AttendanceStatus.values:
        return str(AttendanceStatus(value).label)
    return "–"


@register.filter
def minutes_as_hours(minutes: int | None) -> str:
    """90 → '1 h 30 min'."""
    if not minutes:
        return "–"
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@register.filter
def weekday_names(days: list[int]) -> str:
    """[1, 3] → 'tisdag, torsdag' in the current language (Django's own translated day names)."""
    return ", ".join(str(WEEKDAYS[day]).lower() for day in sorted(days) if day in WEEKDAYS)
