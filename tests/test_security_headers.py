"""Headers and cookies: a strict Content-Security-Policy, no inline scripts or styles, CSRF on every form,
nosniff, referrer and framing rules; production passes `manage.py check --deploy` without a warning."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from conftest import DEMO_PASSWORD, ROOT, login, login_through_form, subprocess_database_url, tenant_client

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def directives(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/password-reset/"])
def test_tenant_pages_send_a_strict_content_security_policy(path: str) -> None:
    response = tenant_client("varnamo").get(path)
    policy = directives(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_staff_pages_and_the_public_host_send_the_policy_and_the_other_headers(public_client: Client) -> None:
    for response in (login("varnamo", Role.ADMIN).get("/staff/users/"), public_client.get("/")):
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_have_no_inline_script_style_or_handlers(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text
    assert not re.search(r"\sstyle=", text), "style= attribute"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    assert "javascript:" not in text


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_every_post_form_carries_a_csrf_token(template: Path) -> None:
    text = template.read_text()
    for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
        if re.search(r'method="post"', form, flags=re.I):
            assert "{% csrf_token %}" in form, form[:120]


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused() -> None:
    client = Client(HTTP_HOST=f"varnamo.{settings.BASE_DOMAIN}", enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "admin@varnamo.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_cookies_are_http_only_and_same_site() -> None:
    client = login_through_form("varnamo", Role.COORDINATOR)
    session = client.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    client.get("/accounts/password-reset/")
    assert client.cookies["csrftoken"]["httponly"] is True


# --- Production settings -------------------------------------------------------------------------------


def prod_env(database_url: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ivplatform.settings.prod",
        SECRET_KEY="p" * 20 + "-production-like-secret-key-" + "q" * 20,
        ALLOWED_HOSTS=".ivplattform.example",
        DATABASE_URL=database_url,
    )
    return env


@pytest.mark.slow
@pytest.mark.django_db
def test_production_settings_pass_the_deploy_check_without_any_warning() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=prod_env(subprocess_database_url()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr


PROD_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
request = RequestFactory().get("/", secure=True, HTTP_HOST="varnamo.ivplattform.example")
print(json.dumps({
    "cookies": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,
                s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SECURE, s.SECURE_SSL_REDIRECT],
    "hsts": SecurityMiddleware(lambda r: HttpResponse())(request)["Strict-Transport-Security"],
    "hasher": s.PASSWORD_HASHERS[0],
    "backends": s.AUTHENTICATION_BACKENDS,
}))
"""


def test_production_cookies_hsts_hashing_and_login_backends() -> None:
    import json

    result = subprocess.run(
        [sys.executable, "-c", PROD_PROBE],
        cwd=ROOT,
        env=prod_env("postgres://nobody@127.0.0.1:1/none"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["cookies"] == [True] * 6
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # The lockout backend comes first; the demo password is refused by the next.
    assert probe["backends"] == [
        "axes.backends.AxesStandaloneBackend",
        "accounts.backends.NoDemoPasswordBackend",
    ]


# --- No copy of personal data in a browser's or proxy's cache ---------------------------------------------

SIGNED_IN_PAGES = [
    ("varnamo", Role.ADMIN, "/staff/"),
    ("varnamo", Role.ADMIN, "/staff/users/"),
    ("varnamo", Role.COORDINATOR, "/staff/people/"),
    ("varnamo", Role.COORDINATOR, "/staff/signups/"),
    ("varnamo", Role.VOLUNTEER, "/staff/"),
    ("varnamo", Role.ADMIN, "/staff/audit/"),
    ("varnamo", Role.ADMIN, "/profile/api-tokens/"),
    ("varnamo", Role.ADMIN, "/"),  # a public page, seen signed in
    ("iv", Role.BOARD, "/board/statistics/"),
]


def no_store(response: object) -> bool:
    return "no-store" in response.get("Cache-Control", "")  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "role", "path"), SIGNED_IN_PAGES)
def test_every_answer_to_a_signed_in_user_says_no_store(slug: str, role: Role, path: str) -> None:
    response = login(slug, role).get(path)
    assert response.status_code in (200, 302)
    assert no_store(response)


@pytest.mark.django_db
def test_every_api_answer_says_no_store() -> None:
    from api.services import api_token_create
    from conftest import demo_user
    from tenants.models import Municipality

    with Municipality.objects.get(schema_name="varnamo"):
        token = api_token_create(user=demo_user("varnamo", Role.COORDINATOR), name="cache").plaintext
    client = tenant_client("varnamo")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for response in (
        client.get("/api/v1/me/", **bearer),
        client.get("/api/v1/people/", **bearer),
        client.get("/api/v1/people/999999/", **bearer),
        client.get("/api/v1/me/"),  # 401
    ):
        assert no_store(response), response.status_code


@pytest.mark.django_db
def test_pages_for_anonymous_visitors_are_left_as_they_were() -> None:
    for path in ("/", "/activities/", "/privacy/"):
        assert not no_store(tenant_client("varnamo").get(path))
