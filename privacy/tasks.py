"""Retention: each night, anonymise the people past the tenant's limit, one task per ready tenant; the same
task deletes the sign-ups past the limit and the imports nobody committed (the privacy notice promises all
three; see core/privacy_register.py).

The database is the truth (as for the check-in reminders): a missed night is caught up by the next one,
and a person anonymised once is never selected again.
"""

from __future__ import annotations

import datetime as dt

from core.tenancy import tasks_fan_out
from ivplatform.celery import app
from privacy.extensions import retention_purges
from privacy.services import person_imports_purge, retention_anonymise_due


@app.task(name="core.retention_anonymise")
def retention_anonymise(today: str | None = None) -> int:
    """In the tenant that queued it: anonymise everyone due on ``today`` (ISO date; default today)."""
    day = dt.date.fromisoformat(today) if today else None
    for purge in retention_purges:
        purge(day)
    person_imports_purge()
    return retention_anonymise_due(today=day)


@app.task(name="core.retention_fan_out")
def retention_fan_out(today: str | None = None) -> list[str]:
    """Beat, in the public schema: queue the retention task once per ready tenant, in its schema."""
    return tasks_fan_out(retention_anonymise, kwargs={"today": today})
