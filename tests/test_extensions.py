"""The extension points are filled at start-up by the apps above them: a lower app's rule or page that
lost its contribution would silently show less (a volunteer seeing no one, a page without its panel)."""

from __future__ import annotations

import pytest

from billing.extensions import card_gift_paid
from core.extensions import ExtensionPoint
from partners.extensions import partner_page_prefetch
from people.extensions import household_page_context, person_page_prefetch, volunteer_reach
from privacy.extensions import household_erasure, retention_purges


@pytest.mark.parametrize(
    ("point", "contributor"),
    [
        (volunteer_reach, "activities.selectors.person_history.volunteer_reach_through_activities"),
        (person_page_prefetch, "activities.selectors.person_history.with_activity_history"),
        (partner_page_prefetch, "activities.selectors.person_history.with_partner_activities"),
        (household_page_context, "matching.selectors.pathways.household_pathways_context"),
        (household_erasure, "portal.services.household_signups_erase"),
        (retention_purges, "portal.services.signups_purge_due"),
        (card_gift_paid, "donations.services.donation_record_card"),
    ],
)
def test_each_extension_point_has_its_contribution(point: ExtensionPoint, contributor: str) -> None:  # type: ignore[type-arg]
    assert contributor in {f"{item.__module__}.{item.__qualname__}" for item in point}


def test_adding_the_same_callable_twice_keeps_one() -> None:
    point: ExtensionPoint = ExtensionPoint("test")  # type: ignore[type-arg]

    def rule() -> None: ...

    point.add(rule)
    point.add(rule)
    assert list(point) == [rule]
