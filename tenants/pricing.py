"""Prices by municipality population: the one place the tiers are defined.

The public price table and the sign-up show them; billing charges by them (``price_tier_for_population``,
``price_tier_for_code``). Amounts are whole Swedish kronor per year, excluding VAT.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants.municipalities import municipality_by_code


@dataclass(frozen=True)
class PriceTier:
    key: str  # stable identifier, e.g. for a Stripe price's lookup key
    label: Promise
    max_population: int | None  # inclusive upper bound; None for the last tier
    yearly_fee_sek: int


PRICE_TIERS: tuple[PriceTier, ...] = (
    PriceTier("small", _("Up to 15,000 inhabitants"), 15_000, 6_000),
    PriceTier("medium", _("15,001–50,000 inhabitants"), 50_000, 12_000),
    PriceTier("large", _("50,001–150,000 inhabitants"), 150_000, 24_000),
    PriceTier("city", _("More than 150,000 inhabitants"), None, 48_000),
)

# A new space starts as a free trial of this many days (status ``trial``).
TRIAL_DAYS = 60


def price_tier_for_population(population: int) -> PriceTier:
    for tier in PRICE_TIERS:
        if tier.max_population is None or population <= tier.max_population:
            return tier
    raise AssertionError("the last tier has no upper bound")


def price_tier_for_code(code: str) -> PriceTier | None:
    """The tier of the municipality with this code (kommunkod), or None for an unknown code."""
    municipality = municipality_by_code(code)
    return None if municipality is None else price_tier_for_population(municipality.population)
