"""Staff pages for partners: list, detail, create and edit with contact people, export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import role_required
from accounts.roles import MANAGERS
from core.errors import error_on_form
from core.exports import Column, export_response, parse_format
from ivplatform.http import StaffRequest
from partners.forms import BaseContactFormSet, PartnerFilterForm, PartnerForm, contact_formset
from partners.models import Partner
from partners.selectors import get_partner_for_actor, partner_page, partners_list
from partners.services import PartnerError, partner_create, partner_update

PAGE_SIZE = 50


@role_required(*MANAGERS)
def partner_list(request: StaffRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET or None)
    partners = partners_list(actor=request.user, filters=form.to_filter())
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/partner_list.html", {"form": form, "page": page})


PARTNER_COLUMNS: list[Column[Partner]] = [
    Column(gettext_lazy("Name"), lambda p: p.name),
    Column(gettext_lazy("Kind"), lambda p: p.get_kind_display()),
    Column(gettext_lazy("Phone"), lambda p: p.phone),
    Column(gettext_lazy("E-mail"), lambda p: p.email),
    Column(gettext_lazy("Website"), lambda p: p.website),
    Column(gettext_lazy("Active"), lambda p: p.is_active),
    Column(
        gettext_lazy("Contact people"),
        lambda p: "; ".join(
            ", ".join(part for part in (c.name, c.title, c.phone, c.email) if part) for c in p.contacts.all()
        ),
    ),
    Column(gettext_lazy("Description"), lambda p: p.description),
]


@role_required(*MANAGERS)
def partner_export(request: StaffRequest) -> HttpResponse:
    fmt = parse_format(request.GET.get("format"))
    if fmt is None:
        raise Http404
    partners = partners_list(actor=request.user, filters=PartnerFilterForm(request.GET).to_filter())
    return export_response(rows=partners, columns=PARTNER_COLUMNS, name=_("partners"), fmt=fmt)


@role_required(*MANAGERS)
def partner_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return render(
        request, "partners/partner_detail.html", {"partner": partner_page(actor=request.user, pk=pk)}
    )


def _show_error(form: PartnerForm, contacts: BaseContactFormSet, error: PartnerError) -> None:
    if error.index is not None:
        rows = [f for f in contacts.forms if f.has_changed() or f.cleaned_data.get("id")]
        target = rows[error.index]
        target.add_error(error.field if error.field in target.fields else None, error.message)
        form.add_error(None, _("Check the marked contact person."))
    else:
        error_on_form(form, error)


@role_required(*MANAGERS)
def partner_create_view(request: StaffRequest) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    form = PartnerForm(post)
    contacts = contact_formset(data=post)
    if post is not None and form.is_valid() and contacts.is_valid():
        try:
            partner = partner_create(
                actor=request.user, data=form.partner_input(), contacts=contacts.contact_inputs()
            )
        except PartnerError as error:
            _show_error(form, contacts, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": partner.name})
            return redirect("partners:partner-detail", pk=partner.pk)
    return render(
        request, "partners/partner_form.html", {"form": form, "contacts": contacts, "partner": None}
    )


@role_required(*MANAGERS)
def partner_edit(request: StaffRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_actor(actor=request.user, pk=pk)
    post = request.POST if request.method == "POST" else None
    form = PartnerForm(post, instance=partner)
    contacts = contact_formset(data=post, partner=partner)
    if post is not None and form.is_valid() and contacts.is_valid():
        try:
            partner_update(
                actor=request.user,
                partner=partner,
                data=form.partner_input(),
                contacts=contacts.contact_inputs(),
            )
        except PartnerError as error:
            _show_error(form, contacts, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("partners:partner-detail", pk=partner.pk)
    return render(
        request, "partners/partner_form.html", {"form": form, "contacts": contacts, "partner": partner}
    )
