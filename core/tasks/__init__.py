"""Celery tasks of the local network. Celery's autodiscovery imports this module; tasks live beside it."""

from core.tasks.matching import check_in_reminders_fan_out, check_in_reminders_send

__all__ = ["check_in_reminders_fan_out", "check_in_reminders_send"]
