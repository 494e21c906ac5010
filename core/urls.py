from django.urls import path

from core.views import activities, attendance, followup, projects
from core.views import imports as import_views
from core.views import matching as matching_views
from core.views import partners as partner_views
from core.views import pathways as pathway_views
from core.views import people as people_views
from core.views import privacy as privacy_views
from core.views import staff as views

app_name = "core"

urlpatterns = [
    path("staff/", views.staff_home, name="staff-home"),
    path("board/members/", views.board_members, name="board-members"),
    # People, households, partners, import (issue 3, people half).
    path("staff/people/", people_views.person_list, name="person-list"),
    path("staff/people/new/", people_views.person_create, name="person-create"),
    path("staff/people/export/", people_views.person_export, name="person-export"),
    path("staff/people/<int:pk>/", people_views.person_detail, name="person-detail"),
    path("staff/people/<int:pk>/edit/", people_views.person_edit, name="person-edit"),
    path(
        "staff/people/<int:pk>/leave-household/",
        people_views.person_leave_household,
        name="person-leave-household",
    ),
    path("staff/households/", people_views.household_list, name="household-list"),
    path("staff/households/new/", people_views.household_create, name="household-create"),
    path("staff/households/export/", people_views.household_export, name="household-export"),
    path("staff/households/<int:pk>/", people_views.household_detail, name="household-detail"),
    path("staff/households/<int:pk>/edit/", people_views.household_edit, name="household-edit"),
    path(
        "staff/households/<int:pk>/members/add/",
        people_views.household_add_member,
        name="household-add-member",
    ),
    path("staff/partners/", partner_views.partner_list, name="partner-list"),
    path("staff/partners/new/", partner_views.partner_create_view, name="partner-create"),
    path("staff/partners/export/", partner_views.partner_export, name="partner-export"),
    path("staff/partners/<int:pk>/", partner_views.partner_detail, name="partner-detail"),
    path("staff/partners/<int:pk>/edit/", partner_views.partner_edit, name="partner-edit"),
    path("staff/import/", import_views.import_upload, name="import-upload"),
    path("staff/import/<int:pk>/", import_views.import_preview_view, name="import-preview"),
    path("staff/import/<int:pk>/cancel/", import_views.import_cancel, name="import-cancel"),
    # Activities, sessions and attendance, projects, follow-up (issue 3, activities half).
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
    # Matching and pathways (issue 8)
    path("staff/matching/", matching_views.matching_home, name="matching-home"),
    path(
        "staff/matching/requests/new/", matching_views.match_request_create_view, name="match-request-create"
    ),
    path(
        "staff/matching/requests/<int:pk>/", matching_views.match_request_detail, name="match-request-detail"
    ),
    path(
        "staff/matching/requests/<int:pk>/propose/<int:candidate_pk>/",
        matching_views.match_request_propose,
        name="match-request-propose",
    ),
    path(
        "staff/matching/requests/<int:pk>/withdraw/",
        matching_views.match_request_withdraw_view,
        name="match-request-withdraw",
    ),
    path(
        "staff/matching/people/<int:person_id>/opt-out/",
        matching_views.matching_opt_out,
        name="matching-opt-out",
    ),
    path("staff/matching/matches/", matching_views.match_list, name="match-list"),
    path("staff/matching/matches/<int:pk>/", matching_views.match_detail, name="match-detail"),
    path(
        "staff/matching/matches/<int:pk>/activate/", matching_views.match_activate_view, name="match-activate"
    ),
    path("staff/matching/matches/<int:pk>/end/", matching_views.match_end_view, name="match-end"),
    path("staff/matching/matches/<int:pk>/meeting/", matching_views.match_meeting_view, name="match-meeting"),
    path(
        "staff/matching/matches/<int:pk>/contacts/", matching_views.match_contact_view, name="match-contact"
    ),
    path(
        "staff/matching/matches/<int:pk>/check-ins/<int:check_in_pk>/done/",
        matching_views.check_in_done_view,
        name="check-in-done",
    ),
    path("staff/matching/follow-up/", matching_views.follow_up_list, name="matching-follow-up"),
    path("staff/matching/districts/", matching_views.district_neighbour_list, name="district-neighbours"),
    path(
        "staff/matching/districts/<int:pk>/remove/",
        matching_views.district_neighbour_remove_view,
        name="district-neighbour-remove",
    ),
    path("staff/pathways/", pathway_views.pathway_list, name="pathway-list"),
    path("staff/pathways/new/", pathway_views.pathway_create_view, name="pathway-create"),
    path("staff/pathways/<int:pk>/", pathway_views.pathway_detail, name="pathway-detail"),
    path("staff/pathways/<int:pk>/stage/", pathway_views.pathway_stage_view, name="pathway-stage"),
    path("staff/pathways/people/<int:person_id>/", pathway_views.person_pathways, name="person-pathways"),
    # Rights of the person and retention (issue 10)
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
