"""Reading the audit log, filtered and newest first. Who may read it is the caller's rule
(``accounts.selectors.audit_entries_for_admin``): audit sits below accounts and knows no roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    obj_type: str = ""
    obj_id: str = ""


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """Entries of the current tenant matching ``filters``."""
    filters = filters or AuditFilters()
    entries = AuditEntry.objects.select_related("actor")
    if filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        # The "to" day is included: everything before the start of the next day.
        entries = entries.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.obj_type:
        entries = entries.filter(obj_type=filters.obj_type)
    if filters.obj_id:
        entries = entries.filter(obj_id=filters.obj_id)
    return entries.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    """The object types that have entries, for the filter's choices."""
    return list(AuditEntry.objects.order_by("obj_type").values_list("obj_type", flat=True).distinct())


def audit_trail_for_object(*, obj_type: str, obj_id: int | str) -> QuerySet[AuditEntry]:
    """Everything recorded about one object, oldest first: for a person's data export."""
    return (
        AuditEntry.objects.select_related("actor")
        .filter(obj_type=obj_type, obj_id=str(obj_id))
        .order_by("at", "id")
    )


def object_type_label(obj_type: str) -> str:
    """``core.person`` → the model's own verbose name ("Person"), or the raw type if no such model.

    Object types are stable identifiers written into the log, not live app labels: the people and
    activities models have left ``core`` for their own apps but keep their ``core_*`` tables, and entries
    keep naming them ``core.<model>`` so that a person's trail stays one trail.
    """
    from django.apps import apps

    try:
        return str(apps.get_model(obj_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        pass
    app_label, _dot, model_name = obj_type.partition(".")
    table = f"{app_label}_{model_name}"
    for model in apps.get_models():
        if model._meta.db_table == table:
            return str(model._meta.verbose_name).capitalize()
    return obj_type
