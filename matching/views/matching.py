"""Matching pages for admins and coordinators. Thin: parse the form, call one service or selector, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.errors import error_on_form
from ivplatform.http import StaffRequest
from matching.choices import MatchKind, MatchStatus
from matching.forms.matching import (
    CheckInDoneForm,
    ContactForm,
    DistrictNeighbourForm,
    FirstMeetingForm,
    MatchActivateForm,
    MatchEndForm,
    MatchRequestForm,
    OptOutForm,
    PersonSearchForm,
    ProposeForm,
    WithdrawForm,
)
from matching.models import Match
from matching.selectors.matching import (
    check_ins_due,
    district_neighbours,
    get_check_in_for_actor,
    get_match_for_actor,
    get_match_request_for_actor,
    household_children_birth_years,
    introduction_blocked,
    is_opted_out,
    match_check_ins,
    match_contacts,
    match_suggestions,
    matches_for_user,
    matches_needing_follow_up,
    matches_of_request,
    matching_opt_out_history,
    open_match_requests,
    people_search,
)
from matching.services.matching import (
    MatchingError,
    check_in_complete,
    district_neighbour_add,
    district_neighbour_remove,
    match_activate,
    match_contact_log,
    match_end,
    match_first_meeting_book,
    match_propose,
    match_request_create,
    match_request_withdraw,
    matching_opt_out_record,
)
from people.choices import PersonGroup
from people.selectors.people import Purpose, get_person_for_actor

if TYPE_CHECKING:
    from people.models import Person

manages_matching = role_required(Role.ADMIN, Role.COORDINATOR)


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


@manages_matching
def matching_home(request: StaffRequest) -> HttpResponse:
    kind = _choice(request.GET.get("kind"), MatchKind.values)
    group = _choice(request.GET.get("group"), PersonGroup.values)
    today = timezone.localdate()
    context = {
        "waiting": open_match_requests(actor=request.user, kind=kind, group=group),
        "kind": kind,
        "group": group,
        "kinds": MatchKind.choices,
        "groups": PersonGroup.choices,
        "check_ins_due": check_ins_due(actor=request.user, today=today),
        "follow_up_count": matches_needing_follow_up(actor=request.user, today=today).count(),
    }
    return render(request, "matching/home.html", context)


def _request_initial(person: Person) -> dict[str, Any]:
    household = person.household
    today = timezone.localdate()
    languages = list(person.languages)
    if household is not None:
        for member in household.members.filter(household_role="adult", erased_at__isnull=True):
            languages.extend(code for code in member.languages if code not in languages)
    return {
        "kind": MatchKind.FRIEND_FAMILY if household is not None else MatchKind.LANGUAGE_FRIEND,
        "for_household": household is not None,
        "languages": ", ".join(languages),
        "interests": ", ".join(person.interests),
        "children_ages": ", ".join(
            str(today.year - year) for year in reversed(household_children_birth_years(household))
        ),
        "district": person.district or (household.district if household is not None else ""),
    }


@manages_matching
def match_request_create_view(request: StaffRequest) -> HttpResponse:
    """Step 1: find the person (or family). Step 2: the request, prefilled from what is known of them."""
    person_id = request.GET.get("person", "")
    if not person_id.isdigit():
        search = PersonSearchForm(request.GET)
        query = search.data.get("q", "")
        results = people_search(actor=request.user, query=query) if search.is_valid() else []
        return render(
            request,
            "matching/request_find.html",
            {"search": search, "query": query, "results": results, "choose_url": request.path},
        )
    person = get_person_for_actor(actor=request.user, pk=int(person_id), purpose=Purpose.MANAGE)
    form = MatchRequestForm(request.POST or None, initial=_request_initial(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            match_request = match_request_create(
                actor=request.user,
                person=person,
                household=person.household if data["for_household"] else None,
                kind=data["kind"],
                languages=data["languages"],
                interests=data["interests"],
                children_ages=data["children_ages"],
                district=data["district"],
                availability=data["availability"],
                preferences=data["preferences"],
                note=data["note"],
            )
        except MatchingError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The request is on the waiting list."))
            return redirect("matching:match-request-detail", match_request.pk)
    return render(
        request,
        "matching/request_form.html",
        {"form": form, "person": person, "opted_out": is_opted_out(person)},
    )


@manages_matching
def match_request_detail(request: StaffRequest, pk: int) -> HttpResponse:
    match_request = get_match_request_for_actor(actor=request.user, pk=pk)
    suggestions = match_suggestions(match_request.pk, 10) if match_request.is_open else []
    return render(
        request,
        "matching/request_detail.html",
        {
            "match_request": match_request,
            "suggestions": suggestions,
            "blocked": match_request.is_open and introduction_blocked(match_request),
            "matches": matches_of_request(match_request),
            "propose_form": ProposeForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


@require_POST
@manages_matching
def match_request_propose(request: StaffRequest, pk: int, candidate_pk: int) -> HttpResponse:
    match_request = get_match_request_for_actor(actor=request.user, pk=pk)
    candidate = get_match_request_for_actor(actor=request.user, pk=candidate_pk)
    form = ProposeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        match = match_propose(actor=request.user, match_request=match_request, candidate=candidate, note=note)
    except MatchingError as error:
        messages.error(request, str(error))
        return redirect("matching:match-request-detail", match_request.pk)
    messages.success(request, _("The match is proposed. Book the first meeting."))
    return redirect("matching:match-detail", match.pk)


@require_POST
@manages_matching
def match_request_withdraw_view(request: StaffRequest, pk: int) -> HttpResponse:
    match_request = get_match_request_for_actor(actor=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the request is withdrawn."))
        return redirect("matching:match-request-detail", match_request.pk)
    try:
        match_request_withdraw(
            actor=request.user, match_request=match_request, reason=form.cleaned_data["reason"]
        )
    except MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("matching:match-request-detail", match_request.pk)


@manages_matching
def matching_opt_out(request: StaffRequest, person_id: int) -> HttpResponse:
    person = get_person_for_actor(actor=request.user, pk=person_id, purpose=Purpose.MANAGE)
    form = OptOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdrawn = matching_opt_out_record(
            actor=request.user,
            person=person,
            opted_out=form.cleaned_data["opted_out"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The decision is recorded."))
        if withdrawn:
            messages.info(request, _("Their waiting requests were withdrawn."))
        return redirect("matching:matching-opt-out", person.pk)
    history = matching_opt_out_history(actor=request.user, person=person)
    return render(
        request,
        "matching/opt_out.html",
        {"person": person, "form": form, "history": history, "opted_out": is_opted_out(person)},
    )


@manages_matching
def match_list(request: StaffRequest) -> HttpResponse:
    status = _choice(request.GET.get("status"), MatchStatus.values)
    return render(
        request,
        "matching/match_list.html",
        {
            "matches": matches_for_user(actor=request.user, status=status),
            "status": status,
            "statuses": MatchStatus.choices,
        },
    )


def _match_page(request: StaffRequest, match: Match, **bound: Any) -> HttpResponse:
    """The match page; ``bound`` replaces a blank form with one showing its errors."""
    context: dict[str, Any] = {
        "match": match,
        "contacts": match_contacts(match),
        "check_ins": match_check_ins(actor=request.user, match=match),
        "activate_form": MatchActivateForm(),
        "end_form": MatchEndForm(),
        "meeting_form": FirstMeetingForm(
            initial={
                "at": match.first_meeting_at and timezone.localtime(match.first_meeting_at),
                "place": match.first_meeting_place,
            }
        ),
        "contact_form": ContactForm(),
        "check_in_form": CheckInDoneForm(),
        "sides": [
            (_("Newcomer"), match.newcomer_request),
            (_("Established"), match.established_request),
        ],
    }
    context.update(bound)
    return render(request, "matching/match_detail.html", context)


@manages_matching
def match_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _match_page(request, get_match_for_actor(actor=request.user, pk=pk))


def _done(request: StaffRequest, match: Match, message: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return redirect("matching:match-detail", match.pk)


@require_POST
@manages_matching
def match_activate_view(request: StaffRequest, pk: int) -> HttpResponse:
    match = get_match_for_actor(actor=request.user, pk=pk)
    form = MatchActivateForm(request.POST)
    if form.is_valid():
        try:
            match_activate(actor=request.user, match=match, started_on=form.cleaned_data["started_on"])
        except MatchingError as error:
            error_on_form(form, error)
        else:
            return _done(
                request, match, _("The match is active. Check-ins are planned at 1, 3 and 6 months.")
            )
    return _match_page(request, match, activate_form=form)


@require_POST
@manages_matching
def match_end_view(request: StaffRequest, pk: int) -> HttpResponse:
    match = get_match_for_actor(actor=request.user, pk=pk)
    form = MatchEndForm(request.POST)
    if form.is_valid():
        try:
            match_end(
                actor=request.user,
                match=match,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                ended_on=form.cleaned_data["ended_on"],
            )
        except MatchingError as error:
            error_on_form(form, error)
        else:
            return _done(request, match, _("The match has ended."))
    return _match_page(request, match, end_form=form)


@require_POST
@manages_matching
def match_meeting_view(request: StaffRequest, pk: int) -> HttpResponse:
    match = get_match_for_actor(actor=request.user, pk=pk)
    form = FirstMeetingForm(request.POST)
    if form.is_valid():
        try:
            match_first_meeting_book(
                actor=request.user, match=match, at=form.cleaned_data["at"], place=form.cleaned_data["place"]
            )
        except MatchingError as error:
            error_on_form(form, error)
        else:
            return _done(request, match, _("The first meeting is booked."))
    return _match_page(request, match, meeting_form=form)


@require_POST
@manages_matching
def match_contact_view(request: StaffRequest, pk: int) -> HttpResponse:
    match = get_match_for_actor(actor=request.user, pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            match_contact_log(
                actor=request.user,
                match=match,
                kind=form.cleaned_data["kind"],
                happened_on=form.cleaned_data["happened_on"],
                note=form.cleaned_data["note"],
            )
        except MatchingError as error:
            error_on_form(form, error)
        else:
            return _done(request, match, _("The contact is logged."))
    return _match_page(request, match, contact_form=form)


@require_POST
@manages_matching
def check_in_done_view(request: StaffRequest, pk: int, check_in_pk: int) -> HttpResponse:
    match = get_match_for_actor(actor=request.user, pk=pk)
    check_in = get_check_in_for_actor(actor=request.user, match=match, pk=check_in_pk)
    form = CheckInDoneForm(request.POST)
    if form.is_valid():
        try:
            check_in_complete(actor=request.user, check_in=check_in, note=form.cleaned_data["note"])
        except MatchingError as error:
            error_on_form(form, error)
        else:
            return _done(request, match, _("The check-in is noted."))
    return _match_page(request, match, check_in_form=form, failed_check_in=check_in.pk)


@manages_matching
def follow_up_list(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "matching/follow_up.html",
        {"matches": matches_needing_follow_up(actor=request.user, today=today), "today": today},
    )


@manages_matching
def district_neighbour_list(request: StaffRequest) -> HttpResponse:
    form = DistrictNeighbourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            district_neighbour_add(
                actor=request.user,
                district=form.cleaned_data["district"],
                neighbour=form.cleaned_data["neighbour"],
            )
        except MatchingError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The districts are marked as near each other."))
            return redirect("matching:district-neighbours")
    return render(
        request,
        "matching/districts.html",
        {"form": form, "pairs": district_neighbours(actor=request.user)},
    )


@require_POST
@manages_matching
def district_neighbour_remove_view(request: StaffRequest, pk: int) -> HttpResponse:
    pair = get_object_or_404(district_neighbours(actor=request.user), pk=pk)
    district_neighbour_remove(actor=request.user, pair=pair)
    messages.success(request, _("The districts are no longer marked as near."))
    return redirect(reverse("matching:district-neighbours"))
