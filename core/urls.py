from django.urls import path

from core.views import staff as views

app_name = "core"

urlpatterns = [
    path("staff/", views.staff_home, name="staff-home"),
    path("board/members/", views.board_members, name="board-members"),
]
