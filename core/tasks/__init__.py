"""Celery tasks of the local network. Celery's autodiscovery imports this module; tasks live beside it."""

from core.tasks.activities import send_session_notice, send_waitlist_promotion
from core.tasks.matching import check_in_reminders_fan_out, check_in_reminders_send

__all__ = [
    "check_in_reminders_fan_out",
    "check_in_reminders_send",
    "send_session_notice",
    "send_waitlist_promotion",
]
