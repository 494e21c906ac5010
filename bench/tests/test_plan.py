"""Which tenants the benchmark builds: sizes like Sweden's, a sample spread over them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ImproperlyConfigured

from bench.config import BenchConfig
from bench.context import BenchContext
from bench.plan import Size, plan_tenants, size_of
from tenants.models import TenantKind


def test_300_municipalities_are_3_large_30_medium_and_267_small_plus_the_association() -> None:
    plan = plan_tenants(300)
    assert len(plan) == 301
    assert plan[0].slug == "iv"
    assert plan[0].kind == TenantKind.ASSOCIATION
    sizes = Counter(tenant.size for tenant in plan[1:])
    assert sizes == {Size.LARGE: 3, Size.MEDIUM: 30, Size.SMALL: 267}
    assert plan[1].slug == "m001"
    assert plan[-1].slug == "m300"
    assert len({tenant.slug for tenant in plan}) == 301


def test_even_two_municipalities_have_a_large_one() -> None:
    assert [size_of(index, 2) for index in range(2)] == [Size.LARGE, Size.MEDIUM]


def test_scale_picks_the_number_for_the_tenant_size() -> None:
    large, medium, small = (
        plan_tenants(300, association=False)[0],
        plan_tenants(300)[10],
        plan_tenants(300)[-1],
    )
    assert [t.scale(large=20_000, medium=2_000, small=200) for t in (large, medium, small)] == [
        20_000,
        2_000,
        200,
    ]


def test_a_tenant_random_generator_is_the_same_on_every_build() -> None:
    tenant = plan_tenants(3)[1]
    assert tenant.random("people").random() == tenant.random("people").random()
    assert tenant.random("people").random() != tenant.random("activities").random()


def test_a_sample_takes_every_large_municipality_then_medium_and_small_ones() -> None:
    ctx = BenchContext(config=BenchConfig(tenants=300), plan=plan_tenants(300))
    sample = ctx.pick(12)
    assert len(sample) == 12
    assert len(set(sample)) == 12
    assert Counter(tenant.size for tenant in sample) == {Size.LARGE: 3, Size.MEDIUM: 5, Size.SMALL: 4}
    assert all(not tenant.is_association for tenant in sample)


def test_a_sample_larger_than_the_tenants_takes_them_all() -> None:
    ctx = BenchContext(config=BenchConfig(tenants=3), plan=plan_tenants(3))
    assert len(ctx.pick(10)) == 3


def test_configuration_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_TENANTS", "20")
    monkeypatch.setenv("BENCH_REBUILD", "1")
    monkeypatch.setenv("BENCH_FIGURES", "routing, memory")
    config = BenchConfig.from_env()
    assert (config.tenants, config.rebuild, config.figures) == (20, True, ("routing", "memory"))
    assert list(config.ports) == list(range(8104, 8111))


@pytest.mark.parametrize(
    ("name", "value"), [("BENCH_TENANTS", "0"), ("BENCH_TENANTS", "many"), ("BENCH_PORT", "80")]
)
def test_bad_configuration_is_refused_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        BenchConfig.from_env()
