from django.urls import path

from privacy import views as privacy_views

app_name = "privacy"

urlpatterns = [
    path("staff/people/<int:pk>/privacy/", privacy_views.person_privacy_export, name="person-privacy-export"),
    path("staff/people/<int:pk>/erase/", privacy_views.person_erase, name="person-erase"),
    path(
        "staff/people/<int:pk>/consents/<str:purpose>/withdraw/",
        privacy_views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("staff/privacy/retention/", privacy_views.retention, name="privacy-retention"),
    path(
        "staff/privacy/retention/<int:pk>/keep/", privacy_views.retention_keep, name="privacy-retention-keep"
    ),
]
