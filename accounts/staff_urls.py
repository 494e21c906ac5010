"""The admin's users page, at /staff/users/ on each tenant's host."""

from django.urls import path

from accounts import staff_views

app_name = "users"

urlpatterns = [
    path("", staff_views.user_list, name="list"),
    path("<int:pk>/deactivate/", staff_views.user_deactivate_view, name="deactivate"),
    path("<int:pk>/activate/", staff_views.user_activate_view, name="activate"),
    path("<int:pk>/two-factor-reset/", staff_views.user_two_factor_reset_view, name="two-factor-reset"),
    path("invitations/<int:pk>/withdraw/", staff_views.invitation_withdraw_view, name="invitation-withdraw"),
]
