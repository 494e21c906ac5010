"""Prices by municipality population: the tier numbers, defined once.

The public price table, the sign-up e-mail and the board's view show them. They are the launch plans of
billing (billing's Plan rows: same codes, population bounds and prices; a year costs ten months), so that
after the merge billing's seed can take them from here, or this table can read billing's active plans.
Amounts are whole Swedish kronor including 25 % VAT.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants.municipalities import municipality_by_code


@dataclass(frozen=True)
class PriceTier:
    key: str  # billing's plan code
    label: Promise
    min_population: int
    max_population: int | None  # inclusive; None: no upper limit
    monthly_price_sek: int

    @property
    def yearly_price_sek(self) -> int:
        return self.monthly_price_sek * 10  # a year costs ten months


PRICE_TIERS: tuple[PriceTier, ...] = (
    PriceTier("small", _("Up to 15,000 inhabitants"), 1, 15_000, 495),
    PriceTier("medium", _("15,001–40,000 inhabitants"), 15_001, 40_000, 995),
    PriceTier("large", _("40,001–100,000 inhabitants"), 40_001, 100_000, 1_995),
    PriceTier("xlarge", _("More than 100,000 inhabitants"), 100_001, None, 3_495),
)


def trial_days() -> int:
    """Days of the free trial a new space starts with (billing's setting once it is merged)."""
    return int(getattr(settings, "BILLING_TRIAL_DAYS", 30))


def price_tier_for_population(population: int) -> PriceTier:
    for tier in PRICE_TIERS:
        if tier.max_population is None or population <= tier.max_population:
            return tier
    raise AssertionError("the last tier has no upper bound")


def price_tier_for_code(code: str) -> PriceTier | None:
    """The tier of the municipality with this code (kommunkod), or None for an unknown code."""
    municipality = municipality_by_code(code)
    return None if municipality is None else price_tier_for_population(municipality.population)
