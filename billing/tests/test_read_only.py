"""A suspended tenant is read-only: every write view on its host is refused, found by walking the URL resolver."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.utils import timezone

from accounts.roles import Role
from billing.models import BillingAccount
from billing.services import billing_account_ensure
from conftest import login
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
# Writes a suspended tenant still needs: signing in and out, the language switch, and the way to pay.
ALLOWED_WHEN_SUSPENDED = {
    "accounts:login",
    "accounts:logout",
    "accounts:two-factor-verify",
    "accounts:two-factor-setup",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
    "set_language",
    "billing:checkout",
    "billing:portal",
}
SAMPLE_BY_CONVERTER = {
    IntConverter: 1,
    SlugConverter: "sample",
    StringConverter: "sample",
    PathConverter: "sample/path",
    UUIDConverter: uuid.UUID(int=1),
}


def tenant_urls(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, str]]:
    """Every named URL of the tenant host's urlconf as (view name, a concrete path with sample arguments)."""
    resolver = resolver or get_resolver("ivplatform.urls_tenant")
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            nested = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from tenant_urls(entry, nested)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"every tenant URL needs a name to be checked: {entry.pattern}"
            view_name = f"{namespace}{entry.name}"
            converters = getattr(entry.pattern, "converters", {})
            kwargs = {name: SAMPLE_BY_CONVERTER[type(conv)] for name, conv in converters.items()}
            yield view_name, reverse(view_name, urlconf="ivplatform.urls_tenant", kwargs=kwargs or None)


ALL_TENANT_URLS = sorted(set(tenant_urls()))


@pytest.fixture
def suspended(varnamo: Municipality) -> Municipality:
    """Värnamo's trial ended unpaid long ago: suspended, and every page that recomputes agrees."""
    account = billing_account_ensure(tenant=varnamo)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=60))
    Municipality.objects.filter(pk=varnamo.pk).update(status=TenantStatus.SUSPENDED)
    return varnamo


def refused_as_read_only(response: Any) -> bool:
    if response.status_code != 403:
        return False
    if response.get("Content-Type", "").startswith("application/json"):
        # API clients get the API's one error shape.
        return bool(response.json()["error"]["code"] == "tenant_read_only")
    return "billing/read_only.html" in [t.name for t in response.templates]


def test_the_walk_finds_the_write_views_it_must_check() -> None:
    names = {name for name, _ in ALL_TENANT_URLS}
    # A sample of known writers, so a broken walk cannot pass by finding nothing.
    assert {"donations:campaign-create", "donations:swish", "donations:card", "billing:checkout"} <= names
    assert names >= ALLOWED_WHEN_SUSPENDED


@pytest.mark.parametrize(("view_name", "path"), ALL_TENANT_URLS, ids=[name for name, _ in ALL_TENANT_URLS])
def test_every_write_on_a_suspended_tenant_is_refused_with_a_clear_message(
    suspended: Municipality, view_name: str, path: str
) -> None:
    admin = login("varnamo", Role.ADMIN)
    for method in WRITE_METHODS:
        response = getattr(admin, method)(path, data={"title": "x"})
        if view_name in ALLOWED_WHEN_SUSPENDED:
            assert not refused_as_read_only(response), f"{method.upper()} {path} must stay open to pay"
            continue
        assert refused_as_read_only(response), f"{method.upper()} {path} was not refused"
        text = response.json()["error"]["message"] if path.startswith("/api/") else response.content.decode()
        assert "skrivskyddat eftersom abonnemanget är obetalt" in text


def test_reading_and_exports_still_work_when_suspended(suspended: Municipality) -> None:
    admin = login("varnamo", Role.ADMIN)
    for path in (
        "/staff/",
        "/staff/users/",
        "/staff/billing/",
        "/staff/donations/",
        "/donate/",
        "/donate/qr/general.png",
    ):
        assert admin.get(path).status_code == 200, path
    assert "Utrymmet är skrivskyddat" in admin.get("/staff/").content.decode()


def test_the_way_to_pay_stays_open(suspended: Municipality) -> None:
    client = login("varnamo", Role.ADMIN)  # signing in, two-factor step included, still works
    # The checkout form reaches its view (and is validated there) instead of being refused.
    response = client.post(
        "/staff/billing/checkout/", {"population": "", "interval": "month", "request_key": "x"}
    )
    assert response.status_code == 400
    assert not refused_as_read_only(response)


def test_an_api_client_gets_json(suspended: Municipality) -> None:
    response = login("varnamo", Role.ADMIN).post(
        "/staff/donations/campaigns/", data={"title": "x"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "tenant_read_only"


def test_the_message_follows_the_chosen_language(suspended: Municipality) -> None:
    admin = login("varnamo", Role.ADMIN)
    admin.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = admin.post("/staff/donations/campaigns/", data={"title": "x"})
    assert response.status_code == 403
    assert "read-only because its subscription is unpaid" in response.content.decode()


def test_other_tenants_are_not_affected(suspended: Municipality) -> None:
    response = login("vaggeryd", Role.ADMIN).post(
        "/staff/donations/campaigns/", data={"title": "Sommarläger", "message": "Lager"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("status", [TenantStatus.TRIAL, TenantStatus.ACTIVE, TenantStatus.PAST_DUE])
def test_writes_work_in_every_other_status(varnamo: Municipality, status: TenantStatus) -> None:
    Municipality.objects.filter(pk=varnamo.pk).update(status=status)
    response = login("varnamo", Role.ADMIN).post("/staff/donations/campaigns/", data={"title": "Vårfest"})
    assert response.status_code == 302
