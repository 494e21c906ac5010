"""Celery tasks of the local network. Celery's autodiscovery imports this module; tasks live beside it."""

from core.tasks.activities import send_session_notice, send_waitlist_promotion
from core.tasks.matching import check_in_reminders_fan_out, check_in_reminders_send
from core.tasks.privacy import retention_anonymise, retention_fan_out

__all__ = [
    "check_in_reminders_fan_out",
    "check_in_reminders_send",
    "retention_anonymise",
    "retention_fan_out",
    "send_session_notice",
    "send_waitlist_promotion",
]
