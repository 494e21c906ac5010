"""The network's public pages (no login, seven languages) and the coordinators' sign-up inbox."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from activities.models import Activity
from ivplatform.http import StaffRequest, TenantRequest
from ivplatform.middleware import public_page
from people.selectors.people import DuplicateMatch, Probe, find_duplicates
from portal import ical
from portal.forms import MemberFormSet, PortalSettingsForm, SignupDecisionForm, SignupForm
from portal.languages import language_name
from portal.models import Signup, SignupMember
from portal.selectors import (
    feed_activities,
    feed_sessions,
    get_public_activity,
    get_signup_for_user,
    portal_settings_get,
    privacy_notice,
    public_activities,
    public_activities_with_next_sessions,
    public_partner_names,
    public_sessions,
    signups_inbox,
)
from portal.services import (
    MemberData,
    PortalError,
    portal_settings_update,
    signup_accept,
    signup_rate_limited,
    signup_reject,
    signup_submit,
    week_start,
)

UPCOMING_DAYS = 7


@public_page
def home(request: TenantRequest) -> HttpResponse:
    now = timezone.now()
    portal = portal_settings_get()
    context = {
        "portal": portal,
        "intro": portal.intro_in(get_language() or "sv"),
        "sessions": public_sessions(start=now, end=now + dt.timedelta(days=UPCOMING_DAYS)),
        "partners": public_partner_names() if portal.show_partners else [],
    }
    return render(request, "portal/home.html", context)


@public_page
def activity_list(request: TenantRequest) -> HttpResponse:
    return render(
        request, "portal/activity_list.html", {"activities": public_activities_with_next_sessions()}
    )


@public_page
def week(request: TenantRequest) -> HttpResponse:
    try:
        chosen = dt.date.fromisoformat(request.GET.get("week", "")) if request.GET.get("week") else None
    except ValueError:
        chosen = None
    first = week_start(chosen or timezone.localdate())
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    sessions = list(public_sessions(start=start, end=start + dt.timedelta(days=7)))
    days = [
        (
            first + dt.timedelta(days=offset),
            [
                s
                for s in sessions
                if timezone.localtime(s.starts_at).date() == first + dt.timedelta(days=offset)
            ],
        )
        for offset in range(7)
    ]
    context = {
        "days": days,
        "week_first": first,
        "week_last": first + dt.timedelta(days=6),
        "previous_week": first - dt.timedelta(days=7),
        "next_week": first + dt.timedelta(days=7),
        "today": timezone.localdate(),
    }
    return render(request, "portal/week.html", context)


@public_page
def activity_detail(request: TenantRequest, pk: int) -> HttpResponse:
    activity = get_public_activity(pk)
    if activity is None:
        raise Http404
    now = timezone.now()
    sessions = public_sessions(start=now, end=now + dt.timedelta(days=120)).filter(activity=activity)[:8]
    languages = [language_name(code) for code in activity.languages]
    return render(
        request,
        "portal/activity_detail.html",
        {"activity": activity, "sessions": sessions, "languages": languages},
    )


def _feed(activities: list[Activity], name: str) -> HttpResponse:
    # Every session of the activities in the feed: the weekly rule is checked against all of them, and a
    # session missing from the query would otherwise look cancelled.
    sessions = feed_sessions(activities)
    body = ical.calendar_for(activities, sessions, name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    return response


@public_page
def calendar_feed(request: TenantRequest) -> HttpResponse:
    return _feed(list(feed_activities()), request.tenant.name)


@public_page
def activity_calendar_feed(request: TenantRequest, pk: int) -> HttpResponse:
    activity = get_public_activity(pk)
    if activity is None:
        raise Http404
    return _feed([activity], f"{activity.title} · {request.tenant.name}")


def _client_key(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


@public_page
def signup(request: TenantRequest) -> HttpResponse:
    activities = public_activities().order_by("title")
    initial: dict[str, object] = {}
    if request.GET.get("activity", "").isdigit():
        initial["activity"] = int(request.GET["activity"])
        initial["wishes"] = ["activity"]
    form = SignupForm(request.POST or None, activities=activities, initial=initial)
    members = MemberFormSet(request.POST or None, prefix="member")
    if request.method == "POST":
        if form.data.get("website"):
            # A robot filled in the hidden field: answer as if it worked, keep nothing.
            return redirect("portal:signup-thanks")
        if signup_rate_limited(client_key=_client_key(request)):
            form.add_error(
                None, _("Too many sign-ups from this connection. Please try again in an hour, or call us.")
            )
        elif form.is_valid() and members.is_valid():
            others = [
                MemberData(m["first_name"], m.get("birth_year"), list(m.get("wishes") or []))
                for m in members.cleaned_data
                if m.get("first_name")
            ]
            signup_submit(data=form.cleaned_data, others=others, language=get_language() or "sv")
            return redirect("portal:signup-thanks")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "portal/signup.html",
        {"form": form, "members": members, "portal": portal_settings_get()},
        status=status,
    )


@public_page
def signup_thanks(request: TenantRequest) -> HttpResponse:
    return render(request, "portal/signup_thanks.html", {"portal": portal_settings_get()})


@public_page
def privacy(request: TenantRequest) -> HttpResponse:
    return render(
        request, "portal/privacy.html", {"portal": portal_settings_get(), "sections": privacy_notice()}
    )


@role_required(Role.ADMIN, Role.COORDINATOR)
def inbox(request: StaffRequest) -> HttpResponse:
    return render(request, "portal/inbox.html", {"signups": signups_inbox()})


def _possible_duplicates(
    request: StaffRequest, item: Signup
) -> list[tuple[SignupMember, list[DuplicateMatch]]]:
    """Each member of the sign-up who may already be in the register, with the people it resembles."""
    members = list(item.members.all())
    probes = [
        Probe(
            first_name=member.first_name,
            last_name=item.contact_last_name,
            birth_year=member.birth_year,
            phone=item.phone if index == 0 else "",
            email=item.email if index == 0 else "",
        )
        for index, member in enumerate(members)
    ]
    found = find_duplicates(user=request.user, probes=probes)
    return [(members[index], matches) for index, matches in sorted(found.items()) if matches]


@role_required(Role.ADMIN, Role.COORDINATOR)
def inbox_detail(request: StaffRequest, pk: int) -> HttpResponse:
    item = get_signup_for_user(pk)
    context = {
        "signup": item,
        "form": SignupDecisionForm(),
        "duplicates": _possible_duplicates(request, item),
    }
    return render(request, "portal/inbox_detail.html", context)


@require_POST
@role_required(Role.ADMIN, Role.COORDINATOR)
def inbox_accept(request: StaffRequest, pk: int) -> HttpResponse:
    item = get_signup_for_user(pk)
    if _possible_duplicates(request, item) and not request.POST.get("confirm_duplicates"):
        # The same check as when registering by hand: look before a family is registered twice.
        messages.error(
            request,
            _("Some of these people may already be in the register. Check the list, then confirm to accept."),
        )
        return redirect("portal:inbox-detail", pk=item.pk)
    try:
        household = signup_accept(signup_id=item.pk, user=request.user)
    except PortalError as exc:
        messages.error(request, str(exc))
        return redirect("portal:inbox-detail", pk=item.pk)
    messages.success(request, _("%(name)s is now in the register.") % {"name": household.name})
    return redirect("portal:inbox")


@require_POST
@role_required(Role.ADMIN, Role.COORDINATOR)
def inbox_reject(request: StaffRequest, pk: int) -> HttpResponse:
    item = get_signup_for_user(pk)
    form = SignupDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/inbox_detail.html", {"signup": item, "form": form}, status=400)
    try:
        signup_reject(signup_id=item.pk, user=request.user, reason=form.cleaned_data["reason"])
    except PortalError as exc:
        messages.error(request, str(exc))
        return redirect("portal:inbox-detail", pk=item.pk)
    messages.success(request, _("The sign-up was marked as not accepted."))
    return redirect("portal:inbox")


@role_required(Role.ADMIN)
def settings_edit(request: StaffRequest) -> HttpResponse:
    current = portal_settings_get()
    form = PortalSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        portal_settings_update(data=form.cleaned_data)
        messages.success(request, _("The start page was saved."))
        return redirect("portal:settings")
    return render(request, "portal/settings.html", {"form": form}, status=400 if form.errors else 200)
