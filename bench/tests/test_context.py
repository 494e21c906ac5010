"""Signed-in sessions the figures use: made without a password, accepted by the real middleware."""

from __future__ import annotations

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.roles import Role
from bench.config import BenchConfig
from bench.context import BenchContext, session_backend
from bench.plan import plan_tenants
from bench.volumes.accounts import bench_email
from conftest import tenant_client

pytestmark = pytest.mark.django_db


def test_a_session_made_for_the_benchmark_opens_the_admins_page() -> None:
    with schema_context("varnamo"):
        User.objects.create(
            email=bench_email(Role.ADMIN, "varnamo"), role=Role.ADMIN, full_name="Bench admin"
        )
    ctx = BenchContext(config=BenchConfig(tenants=1), plan=plan_tenants(1))
    cookie = ctx.session_cookie("varnamo", Role.ADMIN)
    assert ctx.session_cookie("varnamo", Role.ADMIN) == cookie  # made once per run
    client = tenant_client("varnamo")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get("/staff/users/")
    assert response.status_code == 200
    assert response.context["user"].email == "admin@varnamo.bench"
    # The same cookie means nothing on another tenant's host: sessions live in each schema.
    other = tenant_client("vaggeryd")
    other.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert other.get("/staff/users/").status_code == 302


class LockoutOnlyBackend:
    """Like django-axes' standalone backend: it only ever refuses logins, and has no get_user."""

    def authenticate(self, request: object, **credentials: object) -> None:
        return None


def test_the_session_names_a_backend_that_loads_the_user(settings: pytest.FixtureRequest) -> None:
    settings.AUTHENTICATION_BACKENDS = [  # type: ignore[attr-defined]
        "bench.tests.test_context.LockoutOnlyBackend",
        "django.contrib.auth.backends.BaseBackend",  # has get_user, but it loads nobody
        "django.contrib.auth.backends.ModelBackend",
    ]
    with schema_context("varnamo"):
        user = User.objects.get(email="admin@varnamo.demo")
        assert session_backend(user) == "django.contrib.auth.backends.ModelBackend"
