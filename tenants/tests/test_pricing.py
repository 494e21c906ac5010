from __future__ import annotations

import pytest

from tenants.pricing import PRICE_TIERS, price_tier_for_code, price_tier_for_population


@pytest.mark.parametrize(
    ("population", "key"),
    [(1, "small"), (15_000, "small"), (15_001, "medium"), (50_000, "medium"), (50_001, "large"),
     (150_000, "large"), (150_001, "city"), (1_000_000, "city")],
)  # fmt: skip
def test_tiers_by_population_boundaries_included(population: int, key: str) -> None:
    assert price_tier_for_population(population).key == key


def test_tiers_rise_with_size_and_end_open() -> None:
    fees = [tier.yearly_fee_sek for tier in PRICE_TIERS]
    assert fees == sorted(fees) and len(set(fees)) == len(fees)
    assert PRICE_TIERS[-1].max_population is None


def test_tier_by_municipality_code() -> None:
    assert price_tier_for_code("0617").key == "small"  # type: ignore[union-attr]  # Gnosjö
    assert price_tier_for_code("0180").key == "city"  # type: ignore[union-attr]  # Stockholm
    assert price_tier_for_code("0000") is None
