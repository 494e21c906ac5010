"""URLs on a tenant's host: a municipality's or the association's."""

from django.urls import include, path, re_path

from api.errors import api_not_found

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("", include("portal.urls")),
    path("", include("api.urls")),
    path("staff/billing/", include("billing.urls")),
    path("", include("donations.urls")),
    path("staff/users/", include("accounts.staff_urls")),
    path("staff/audit/", include("accounts.audit_urls")),
    path("", include("home.urls")),
    path("", include("people.urls")),
    path("", include("partners.urls")),
    path("", include("activities.urls")),
    path("", include("matching.urls")),
    path("", include("privacy.urls")),
    path("", include("tenants.urls_tenant")),
    path("", include("stats.urls")),
    # Last: any other /api/ address answers in the API's error shape.
    re_path(r"^api/(?:.*/)?$", api_not_found, name="api-not-found"),
]

handler400 = "ivplatform.views.bad_request"
handler404 = "ivplatform.views.page_not_found"
handler403 = "ivplatform.views.permission_denied"
handler500 = "ivplatform.views.server_error"
