"""/readyz says whether a host can be served now; /healthz only that the process and database are alive."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from conftest import host, tenant_client
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hostname", "slug"), [(host("varnamo"), "varnamo"), (settings.BASE_DOMAIN, "public")]
)
def test_a_ready_tenants_host_is_ready(hostname: str, slug: str) -> None:
    response = Client(HTTP_HOST=hostname).get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["tenant"] == slug
    assert (body["database"], body["template_schema"]) == ("ok", "current")


def test_an_unknown_host_is_404_for_readiness_but_alive_for_liveness() -> None:
    client = Client(HTTP_HOST=host("atlantis"))
    assert client.get("/readyz").status_code == 404
    assert client.get("/healthz").status_code == 200


def test_a_tenant_being_set_up_is_not_ready(varnamo: Municipality) -> None:
    Municipality.objects.filter(pk=varnamo.pk).update(status=TenantStatus.PROVISIONING)
    response = tenant_client("varnamo").get("/readyz")
    assert response.status_code == 503
    assert response.json()["tenant_status"] == "provisioning"


def test_a_suspended_tenant_is_still_served_read_only_so_it_is_ready(varnamo: Municipality) -> None:
    Municipality.objects.filter(pk=varnamo.pk).update(status=TenantStatus.SUSPENDED, hold="suspended")
    assert tenant_client("varnamo").get("/readyz").status_code == 200


def test_a_template_schema_behind_the_code_is_not_ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM tenant_template.django_migrations WHERE id = "
            "(SELECT max(id) FROM tenant_template.django_migrations)"
        )
    response = tenant_client("varnamo").get("/readyz")
    assert response.status_code == 503
    assert response.json()["template_schema"] == "behind"


def test_readiness_is_503_when_the_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = tenant_client("varnamo").get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
