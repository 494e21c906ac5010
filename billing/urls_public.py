"""Billing on the platform's public host, under /billing/."""

from django.urls import path

from billing import views, webhooks

app_name = "billing-public"

urlpatterns = [
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
    path("operator/", views.operator_overview, name="operator"),
    path("operator/events/<int:pk>/process-again/", views.operator_event_retry, name="event-retry"),
]
