from django.urls import path

from matching.views import matching as matching_views
from matching.views import pathways as pathway_views

app_name = "matching"

urlpatterns = [
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
]
