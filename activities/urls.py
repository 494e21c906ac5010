from django.urls import path

from activities.views import activities, attendance, followup, projects

app_name = "activities"

urlpatterns = [
    path("staff/activities/", activities.activity_list_view, name="activity-list"),
    path("staff/activities/new/", activities.activity_create_view, name="activity-create"),
    path("staff/activities/<int:pk>/", activities.activity_detail, name="activity-detail"),
    path("staff/activities/<int:pk>/edit/", activities.activity_edit, name="activity-edit"),
    path("staff/activities/<int:pk>/sessions/new/", activities.session_add_view, name="session-add"),
    path("staff/activities/<int:pk>/register/", activities.activity_register, name="activity-register"),
    path(
        "staff/activities/<int:pk>/registrations/<int:registration_pk>/cancel/",
        activities.registration_cancel_view,
        name="registration-cancel",
    ),
    path("staff/sessions/", attendance.session_list, name="session-list"),
    path("staff/sessions/<int:pk>/", attendance.session_detail, name="session-detail"),
    path("staff/sessions/<int:pk>/attendance/", attendance.session_attendance, name="session-attendance"),
    path("staff/sessions/<int:pk>/cancel/", attendance.session_cancel_view, name="session-cancel"),
    path("staff/sessions/<int:pk>/move/", attendance.session_move_view, name="session-move"),
    path("staff/projects/", projects.project_list_view, name="project-list"),
    path("staff/projects/new/", projects.project_create_view, name="project-create"),
    path("staff/projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("staff/projects/<int:pk>/edit/", projects.project_edit, name="project-edit"),
    path(
        "staff/projects/<int:pk>/reporting-dates/new/",
        projects.reporting_date_add_view,
        name="reporting-date-add",
    ),
    path(
        "staff/projects/<int:pk>/reporting-dates/<int:date_pk>/done/",
        projects.reporting_date_done,
        name="reporting-date-done",
    ),
    path("staff/follow-up/", followup.followup, name="followup"),
]
