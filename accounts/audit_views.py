from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import role_required
from accounts.audit_forms import AuditFilterForm
from accounts.roles import Role
from accounts.selectors import audit_entries_for_admin, users_for_admin
from audit.selectors import AuditFilters, audit_object_types, object_type_label
from core.exports import Column, export_response, parse_format
from ivplatform.http import StaffRequest

if TYPE_CHECKING:
    from audit.models import AuditEntry

PAGE_SIZE = 50


def _filtered(request: StaffRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    """The search form and the entries it finds: the page and its download show the same entries."""
    form = AuditFilterForm(
        request.GET or None, actors=users_for_admin(actor=request.user), obj_types=audit_object_types()
    )
    if form.is_bound and not form.is_valid():
        return form, audit_entries_for_admin(actor=request.user).none()
    filters = form.filters() if form.is_bound else AuditFilters()
    return form, audit_entries_for_admin(actor=request.user, filters=filters)


@role_required(Role.ADMIN)
def audit_log(request: StaffRequest) -> HttpResponse:
    """The admin's search over who viewed, changed, exported or erased personal data."""
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.type_label = object_type_label(entry.obj_type)  # type: ignore[attr-defined]
    return render(request, "audit/entry_list.html", {"form": form, "page": page})


AUDIT_COLUMNS: list[Column[AuditEntry]] = [
    Column(gettext_lazy("When"), lambda e: e.at),
    Column(gettext_lazy("Who"), lambda e: str(e.actor) if e.actor else _("The platform")),
    Column(gettext_lazy("Action"), lambda e: e.get_action_display()),
    Column(gettext_lazy("Object"), lambda e: object_type_label(e.obj_type)),
    Column(gettext_lazy("Object id"), lambda e: e.obj_id),
    # Summaries are fixed phrases marked with gettext_noop: shown translated, as on the page.
    Column(gettext_lazy("Summary"), lambda e: _(e.summary) if e.summary else ""),
]


@role_required(Role.ADMIN)
def audit_export(request: StaffRequest) -> HttpResponse:
    """The entries the search finds as CSV or XLSX, for a supervisory authority or the network's records."""
    fmt = parse_format(request.GET.get("format"))
    if fmt is None:
        raise Http404
    _form, entries = _filtered(request)
    return export_response(rows=entries, columns=AUDIT_COLUMNS, name=_("audit log"), fmt=fmt)
