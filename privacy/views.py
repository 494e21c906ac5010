"""Staff pages for the rights of the person (export, erasure, consent withdrawal) and retention."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import MANAGERS, Role
from ivplatform.http import StaffRequest
from people.models import ConsentPurpose, Person
from people.selectors.people import get_person_for_user
from privacy import services
from privacy.selectors import (
    get_person_for_privacy,
    people_passing_retention_soon,
    person_record,
    retention_keeps_in_force,
    retention_months,
)
from privacy.services import ERASE_CONFIRMATION_WORD, MAX_KEEP_REASON, PrivacyError


class EraseForm(forms.Form):
    confirmation = forms.CharField(label=gettext_lazy("Confirmation"), max_length=40)


class RetentionSettingForm(forms.Form):
    months = forms.IntegerField(label=gettext_lazy("Months without activity"), min_value=1, max_value=120)


class KeepForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for keeping"), max_length=MAX_KEEP_REASON)


def _add_error(form: forms.Form, error: PrivacyError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(*MANAGERS)
def person_privacy_export(request: StaffRequest, pk: int) -> HttpResponse:
    """Everything held about a person: a print-friendly page, or ``?format=json`` as a download."""
    person = get_person_for_privacy(actor=request.user, pk=pk)
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "json"):
        raise Http404
    if fmt == "json":
        record = person_record(person=person)
        response = HttpResponse(
            services.person_export_json(actor=request.user, record=record),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="person-{person.pk}-{stamp}.json"'
        return response
    # Recorded first, so the page's own audit trail shows this view too.
    services.person_export_viewed(actor=request.user, person=person)
    record = person_record(person=person)
    return render(
        request,
        "privacy/person_export.html",
        {"record": record, "person": record.person, "generated_at": timezone.now()},
    )


@role_required(Role.ADMIN)
def person_erase(request: StaffRequest, pk: int) -> HttpResponse:
    person = get_person_for_privacy(actor=request.user, pk=pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(
                actor=request.user, person=person, confirmation=form.cleaned_data["confirmation"]
            )
        except PrivacyError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("The person is anonymised. Their attendance still counts in statistics.")
            )
            return redirect("people:person-list")
    return render(
        request,
        "privacy/person_erase.html",
        {"person": person, "form": form, "word": ERASE_CONFIRMATION_WORD},
    )


@require_POST
@role_required(Role.ADMIN, Role.COORDINATOR)
def consent_withdraw(request: StaffRequest, pk: int, purpose: str) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    if purpose not in ConsentPurpose.values:
        raise Http404
    services.consent_withdraw(actor=request.user, person=person, purpose=purpose)
    messages.success(
        request,
        _("Consent withdrawn: %(purpose)s. It takes effect at once.")
        % {"purpose": ConsentPurpose(purpose).label},
    )
    return redirect("people:person-detail", pk=person.pk)


@role_required(Role.ADMIN)
def retention(request: StaffRequest) -> HttpResponse:
    """The retention period, next month's list with a keep action, and the people kept."""
    form = RetentionSettingForm(request.POST or None, initial={"months": retention_months()})
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_setting_update(actor=request.user, months=form.cleaned_data["months"])
        except PrivacyError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("privacy:privacy-retention")
    return render(
        request,
        "privacy/retention.html",
        {
            "form": form,
            "months": retention_months(),
            "due": list(people_passing_retention_soon(actor=request.user)),
            "kept": list(retention_keeps_in_force(actor=request.user)),
            "keep_form": KeepForm(),
        },
    )


@role_required(Role.ADMIN)
def retention_keep(request: StaffRequest, pk: int) -> HttpResponse:
    person: Person = get_person_for_privacy(actor=request.user, pk=pk)
    form = KeepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_keep(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except PrivacyError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(name)s is kept.") % {"name": person.full_name})
            return redirect("privacy:privacy-retention")
    return render(request, "privacy/retention_keep.html", {"person": person, "form": form})
