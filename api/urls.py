"""The API on a tenant's host: /api/v1/…, the OpenAPI contract and its interactive docs."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views
from api.stats import StatsView

app_name = "api"

v1: list[URLPattern | URLResolver] = [
    path("me/", views.MeView.as_view(), name="me"),
    path("stats/", StatsView.as_view(), name="stats"),
    path("", include("api.resources.urls")),
]

urlpatterns = [
    path("api/v1/", include(v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("profile/api-tokens/", views.profile_tokens, name="tokens"),
    path("profile/api-tokens/<int:token_id>/revoke/", views.profile_token_revoke, name="token-revoke"),
]
