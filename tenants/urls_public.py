"""Onboarding on the platform's public host (included by ivplatform/urls_public.py)."""

from django.urls import path

from tenants.views import public

urlpatterns = [
    path("signup/", public.signup, name="signup"),
    path("signup/sent/", public.signup_sent, name="signup-sent"),
    path("signup/confirm/<str:token>/", public.signup_confirm, name="signup-confirm"),
    path("signup/progress/<uuid:public_id>/", public.signup_progress, name="signup-progress"),
    path("signup/progress/<uuid:public_id>/status.json", public.signup_progress_status, name="signup-status"),
    path("signup/progress/<uuid:public_id>/retry/", public.signup_retry, name="signup-retry"),
    path("terms/", public.terms, name="terms"),
    path("data-processing-agreement/", public.data_processing_agreement, name="dpa"),
]
