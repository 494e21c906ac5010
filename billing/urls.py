"""Billing on a tenant's host, under /staff/billing/."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.billing_page, name="page"),
    path("checkout/", views.checkout_start, name="checkout"),
    path("checkout/done/", views.checkout_done, name="checkout-done"),
    path("portal/", views.portal_start, name="portal"),
]
