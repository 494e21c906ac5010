from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import role_required
from accounts.models import Role
from ivplatform.http import StaffRequest
from tenants.selectors import member_municipalities


@role_required(Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER, Role.BOARD)
def staff_home(request: StaffRequest) -> HttpResponse:
    return render(request, "core/staff_home.html")


@role_required(Role.BOARD, association_only=True)
def board_members(request: StaffRequest) -> HttpResponse:
    return render(request, "board/members.html", {"municipalities": member_municipalities()})
