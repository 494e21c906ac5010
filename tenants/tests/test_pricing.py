from __future__ import annotations

from itertools import pairwise

import pytest

from tenants.pricing import PRICE_TIERS, price_tier_for_code, price_tier_for_population


@pytest.mark.parametrize(
    ("population", "key"),
    [(1, "small"), (15_000, "small"), (15_001, "medium"), (40_000, "medium"), (40_001, "large"),
     (100_000, "large"), (100_001, "xlarge"), (1_000_000, "xlarge")],
)  # fmt: skip
def test_tiers_by_population_boundaries_included(population: int, key: str) -> None:
    assert price_tier_for_population(population).key == key


def test_tiers_rise_with_size_follow_each_other_and_end_open() -> None:
    fees = [tier.monthly_price_sek for tier in PRICE_TIERS]
    assert fees == sorted(fees)
    assert len(set(fees)) == len(fees)
    for lower, upper in pairwise(PRICE_TIERS):
        assert lower.max_population is not None
        assert upper.min_population == lower.max_population + 1
    assert PRICE_TIERS[0].min_population == 1
    assert PRICE_TIERS[-1].max_population is None
    assert PRICE_TIERS[0].yearly_price_sek == 4_950  # a year costs ten months


def test_tier_by_municipality_code() -> None:
    assert price_tier_for_code("0617").key == "small"  # type: ignore[union-attr]  # Gnosjö
    assert price_tier_for_code("0180").key == "xlarge"  # type: ignore[union-attr]  # Stockholm
    assert price_tier_for_code("0000") is None
