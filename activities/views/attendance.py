"""Session pages: the list, a session with its attendance and change history, the attendance sheet,
cancelling and moving."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import MANAGERS, STAFF
from activities.choices import AttendanceStatus
from activities.forms.activities import SessionCancelForm, SessionTimeForm
from activities.forms.attendance import MARK_PREFIX, AttendanceSheetForm, parse_marks
from activities.models import VolunteerHours
from activities.selectors.activities import (
    attendance_sheet,
    can_take_attendance,
    get_session_for_actor,
    is_manager,
    latest_sessions_for_user,
    session_attendance_counts,
    session_changes,
    session_people_to_phone,
    sessions_for_user,
)
from activities.services.activities import session_cancel, session_move
from activities.services.attendance import attendance_sheet_save
from activities.views.activities import announce
from core.errors import DomainError, error_on_form
from ivplatform.http import StaffRequest


@role_required(*STAFF)
def session_list(request: StaffRequest) -> HttpResponse:
    """The user's sessions: the latest ones (to take or correct attendance) and the next four weeks."""
    now = timezone.now()
    today_start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()))
    return render(
        request,
        "activities/sessions/list.html",
        {
            "recent": latest_sessions_for_user(actor=request.user, now=today_start, limit=10),
            "upcoming": sessions_for_user(
                actor=request.user, starts_from=today_start, starts_before=now + dt.timedelta(weeks=4)
            ),
            "now": now,
        },
    )


@role_required(*STAFF)
def session_detail(request: StaffRequest, pk: int) -> HttpResponse:
    session = get_session_for_actor(actor=request.user, pk=pk)
    may_mark = can_take_attendance(actor=request.user, session=session)
    own_hours = VolunteerHours.objects.filter(user=request.user, session=session).first()
    return render(
        request,
        "activities/sessions/detail.html",
        {
            "session": session,
            "activity": session.activity,
            "counts": session_attendance_counts(session=session),
            "changes": session_changes(actor=request.user, session=session),
            "to_phone": session_people_to_phone(actor=request.user, session=session),
            "may_mark": may_mark and not session.is_cancelled,
            "can_manage": is_manager(request.user),
            "own_hours": own_hours,
            "is_future": timezone.localdate(session.starts_at) > timezone.localdate(),
        },
    )


@role_required(*STAFF)
def session_attendance(request: StaffRequest, pk: int) -> HttpResponse:
    """The attendance sheet: one form, one request, whatever the number of people."""
    session = get_session_for_actor(actor=request.user, pk=pk)
    if not can_take_attendance(actor=request.user, session=session):
        raise PermissionDenied
    own_hours = VolunteerHours.objects.filter(user=request.user, session=session).first()
    initial = {"minutes": own_hours.minutes if own_hours else None}
    form = AttendanceSheetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        marks = parse_marks(request.POST)
        if form.is_valid():
            walk_in = form.walk_in()
            if form.is_valid():  # walk_in() may add an error
                try:
                    result = attendance_sheet_save(
                        actor=request.user,
                        session=session,
                        marks=marks,
                        # Adding a walk-in mid-way must not mark the rows not yet ticked as absent.
                        rest_absent=form.cleaned_data["rest_absent"]
                        and request.POST.get("action") != "walk_in",
                        walk_in=walk_in,
                        minutes=form.cleaned_data["minutes"],
                    )
                except DomainError as error:
                    error_on_form(form, error)
                else:
                    text = _("Attendance saved.")
                    if result.walk_in is not None:
                        text += " " + _("%(name)s was added as a walk-in.") % {"name": result.walk_in}
                    if result.hours is not None:
                        text += " " + _("Your time: %(minutes)s minutes.") % {"minutes": result.hours.minutes}
                    messages.success(request, text)
                    if request.POST.get("action") == "walk_in":
                        return redirect("activities:session-attendance", pk=session.pk)
                    return redirect("activities:session-detail", pk=session.pk)
    rows = attendance_sheet(actor=request.user, session=session)
    if request.method == "POST":
        # Keep what the leader ticked when the form comes back with an error.
        posted = parse_marks(request.POST)
        for row in rows:
            row.status = posted.get(row.person.pk, row.status)
    return render(
        request,
        "activities/sessions/attendance.html",
        {
            "session": session,
            "activity": session.activity,
            "rows": rows,
            "form": form,
            "statuses": AttendanceStatus.choices,
            "mark_prefix": MARK_PREFIX,
            "unmarked": sum(1 for row in rows if not row.status),
            "is_future": timezone.localdate(session.starts_at) > timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*MANAGERS)
def session_cancel_view(request: StaffRequest, pk: int) -> HttpResponse:
    session = get_session_for_actor(actor=request.user, pk=pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = session_cancel(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The session is cancelled."))
            announce(request, plan)
            return redirect("activities:session-detail", pk=session.pk)
    return render(request, "activities/sessions/cancel.html", {"form": form, "session": session})


@role_required(*MANAGERS)
def session_move_view(request: StaffRequest, pk: int) -> HttpResponse:
    session = get_session_for_actor(actor=request.user, pk=pk)
    local_start = timezone.localtime(session.starts_at)
    initial = {
        "date": local_start.date(),
        "start_time": local_start.time(),
        "end_time": timezone.localtime(session.ends_at).time(),
        "place": session.place,
    }
    form = SessionTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = session_move(actor=request.user, session=session, **form.cleaned_data)
        except DomainError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The session has its new time and place."))
            announce(request, plan)
            return redirect("activities:session-detail", pk=session.pk)
    return render(request, "activities/sessions/move.html", {"form": form, "session": session})
