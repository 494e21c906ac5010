from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/week/", views.week, name="week"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/calendar.ics", views.activity_calendar_feed, name="activity-calendar"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("signup/", views.signup, name="signup"),
    path("signup/thanks/", views.signup_thanks, name="signup-thanks"),
    path("privacy/", views.privacy, name="privacy"),
    path("staff/signups/", views.inbox, name="inbox"),
    path("staff/signups/<int:pk>/", views.inbox_detail, name="inbox-detail"),
    path("staff/signups/<int:pk>/accept/", views.inbox_accept, name="inbox-accept"),
    path("staff/signups/<int:pk>/reject/", views.inbox_reject, name="inbox-reject"),
    path("staff/public-page/", views.settings_edit, name="settings"),
]
