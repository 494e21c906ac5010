"""What the start page shows: a coordinator's month at a glance, a volunteer's sessions of the week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import User
from activities.selectors.activities import latest_sessions_for_user, sessions_for_user
from core.charts import bar_chart
from home.selectors import (
    AGE_BAND_NAMES,
    attendances_per_month,
    month_figures,
    participants_by_age_and_gender,
    upcoming_reporting_dates,
    upcoming_sessions,
)
from people.choices import Gender
from people.models.people import AGE_UNKNOWN


def coordinator_start(*, actor: User) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate(now)
    months = attendances_per_month(actor=actor, today=today)
    per_month = bar_chart(
        slug="per-month",
        title=_("Attendances per month"),
        description=_("Attendances in each of the last twelve months, this month included."),
        categories=[date_format(row.month, "M") for row in months],
        series=[(_("Attendances"), [row.attendances for row in months])],
    )
    by_age = participants_by_age_and_gender(actor=actor, today=today)
    bands = [band for band in AGE_BAND_NAMES if band != AGE_UNKNOWN or any(by_age[band].values())]
    genders = [
        (Gender.WOMAN, _("Women")),
        (Gender.MAN, _("Men")),
        (Gender.OTHER, _("Other")),
        (Gender.NOT_STATED, _("Not stated")),
    ]
    age_gender = bar_chart(
        slug="age-gender",
        title=_("Participants by age and gender"),
        description=_("Unique participants of the last twelve months by age band and gender."),
        categories=[_("unknown") if band == AGE_UNKNOWN else band for band in bands],
        series=[(label, [by_age[band][gender] for band in bands]) for gender, label in genders],
    )
    return {
        "figures": month_figures(actor=actor, today=today, now=now),
        "per_month": per_month,
        "per_month_rows": months,
        "age_gender": age_gender,
        "upcoming": upcoming_sessions(actor=actor, now=now),
        "reporting_dates": upcoming_reporting_dates(actor=actor, today=today),
        "today": today,
        "dashboard": True,
    }


def volunteer_start(*, actor: User) -> dict[str, Any]:
    """Today's and this week's sessions of the activities the volunteer leads, and where to take attendance."""
    now = timezone.now()
    today = timezone.localdate(now)
    week_start = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(week_start, dt.time()))
    end = start + dt.timedelta(days=7)
    sessions = list(sessions_for_user(actor=actor, starts_from=start, starts_before=end))
    today_sessions = [s for s in sessions if timezone.localdate(s.starts_at) == today]
    # The big button: today's session (the one under way or the next today), else the latest one held.
    target = None
    live = [s for s in today_sessions if not s.is_cancelled]
    if live:
        started = [s for s in live if s.starts_at <= now]
        target = started[-1] if started else live[0]
    else:
        target = next(iter(latest_sessions_for_user(actor=actor, now=now, limit=1)), None)
    return {
        "today_sessions": today_sessions,
        "week_sessions": [s for s in sessions if timezone.localdate(s.starts_at) != today],
        "target": target,
        "today": today,
        "volunteer_start": True,
    }
