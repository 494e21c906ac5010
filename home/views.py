from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role
from home.start import coordinator_start, volunteer_start
from ivplatform.http import StaffRequest
from tenants.selectors import member_municipalities


@role_required(Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER, Role.BOARD)
def staff_home(request: StaffRequest) -> HttpResponse:
    """The start page: figures and charts for managers, today's sessions for volunteers, the board's links."""
    context: dict[str, object] = {}
    if request.user.has_role(Role.ADMIN, Role.COORDINATOR):
        context = coordinator_start(actor=request.user)
    elif request.user.has_role(Role.VOLUNTEER):
        context = volunteer_start(actor=request.user)
    return render(request, "home/staff_home.html", context)


@role_required(Role.BOARD, association_only=True)
def board_members(request: StaffRequest) -> HttpResponse:
    from stats.selectors import last_activity_by_tenant

    # Last activity comes from the statistics rollup in the public schema, never from the members' schemas.
    last_activity = last_activity_by_tenant()
    municipalities = [(m, last_activity.get(m.pk)) for m in member_municipalities()]
    return render(request, "board/members.html", {"municipalities": municipalities})
