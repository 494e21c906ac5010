from django.urls import path

from partners import views as partner_views

app_name = "partners"

urlpatterns = [
    path("staff/partners/", partner_views.partner_list, name="partner-list"),
    path("staff/partners/new/", partner_views.partner_create_view, name="partner-create"),
    path("staff/partners/export/", partner_views.partner_export, name="partner-export"),
    path("staff/partners/<int:pk>/", partner_views.partner_detail, name="partner-detail"),
    path("staff/partners/<int:pk>/edit/", partner_views.partner_edit, name="partner-edit"),
]
