"""Host routing remembers host → tenant for a few seconds per process (ivplatform.routing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from conftest import host, tenant_client
from ivplatform import routing
from tenants.models import Domain, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def routing_cache() -> Iterator[None]:
    routing.forget_tenant_routes()
    with override_settings(TENANT_ROUTING_CACHE_SECONDS=10):
        yield
    routing.forget_tenant_routes()


def domain_lookups(slug: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert tenant_client(slug).get("/").status_code == 200
    return sum(1 for query in queries if "tenants_domain" in query["sql"])


def test_the_second_request_to_a_host_does_not_look_the_host_up_again() -> None:
    assert domain_lookups("varnamo") == 1
    assert domain_lookups("varnamo") == 0
    assert domain_lookups("vaggeryd") == 1  # each host is remembered on its own


def test_with_the_cache_off_every_request_looks_the_host_up() -> None:
    with override_settings(TENANT_ROUTING_CACHE_SECONDS=0):
        assert domain_lookups("varnamo") == 1
        assert domain_lookups("varnamo") == 1


def test_a_remembered_host_is_looked_up_again_once_its_time_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])  # the clock ivplatform.routing reads
    assert domain_lookups("varnamo") == 1
    now[0] += 9.9
    assert domain_lookups("varnamo") == 0
    now[0] += 0.2
    assert domain_lookups("varnamo") == 1


def test_saving_a_tenant_shows_at_once_in_this_process() -> None:
    assert "<h1>Värnamo</h1>" in tenant_client("varnamo").get("/").content.decode()
    tenant = Municipality.objects.get(schema_name="varnamo")
    tenant.name = "Värnamo kommun"
    tenant.save()
    assert "<h1>Värnamo kommun</h1>" in tenant_client("varnamo").get("/").content.decode()


def test_a_removed_host_is_forgotten_at_once() -> None:
    assert tenant_client("gislaved").get("/").status_code == 200
    Domain.objects.filter(domain=host("gislaved")).delete()
    response = tenant_client("gislaved").get("/")
    assert response.status_code == 404
    assert "Ingen verksamhet på den här adressen" in response.content.decode()


def test_unknown_hosts_are_never_remembered() -> None:
    for number in range(5):
        assert tenant_client(f"atlantis{number}").get("/").status_code == 404
    assert routing._ROUTING_CACHE == {}


def test_each_request_gets_its_own_copy_of_the_tenant() -> None:
    first = tenant_client("varnamo").get("/")
    first.context["tenant"].name = "Changed without saving"
    second = tenant_client("varnamo").get("/")
    assert second.context["tenant"].name == "Värnamo"
    assert second.context["tenant"] is not first.context["tenant"]
