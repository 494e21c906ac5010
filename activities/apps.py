from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from activities.selectors.person_history import (
            volunteer_reach_through_activities,
            with_activity_history,
            with_partner_activities,
        )
        from partners.extensions import partner_page_prefetch
        from people.extensions import person_page_prefetch, volunteer_reach

        # The apps below activities show what it knows through their extension points (core.extensions).
        volunteer_reach.add(volunteer_reach_through_activities)
        person_page_prefetch.add(with_activity_history)
        partner_page_prefetch.add(with_partner_activities)
