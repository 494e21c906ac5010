"""Staff pages for people and households: lists, detail pages, forms, family registration, exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import MANAGERS, STAFF
from core.exports import Column, export_response, parse_format
from core.languages import language_name
from core.text import clean_text
from ivplatform.http import StaffRequest
from people.forms.people import (
    MAX_MEMBERS,
    FamilyForm,
    HouseholdFilterForm,
    HouseholdForm,
    PeopleFilterForm,
    PersonForm,
    filled_members,
    member_formset,
)
from people.models import Household, Person
from people.selectors.people import (
    DuplicateMatch,
    PeopleFilter,
    Purpose,
    consent_rows,
    districts_in_use,
    get_household_for_actor,
    get_person_for_actor,
    household_page,
    household_page_extras,
    households_list,
    people_list,
    person_page,
    sees_register,
)
from people.services import people as services
from people.services.people import DuplicatePeopleError, MemberInput, PeopleError
from people.templatetags.people_tags import age_band

PAGE_SIZE = 50


def add_service_error(form: forms.BaseForm, error: PeopleError) -> None:
    """Show a service's refusal next to the field it is about, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _int_param(value: str | None, *, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        raise Http404 from None


# --- People -------------------------------------------------------------------------------------------


@role_required(*STAFF)
def person_list(request: StaffRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None, districts=districts_in_use())
    people = people_list(actor=request.user, filters=form.to_filter())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page": page, "can_edit": sees_register(request.user)},
    )


def person_columns(*, full: bool) -> list[Column[Person]]:
    """Columns of the people export. Volunteers get fewer: nothing beyond what their lists show."""
    columns: list[Column[Person]] = [
        Column(gettext_lazy("First name"), lambda p: p.first_name),
        Column(gettext_lazy("Last name"), lambda p: p.last_name),
        Column(gettext_lazy("Birth year"), lambda p: p.birth_year),
        Column(gettext_lazy("Age band"), age_band),
        Column(gettext_lazy("Gender"), lambda p: p.get_gender_display()),
        Column(gettext_lazy("Group"), lambda p: p.get_group_display()),
        Column(gettext_lazy("Languages"), lambda p: ", ".join(language_name(c) for c in p.languages)),
        Column(gettext_lazy("Phone"), lambda p: p.phone),
        Column(gettext_lazy("E-mail"), lambda p: p.email),
        Column(gettext_lazy("Household"), lambda p: p.household.name if p.household else ""),
    ]
    if full:
        columns += [
            Column(gettext_lazy("Birth date"), lambda p: p.birth_date),
            Column(gettext_lazy("Year of arrival in Sweden"), lambda p: p.arrival_year),
            Column(gettext_lazy("Role in household"), lambda p: p.get_household_role_display()),
            Column(gettext_lazy("District"), lambda p: p.district),
            Column(gettext_lazy("Interests"), lambda p: ", ".join(p.interests)),
            Column(gettext_lazy("Volunteer"), lambda p: p.is_volunteer),
            Column(gettext_lazy("Notes"), lambda p: p.notes),
            Column(gettext_lazy("Registered"), lambda p: p.created_at),
        ]
    return columns


@role_required(*STAFF)
def person_export(request: StaffRequest) -> HttpResponse:
    fmt = parse_format(request.GET.get("format"))
    if fmt is None:
        raise Http404
    form = PeopleFilterForm(request.GET, districts=districts_in_use())
    # Purpose.EXPORT: protected identities never leave the system, whoever asks.
    people = people_list(actor=request.user, filters=form.to_filter(), purpose=Purpose.EXPORT)
    columns = person_columns(full=sees_register(request.user))
    return export_response(rows=people, columns=columns, name=_("people"), fmt=fmt)


@role_required(*STAFF)
def person_detail(request: StaffRequest, pk: int) -> HttpResponse:
    person = person_page(actor=request.user, pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "consents": consent_rows(person),
            "can_edit": sees_register(request.user),
            "today": timezone.localdate(),
        },
    )


@role_required(*MANAGERS)
def person_create(request: StaffRequest) -> HttpResponse:
    household_id = _int_param(request.GET.get("household") or request.POST.get("household"))
    household = get_household_for_actor(actor=request.user, pk=household_id) if household_id else None
    initial: dict[str, Any] = {}
    if household is not None:
        initial = {"last_name": household.name, "district": household.district}
    form = PersonForm(request.POST or None, initial=initial)
    duplicates: list[DuplicateMatch] = []
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                data=form.person_input(),
                consents=form.consent_input(),
                household=household,
                allow_duplicates=form.cleaned_data["confirm_duplicates"],
            )
        except DuplicatePeopleError as error:
            duplicates = error.matches.get(0, [])
            form.add_error(None, error.message)
        except PeopleError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("people:person-detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "household": household, "duplicates": duplicates, "person": None},
    )


@role_required(*MANAGERS)
def person_edit(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_person_for_actor(actor=request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user, person=person, data=form.person_input(), consents=form.consent_input()
            )
        except PeopleError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:person-detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "household": person.household, "duplicates": [], "person": person},
    )


@require_POST
@role_required(*MANAGERS)
def person_leave_household(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_person_for_actor(actor=request.user, pk=pk)
    household = person.household
    services.household_member_remove(actor=request.user, person=person)
    if household is not None:
        messages.success(
            request,
            _("%(name)s no longer belongs to %(household)s.")
            % {"name": person.full_name, "household": household},
        )
    return redirect("people:person-detail", pk=person.pk)


# --- Households ---------------------------------------------------------------------------------------


@role_required(*STAFF)
def household_list(request: StaffRequest) -> HttpResponse:
    form = HouseholdFilterForm(request.GET or None, districts=districts_in_use())
    households = households_list(user=request.user, filters=form.to_filter())
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/household_list.html",
        {"form": form, "page": page, "can_edit": sees_register(request.user)},
    )


def household_columns(*, full: bool) -> list[Column[Household]]:
    columns: list[Column[Household]] = [
        Column(gettext_lazy("Family name"), lambda h: h.name),
        Column(gettext_lazy("District"), lambda h: h.district),
        Column(gettext_lazy("Members"), lambda h: h.member_count),  # type: ignore[attr-defined]
        Column(
            gettext_lazy("Names"),
            lambda h: ", ".join(m.full_name for m in h.members.all()),
        ),
    ]
    if full:
        columns += [
            Column(gettext_lazy("Notes"), lambda h: h.notes),
            Column(gettext_lazy("Registered"), lambda h: h.created_at),
        ]
    return columns


@role_required(*STAFF)
def household_export(request: StaffRequest) -> HttpResponse:
    fmt = parse_format(request.GET.get("format"))
    if fmt is None:
        raise Http404
    form = HouseholdFilterForm(request.GET, districts=districts_in_use())
    households = households_list(user=request.user, filters=form.to_filter(), purpose=Purpose.EXPORT)
    columns = household_columns(full=sees_register(request.user))
    return export_response(rows=households, columns=columns, name=_("households"), fmt=fmt)


@role_required(*STAFF)
def household_detail(request: StaffRequest, pk: int) -> HttpResponse:
    household = household_page(actor=request.user, pk=pk)
    members = household.visible_members  # type: ignore[attr-defined]
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": [(member, consent_rows(member)) for member in members],
            "can_edit": sees_register(request.user),
            # What the apps above add (people.extensions): matching adds each member's pathway.
            **household_page_extras(household=household, actor=request.user),
        },
    )


@role_required(*MANAGERS)
def household_create(request: StaffRequest) -> HttpResponse:
    """Register a family in one form: the household and every member, all saved or none."""
    rows = _int_param(request.GET.get("members"), default=2) or 2
    rows = max(1, min(rows, MAX_MEMBERS))
    post = request.POST if request.method == "POST" else None
    family = FamilyForm(post)
    members = member_formset(data=post, rows=rows)
    duplicates: list[tuple[str, list[DuplicateMatch]]] = []
    if post is not None and family.is_valid() and members.is_valid():
        filled = filled_members(members)
        try:
            household = services.family_register(
                actor=request.user,
                household=family.household_input(),
                members=[MemberInput(form.person_input(family), form.consent_input()) for form in filled],
                allow_duplicates=family.cleaned_data["confirm_duplicates"],
            )
        except DuplicatePeopleError as error:
            family.add_error(None, error.message)
            duplicates = [
                (
                    f"{filled[index].cleaned_data['first_name']} {filled[index].cleaned_data.get('last_name') or ''}".strip(),
                    found,
                )
                for index, found in sorted(error.matches.items())
            ]
        except PeopleError as error:
            if error.index is not None:
                add_service_error(filled[error.index], error)
                family.add_error(None, _("Check the marked member."))
            else:
                add_service_error(family, error)
        else:
            count = household.members.count()
            messages.success(
                request,
                _("The family %(name)s is registered with %(count)s members.")
                % {"name": household.name, "count": count},
            )
            return redirect("people:household-detail", pk=household.pk)
    return render(
        request,
        "people/household_create.html",
        {
            "family": family,
            "members": members,
            "duplicates": duplicates,
            "rows": rows,
            "max_rows": MAX_MEMBERS,
        },
    )


@role_required(*MANAGERS)
def household_edit(request: StaffRequest, pk: int) -> HttpResponse:
    household = get_household_for_actor(actor=request.user, pk=pk)
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, household=household, data=form.household_input())
        except PeopleError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:household-detail", pk=household.pk)
    return render(request, "people/household_form.html", {"form": form, "household": household})


@role_required(*MANAGERS)
def household_add_member(request: StaffRequest, pk: int) -> HttpResponse:
    """Find a registered person and add them to this household."""
    household = get_household_for_actor(actor=request.user, pk=pk)
    if request.method == "POST":
        person = get_person_for_actor(actor=request.user, pk=_int_param(request.POST.get("person")) or 0)
        services.household_member_add(actor=request.user, household=household, person=person)
        messages.success(
            request,
            _("%(name)s now belongs to %(household)s.") % {"name": person.full_name, "household": household},
        )
        return redirect("people:household-detail", pk=household.pk)
    # Typed into the address bar as well as the search box: no NUL or other control character reaches the query.
    query = clean_text(request.GET.get("q", ""), multiline=False).strip()[:100]
    found: list[Person] = []
    if query:
        found = list(
            people_list(actor=request.user, filters=PeopleFilter(q=query)).exclude(household=household)[:20]
        )
    return render(
        request,
        "people/household_add_member.html",
        {"household": household, "query": query, "found": found},
    )
