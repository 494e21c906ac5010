from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching and pathways")

    def ready(self) -> None:
        from matching.selectors.pathways import household_pathways_context
        from people.extensions import household_page_context

        household_page_context.add(household_pathways_context)
