"""Activity pages: list, detail, create and edit, registrations and the waiting list."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import MANAGERS, STAFF
from activities.choices import RegistrationStatus, ScheduleKind
from activities.forms.activities import (
    ActivityFilterForm,
    ActivityForm,
    PersonSearchForm,
    RegisterForm,
    SessionTimeForm,
)
from activities.models import Registration
from activities.selectors.activities import (
    activity_list,
    activity_registrations,
    activity_sessions,
    get_activity_for_actor,
    is_manager,
    people_search,
)
from activities.services.activities import (
    NoticePlan,
    activity_create,
    activity_update,
    registration_cancel,
    registration_create,
    session_add,
)
from core.errors import DomainError, error_on_form
from core.view_helpers import paginate, query_without_page
from ivplatform.http import StaffRequest
from people.selectors.people import people_visible_to


def announce(request: StaffRequest, plan: NoticePlan) -> None:
    """Tell the coordinator who was e-mailed and whom they must phone."""
    if plan.emailed:
        messages.success(
            request,
            _("E-mail is on its way to %(count)s people.") % {"count": len(plan.emailed)},
        )
    if plan.to_phone:
        people = ", ".join(f"{p.full_name} ({p.phone or _('no phone number')})" for p in plan.to_phone)
        messages.warning(request, _("Please phone: %(people)s") % {"people": people})


@role_required(*STAFF)
def activity_list_view(request: StaffRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET or None)
    search = category = ""
    if form.is_valid():
        search = form.cleaned_data["q"]
        category = form.cleaned_data["category"]
    page = paginate(request, activity_list(actor=request.user, search=search, category=category))
    return render(
        request,
        "activities/list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_manage": is_manager(request.user),
        },
    )


@role_required(*STAFF)
def activity_detail(request: StaffRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_actor(actor=request.user, pk=pk)
    registrations = list(activity_registrations(actor=request.user, activity=activity))
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "registered": [r for r in registrations if r.status == RegistrationStatus.REGISTERED],
            "waitlisted": [r for r in registrations if r.status == RegistrationStatus.WAITLISTED],
            "upcoming": activity_sessions(activity=activity, upcoming=True, limit=8),
            "past": activity_sessions(activity=activity, upcoming=False, limit=8),
            "can_manage": is_manager(request.user),
            "now": timezone.now(),
        },
    )


@role_required(*MANAGERS)
def activity_create_view(request: StaffRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(actor=request.user, data=form.to_data())
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The activity was created with its sessions."))
            return redirect("activities:activity-detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": None})


@role_required(*MANAGERS)
def activity_edit(request: StaffRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_actor(actor=request.user, pk=pk)
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(actor=request.user, activity=activity, data=form.to_data())
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The activity was saved. Future sessions follow the new schedule."))
            return redirect("activities:activity-detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@role_required(*MANAGERS)
def session_add_view(request: StaffRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_actor(actor=request.user, pk=pk)
    initial = {"start_time": activity.start_time, "end_time": activity.end_time}
    form = SessionTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_add(actor=request.user, activity=activity, **form.cleaned_data)
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The session was added."))
            return redirect("activities:session-detail", pk=session.pk)
    return render(
        request,
        "activities/session_add.html",
        {"form": form, "activity": activity, "is_single": activity.schedule_kind == ScheduleKind.SINGLE},
    )


@role_required(*MANAGERS)
def activity_register(request: StaffRequest, pk: int) -> HttpResponse:
    """Find a person and give them a seat (or a place on the waiting list)."""
    activity = get_activity_for_actor(actor=request.user, pk=pk)
    if request.method == "POST":
        form = RegisterForm(request.POST)
        person = None
        if form.is_valid():
            person = people_visible_to(actor=request.user).filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            raise Http404
        try:
            registration = registration_create(actor=request.user, activity=activity, person=person)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if registration.status == RegistrationStatus.REGISTERED:
                messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            else:
                messages.warning(
                    request,
                    _("The activity is full: %(name)s is on the waiting list.") % {"name": person.full_name},
                )
        return redirect("activities:activity-detail", pk=activity.pk)
    search = PersonSearchForm(request.GET or None)
    results = []
    if search.is_valid():
        results = people_search(
            actor=request.user, search=search.cleaned_data["q"], exclude_activity=activity
        )
    return render(
        request,
        "activities/register.html",
        {"activity": activity, "search": search, "results": results, "searched": bool(request.GET.get("q"))},
    )


@role_required(*MANAGERS)
@require_POST
def registration_cancel_view(request: StaffRequest, pk: int, registration_pk: int) -> HttpResponse:
    activity = get_activity_for_actor(actor=request.user, pk=pk)
    registration = (
        Registration.objects.filter(activity=activity, pk=registration_pk).select_related("person").first()
    )
    if registration is None:
        raise Http404
    try:
        plan = registration_cancel(actor=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The registration of %(name)s was cancelled.") % {"name": registration.person}
        )
        if plan.emailed or plan.to_phone:
            promoted = ", ".join(p.full_name for p in plan.emailed + plan.to_phone)
            messages.success(
                request, _("From the waiting list: %(people)s got a place.") % {"people": promoted}
            )
        announce(request, plan)
    return redirect("activities:activity-detail", pk=activity.pk)
