"""Project pages: funders, periods, budgets, linked activities and reporting dates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import MANAGERS
from activities.forms.projects import ProjectForm, ReportingDateForm
from activities.selectors.projects import get_project_for_actor, get_reporting_date_for_actor, project_list
from activities.services.projects import (
    project_create,
    project_update,
    reporting_date_add,
    reporting_date_set_done,
)
from core.errors import DomainError, error_on_form
from core.view_helpers import paginate
from ivplatform.http import StaffRequest


@role_required(*MANAGERS)
def project_list_view(request: StaffRequest) -> HttpResponse:
    page = paginate(request, project_list(actor=request.user))
    return render(request, "activities/projects/list.html", {"page": page, "today": timezone.localdate()})


@role_required(*MANAGERS)
def project_detail(request: StaffRequest, pk: int) -> HttpResponse:
    project = get_project_for_actor(actor=request.user, pk=pk)
    return render(
        request,
        "activities/projects/detail.html",
        {"project": project, "date_form": ReportingDateForm(), "today": timezone.localdate()},
    )


@role_required(*MANAGERS)
def project_create_view(request: StaffRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(actor=request.user, data=form.to_data())
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The project was created."))
            return redirect("activities:project-detail", pk=project.pk)
    return render(request, "activities/projects/form.html", {"form": form, "project": None})


@role_required(*MANAGERS)
def project_edit(request: StaffRequest, pk: int) -> HttpResponse:
    project = get_project_for_actor(actor=request.user, pk=pk)
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(project))
    if request.method == "POST" and form.is_valid():
        try:
            project_update(actor=request.user, project=project, data=form.to_data())
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect("activities:project-detail", pk=project.pk)
    return render(request, "activities/projects/form.html", {"form": form, "project": project})


@role_required(*MANAGERS)
@require_POST
def reporting_date_add_view(request: StaffRequest, pk: int) -> HttpResponse:
    project = get_project_for_actor(actor=request.user, pk=pk)
    form = ReportingDateForm(request.POST)
    if form.is_valid():
        try:
            reporting_date_add(actor=request.user, project=project, **form.cleaned_data)
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The reporting date was added."))
            return redirect("activities:project-detail", pk=project.pk)
    return render(
        request,
        "activities/projects/detail.html",
        {"project": project, "date_form": form, "today": timezone.localdate()},
        status=400,
    )


@role_required(*MANAGERS)
@require_POST
def reporting_date_done(request: StaffRequest, pk: int, date_pk: int) -> HttpResponse:
    project = get_project_for_actor(actor=request.user, pk=pk)
    reporting_date = get_reporting_date_for_actor(actor=request.user, project=project, pk=date_pk)
    done = request.POST.get("done") == "1"
    reporting_date_set_done(actor=request.user, reporting_date=reporting_date, done=done)
    messages.success(request, _("Marked as done.") if done else _("Marked as not done."))
    return redirect("activities:project-detail", pk=project.pk)
