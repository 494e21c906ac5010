"""Routing by host: the public host, each tenant's host, unknown hosts and /healthz."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from conftest import host, tenant_client

pytestmark = pytest.mark.django_db


def test_public_host_serves_the_platform_landing_page(public_client: Client) -> None:
    response = public_client.get("/")
    assert response.status_code == 200
    assert response.context["is_public_host"] is True
    assert "Värnamo" in response.content.decode()  # the participating municipalities are listed


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("varnamo", "Värnamo"),
        ("vaggeryd", "Vaggeryd och Skillingaryd"),
        ("gislaved", "Gislaved"),
        ("vaxjo", "Växjö"),
        ("iv", "Internationella Vänner"),
    ],
)
def test_each_tenant_host_shows_its_own_name(slug: str, name: str) -> None:
    response = tenant_client(slug).get("/")
    assert response.status_code == 200
    assert response.context["tenant"].schema_name == slug
    assert f"<h1>{name}</h1>" in response.content.decode()


def test_unknown_host_gets_a_clear_404_page_not_a_stack_trace() -> None:
    response = Client(HTTP_HOST=host("atlantis")).get("/staff/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Ingen verksamhet på den här adressen" in body
    assert "atlantis" in body
    assert "Traceback" not in body


def test_unknown_path_on_a_tenant_host_gets_the_404_page() -> None:
    response = tenant_client("varnamo").get("/no-such-page/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.parametrize("hostname", [settings.BASE_DOMAIN, host("varnamo"), host("iv"), host("unknown")])
def test_healthz_answers_on_every_host(hostname: str) -> None:
    response = Client(HTTP_HOST=hostname).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection

    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = tenant_client("varnamo").get("/healthz")
    assert response.status_code == 503
