"""URLs on the platform's public host (BASE_DOMAIN itself)."""

from django.contrib import admin
from django.urls import include, path, re_path

from accounts.views import LogoutView
from api.errors import api_not_found
from ivplatform import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("billing/", include("billing.urls_public")),
    # Operators sign out through the shared header's form, which needs `accounts:logout` on this host too.
    path(
        "accounts/",
        include(([path("logout/", LogoutView.as_view(next_page="landing"), name="logout")], "accounts")),
    ),
    path("", include("tenants.urls_public")),
    # The API lives on tenant hosts; here every /api/ address answers the API's 404.
    re_path(r"^api/(?:.*/)?$", api_not_found, name="api-not-found"),
]

handler400 = "ivplatform.views.bad_request"
handler404 = "ivplatform.views.page_not_found"
handler403 = "ivplatform.views.permission_denied"
handler500 = "ivplatform.views.server_error"
