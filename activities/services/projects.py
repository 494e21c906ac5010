"""Projects and their funders: grant-funded work, the activities it pays for, its reporting dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from activities.choices import FunderKind
from activities.models import Activity, Project, ReportingDate
from core.errors import DomainError, full_clean_or_raise
from core.signals import counted_data_changed


@dataclass(frozen=True)
class ProjectData:
    name: str
    funder_kind: str
    starts_on: dt.date
    ends_on: dt.date
    funder_name: str = ""
    description: str = ""
    budget_sek: Decimal | None = None
    activities: Sequence[Activity] = ()


def _validate(data: ProjectData) -> None:
    if not data.name.strip():
        raise DomainError(_("Give the project a name."), field="name")
    if data.funder_kind not in FunderKind.values:
        raise DomainError(_("Choose a funder."), field="funder_kind")
    if data.ends_on < data.starts_on:
        raise DomainError(_("The project must end on or after the day it starts."), field="ends_on")
    if data.budget_sek is not None and data.budget_sek < 0:
        raise DomainError(_("The budget cannot be below zero."), field="budget_sek")


def _apply(project: Project, data: ProjectData) -> None:
    project.name = data.name.strip()
    project.funder_kind = data.funder_kind
    project.funder_name = data.funder_name.strip()
    project.description = data.description
    project.starts_on = data.starts_on
    project.ends_on = data.ends_on
    project.budget_sek = data.budget_sek


@transaction.atomic
def project_create(*, actor: User, data: ProjectData) -> Project:
    _validate(data)
    project = Project()
    _apply(project, data)
    full_clean_or_raise(project)
    project.save()
    project.activities.set(data.activities)
    counted_data_changed(day=project.starts_on)
    return project


@transaction.atomic
def project_update(*, actor: User, project: Project, data: ProjectData) -> Project:
    _validate(data)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    counted_from = locked.starts_on
    _apply(locked, data)
    full_clean_or_raise(locked)
    locked.save()
    locked.activities.set(data.activities)
    # The old and the new dates: sessions may have left or joined the project on either side.
    counted_data_changed(day=min(counted_from, locked.starts_on))
    return locked


@transaction.atomic
def reporting_date_add(*, actor: User, project: Project, due_on: dt.date, description: str) -> ReportingDate:
    if not description.strip():
        raise DomainError(_("Say what is due."), field="description")
    reporting_date = ReportingDate(project=project, due_on=due_on, description=description.strip())
    full_clean_or_raise(reporting_date)
    reporting_date.save()
    return reporting_date


@transaction.atomic
def reporting_date_set_done(*, actor: User, reporting_date: ReportingDate, done: bool) -> ReportingDate:
    reporting_date.done = done
    reporting_date.save(update_fields=["done"])
    return reporting_date
