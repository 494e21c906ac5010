"""Donations on a tenant's host: the public /donate/ page and the admin's /staff/donations/."""

from django.urls import path

from donations import views

app_name = "donations"

urlpatterns = [
    path("donate/", views.donate, name="donate"),
    path("donate/qr/general.<str:fmt>", views.swish_qr, name="qr-general"),
    path("donate/qr/<int:campaign_id>.<str:fmt>", views.swish_qr, name="qr-campaign"),
    path("donate/card/", views.card_donation_start, name="card"),
    path("donate/thanks/", views.thanks, name="thanks"),
    path("staff/donations/", views.manage, name="manage"),
    path("staff/donations/swish/", views.swish_settings_update, name="swish"),
    path("staff/donations/campaigns/", views.campaign_create, name="campaign-create"),
    path("staff/donations/campaigns/<int:pk>/active/", views.campaign_active_set, name="campaign-active"),
]
