from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import role_required
from accounts.audit_forms import AuditFilterForm
from accounts.roles import Role
from accounts.selectors import audit_entries_for_admin, users_for_admin
from audit.selectors import AuditFilters, audit_object_types, object_type_label
from ivplatform.http import StaffRequest

PAGE_SIZE = 50


@role_required(Role.ADMIN)
def audit_log(request: StaffRequest) -> HttpResponse:
    """The admin's search over who viewed, changed, exported or erased personal data."""
    form = AuditFilterForm(
        request.GET or None, actors=users_for_admin(actor=request.user), obj_types=audit_object_types()
    )
    if form.is_bound and not form.is_valid():
        entries = audit_entries_for_admin(actor=request.user).none()
    else:
        filters = form.filters() if form.is_bound else AuditFilters()
        entries = audit_entries_for_admin(actor=request.user, filters=filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.type_label = object_type_label(entry.obj_type)  # type: ignore[attr-defined]
    return render(request, "audit/entry_list.html", {"form": form, "page": page})
