from django.urls import path

from people.views import imports as import_views
from people.views import people as people_views

app_name = "people"

urlpatterns = [
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
    path("staff/import/", import_views.import_upload, name="import-upload"),
    path("staff/import/<int:pk>/", import_views.import_preview_view, name="import-preview"),
    path("staff/import/<int:pk>/cancel/", import_views.import_cancel, name="import-cancel"),
]
