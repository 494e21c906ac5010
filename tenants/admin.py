"""Operators' admin on the public host: spaces (suspend, archive, delete after archive), sign-ups
(list, provision), and the platform's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.admin import TenantAdminMixin

from tenants.models import (
    CLAIMING_STATUSES,
    ApplicationStatus,
    Domain,
    Municipality,
    OnboardingApplication,
    PlatformSettings,
    TenantStatus,
)
from tenants.onboarding import OnboardingError, application_provision
from tenants.services import TenantError, tenant_archive, tenant_delete, tenant_suspend, tenant_unsuspend


class DomainInline(admin.TabularInline[Domain, Municipality]):
    model = Domain
    extra = 0


class DeleteArchivedForm(forms.Form):
    confirmation = forms.CharField(label=gettext_lazy("Type the address to confirm"), max_length=63)


def _each(request: HttpRequest, tenants: QuerySet[Municipality], service: Any, done: str) -> None:
    for tenant in tenants:
        try:
            service(slug=tenant.schema_name)
        except TenantError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done % {"slug": tenant.schema_name})


@admin.register(Municipality)
class MunicipalityAdmin(TenantAdminMixin, admin.ModelAdmin[Municipality]):
    list_display = ("name", "schema_name", "kind", "county", "municipality_code", "status", "created")
    list_filter = ("kind", "status", "county")
    search_fields = ("name", "schema_name", "contact_email", "municipality_code")
    inlines = [DomainInline]
    readonly_fields = ("delete_link",)
    actions = ("suspend", "unsuspend", "archive")

    def has_delete_permission(self, request: HttpRequest, obj: Municipality | None = None) -> bool:
        # Deleting a space goes through "archive" first and then the typed confirmation below.
        return False

    @admin.display(description=gettext_lazy("Delete"))
    def delete_link(self, obj: Municipality) -> str:
        if obj.pk is None or obj.status != TenantStatus.ARCHIVED:
            return _("Archive the space first; an archived space can be deleted here.")
        url = reverse("admin:tenants_municipality_delete_archived", args=[obj.pk])
        return format_html('<a class="deletelink" href="{}">{}</a>', url, _("Delete this archived space…"))

    @admin.action(description=gettext_lazy("Suspend the selected spaces (read-only)"))
    def suspend(self, request: HttpRequest, queryset: QuerySet[Municipality]) -> None:
        _each(request, queryset, tenant_suspend, _("Suspended %(slug)s."))

    @admin.action(description=gettext_lazy("Lift the suspension of the selected spaces"))
    def unsuspend(self, request: HttpRequest, queryset: QuerySet[Municipality]) -> None:
        _each(request, queryset, tenant_unsuspend, _("%(slug)s is active again."))

    @admin.action(description=gettext_lazy("Archive the selected spaces (data kept, address closed)"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Municipality]) -> None:
        _each(request, queryset, tenant_archive, _("Archived %(slug)s: its data is kept."))

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "<int:pk>/delete-archived/",
                self.admin_site.admin_view(self.delete_archived_view),
                name="tenants_municipality_delete_archived",
            )
        ]
        return extra + super().get_urls()

    def delete_archived_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        tenant = get_object_or_404(Municipality, pk=pk)
        if not self.has_change_permission(request, tenant):
            raise PermissionError
        form = DeleteArchivedForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                tenant_delete(slug=tenant.schema_name, confirmation=form.cleaned_data["confirmation"])
            except TenantError as exc:
                form.add_error("confirmation", str(exc))
            else:
                messages.success(request, _("Deleted %(slug)s for good.") % {"slug": tenant.schema_name})
                return HttpResponseRedirect(reverse("admin:tenants_municipality_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Delete %(name)s for good") % {"name": tenant.name},
            "tenant": tenant,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "tenants/admin/delete_archived.html", context)


@admin.register(OnboardingApplication)
class OnboardingApplicationAdmin(admin.ModelAdmin[OnboardingApplication]):
    list_display = (
        "municipality_name",
        "slug",
        "status",
        "step",
        "contact_email",
        "created_at",
        "confirmed_at",
        "ready_at",
        "seconds_to_ready",
    )
    list_filter = ("status", "county")
    search_fields = ("municipality_name", "slug", "contact_email", "organisation")
    actions = ("provision",)

    def get_readonly_fields(
        self, request: HttpRequest, obj: OnboardingApplication | None = None
    ) -> list[str]:
        # Sign-ups change only through their services (confirm, approve, provision): never by hand here.
        return [field.name for field in self.model._meta.fields] + ["seconds_to_ready"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OnboardingApplication | None = None) -> bool:
        # Only sign-ups that hold no claim: a claimed one is the record of a space.
        return obj is None or obj.status not in CLAIMING_STATUSES

    @admin.display(description=gettext_lazy("seconds to ready"))
    def seconds_to_ready(self, obj: OnboardingApplication) -> str:
        seconds = obj.seconds_to_ready
        return "–" if seconds is None else f"{seconds:.2f}"

    @admin.action(description=gettext_lazy("Provision now (or try a failed setup again)"))
    def provision(self, request: HttpRequest, queryset: QuerySet[OnboardingApplication]) -> None:
        for application in queryset:
            if application.status not in {ApplicationStatus.QUEUED, ApplicationStatus.FAILED}:
                messages.warning(
                    request,
                    _("%(name)s was skipped: it is %(status)s.")
                    % {"name": application, "status": application.get_status_display().lower()},
                )
                continue
            try:
                application_provision(application_id=application.pk)
            except OnboardingError as exc:
                messages.error(request, f"{application}: {exc.message}")
            else:
                messages.success(request, _("%(name)s is ready.") % {"name": application})


@admin.register(PlatformSettings)
class PlatformSettingsAdmin(admin.ModelAdmin[PlatformSettings]):
    list_display = ("__str__", "approval_required")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PlatformSettings | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # One row: go straight to it.
        row, _created = PlatformSettings.objects.get_or_create(pk=1)
        return redirect("admin:tenants_platformsettings_change", row.pk)
