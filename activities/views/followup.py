"""Follow-up lists: who has stopped coming, which activities have too few participants."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import role_required
from accounts.roles import MANAGERS
from activities.selectors.followup import (
    ABSENT_IN_A_ROW,
    FEW_PARTICIPANTS,
    QUIET_DAYS,
    SESSIONS_AVERAGED,
    absent_in_a_row,
    activities_with_few_participants,
    quiet_people,
)
from core.view_helpers import paginate
from ivplatform.http import StaffRequest


@role_required(*MANAGERS)
def followup(request: StaffRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "activities/followup.html",
        {
            "absent": absent_in_a_row(actor=request.user, now=now),
            "quiet": paginate(request, quiet_people(actor=request.user, now=now)),
            "small": activities_with_few_participants(actor=request.user, now=now),
            "absent_in_a_row": ABSENT_IN_A_ROW,
            "quiet_days": QUIET_DAYS,
            "few": FEW_PARTICIPANTS,
            "averaged": SESSIONS_AVERAGED,
        },
    )
