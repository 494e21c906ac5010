"""Reads of projects and their reporting dates. Projects are the managers' business: volunteers see none."""

from __future__ import annotations

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from activities.models import Activity, Project, ReportingDate
from activities.selectors.activities import is_manager


def projects_for_user(*, actor: User) -> QuerySet[Project]:
    return Project.objects.all() if is_manager(actor) else Project.objects.none()


def project_list(*, actor: User) -> QuerySet[Project]:
    return (
        projects_for_user(actor=actor)
        .annotate(
            activity_count=Count("activities", distinct=True),
            next_due=Min("reporting_dates__due_on", filter=Q(reporting_dates__done=False)),
        )
        .order_by("-starts_on", "name", "id")
    )


def get_project_for_actor(*, actor: User, pk: int) -> Project:
    project = (
        projects_for_user(actor=actor)
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("title", "id")),
            Prefetch("reporting_dates", queryset=ReportingDate.objects.order_by("due_on", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def get_reporting_date_for_actor(*, actor: User, project: Project, pk: int) -> ReportingDate:
    reporting_date = (
        ReportingDate.objects.filter(project=project, pk=pk).first() if is_manager(actor) else None
    )
    if reporting_date is None:
        raise Http404
    return reporting_date
