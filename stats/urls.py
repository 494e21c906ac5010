from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [
    path("board/statistics/", views.board_dashboard, name="dashboard"),
    path("board/statistics/export.<str:fmt>", views.board_dashboard_export, name="dashboard-export"),
    path("board/reports/", views.board_report, name="board-report"),
    path("board/reports/export.<str:fmt>", views.board_report, name="board-report-export"),
    path("staff/reports/", views.local_report, name="local-report"),
    path("staff/reports/export.<str:fmt>", views.local_report, name="local-report-export"),
]
