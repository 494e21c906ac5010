from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from tenants.models import Domain, Municipality


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "schema_name", "kind", "county", "status", "created")
    list_filter = ("kind", "status", "county")
    search_fields = ("name", "schema_name", "contact_email")
    inlines = [DomainInline]
