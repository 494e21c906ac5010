"""URLs on the platform's public host (BASE_DOMAIN itself)."""

from django.contrib import admin
from django.urls import include, path, re_path

from accounts import views as account_views
from api.errors import api_not_found
from ivplatform import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("billing/", include("billing.urls_public")),
    # Operators sign in through Django admin (also as `accounts:login`, where a page asks for a login),
    # pass the same two-factor step as tenant admins, and sign out through the shared header's form.
    path(
        "accounts/",
        include(
            (
                [
                    path("login/", admin.site.login, name="login"),
                    path("logout/", account_views.LogoutView.as_view(next_page="landing"), name="logout"),
                    path("two-factor/verify/", account_views.two_factor_verify, name="two-factor-verify"),
                    path("two-factor/setup/", account_views.two_factor_setup, name="two-factor-setup"),
                ],
                "accounts",
            )
        ),
    ),
    path("", include("tenants.urls_public")),
    # The API lives on tenant hosts; here every /api/ address answers the API's 404.
    re_path(r"^api/(?:.*/)?$", api_not_found, name="api-not-found"),
]

handler400 = "ivplatform.views.bad_request"
handler404 = "ivplatform.views.page_not_found"
handler403 = "ivplatform.views.permission_denied"
handler500 = "ivplatform.views.server_error"
