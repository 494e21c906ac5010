"""Onboarding on tenants' hosts (included by ivplatform/urls_tenant.py): a new space's first pages, and
the board's decisions on the association's host."""

from django.urls import path

from tenants.views import board, welcome

urlpatterns = [
    path("welcome/", welcome.welcome, name="welcome"),
    path(
        "welcome/password/<uidb64>/<token>/", welcome.WelcomePasswordView.as_view(), name="welcome-password"
    ),
    path("getting-started/", welcome.getting_started, name="getting-started"),
    path("board/applications/", board.application_list, name="board-applications"),
    path("board/applications/<uuid:public_id>/", board.application_detail, name="board-application"),
    path(
        "board/applications/<uuid:public_id>/decide/",
        board.application_decide,
        name="board-application-decide",
    ),
]
