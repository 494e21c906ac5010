"""Cache keys carry the tenant: two tenants sharing one cache never read each other's entries."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache

from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def redis_cache() -> Iterator[BaseCache]:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is unset")
    cache = RedisCache(
        url,
        {
            "KEY_FUNCTION": settings.CACHES["default"]["KEY_FUNCTION"],
            "KEY_PREFIX": f"ivtest-{uuid.uuid4().hex[:8]}",  # this run's keys only
        },
    )
    yield cache
    cache.clear()


@pytest.fixture(params=["configured", "redis"])
def shared_cache(request: pytest.FixtureRequest) -> Iterator[BaseCache]:
    if request.param == "configured":
        yield caches["default"]
        caches["default"].clear()
    else:
        yield from redis_cache()


def test_an_entry_set_in_one_tenant_is_invisible_in_another(
    shared_cache: BaseCache, varnamo: Municipality, vaggeryd: Municipality
) -> None:
    with varnamo:
        shared_cache.set("people-count", 120)
        shared_cache.set_many({"dashboard": "Värnamo's numbers"})
    with vaggeryd:
        assert shared_cache.get("people-count") is None
        assert shared_cache.get_many(["dashboard"]) == {}
        assert shared_cache.add("people-count", 7)  # free in Vaggeryd: Värnamo's entry is another key
        shared_cache.delete("dashboard")  # deletes nothing of Värnamo's
    with varnamo:
        assert shared_cache.get("people-count") == 120
        assert shared_cache.get("dashboard") == "Värnamo's numbers"
    with vaggeryd:
        assert shared_cache.get("people-count") == 7


def test_every_configured_cache_uses_the_tenant_key_function() -> None:
    for alias, config in settings.CACHES.items():
        assert config.get("KEY_FUNCTION") == "django_tenants.cache.make_key", alias
