from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from activities.selectors.person_history import (
            volunteer_reach_through_activities,
            with_activity_history,
        )
        from people.extensions import person_page_prefetch, volunteer_reach

        volunteer_reach.add(volunteer_reach_through_activities)
        person_page_prefetch.add(with_activity_history)
