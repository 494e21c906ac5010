from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("staff/", views.staff_home, name="staff-home"),
    path("board/members/", views.board_members, name="board-members"),
]
