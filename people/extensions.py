"""What the apps above ``people`` add to its rules and pages (see ``core.extensions``).

- ``volunteer_reach``: which people a volunteer may see. Each rule takes the volunteer and returns a
  condition on ``Person``; a volunteer sees the people any rule reaches (``activities`` adds "registered
  in, or attended, an activity they lead"). With no rule a volunteer sees no one.
- ``person_page_prefetch``: what a person's and a household's page read along with each person, in a
  fixed number of queries (``activities`` adds each person's registrations and latest attendance).
- ``household_page_context``: more context for the household page (``matching`` adds each member's
  pathway for admins and coordinators).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from core.extensions import ExtensionPoint

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Household, Person

VolunteerReach = Callable[["User"], Q]
PersonPagePrefetch = Callable[["QuerySet[Person]", "User | None"], "QuerySet[Person]"]
HouseholdPageContext = Callable[["Household", "User"], dict[str, Any]]

volunteer_reach: ExtensionPoint[VolunteerReach] = ExtensionPoint("people.volunteer_reach")
person_page_prefetch: ExtensionPoint[PersonPagePrefetch] = ExtensionPoint("people.person_page_prefetch")
household_page_context: ExtensionPoint[HouseholdPageContext] = ExtensionPoint("people.household_page_context")
