from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import role_required
from accounts.models import Role
from core.selectors import users_of_tenant
from ivplatform.http import StaffRequest
from tenants.selectors import member_municipalities


def home(request: HttpRequest) -> HttpResponse:
    """The network's front page on its own host."""
    return render(request, "core/home.html")


@role_required(Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER, Role.BOARD)
def staff_home(request: StaffRequest) -> HttpResponse:
    return render(request, "core/staff_home.html")


@role_required(Role.ADMIN)
def user_list(request: StaffRequest) -> HttpResponse:
    users = users_of_tenant(actor=request.user)
    return render(request, "core/user_list.html", {"users": users})


@role_required(Role.BOARD, association_only=True)
def board_members(request: StaffRequest) -> HttpResponse:
    from stats.selectors import last_activity_by_tenant

    # Last activity comes from the statistics rollup in the public schema, never from the members' schemas.
    last_activity = last_activity_by_tenant()
    municipalities = [(m, last_activity.get(m.pk)) for m in member_municipalities()]
    return render(request, "board/members.html", {"municipalities": municipalities})
