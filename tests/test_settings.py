"""Production settings refuse to start when misconfigured; the stdlib `platform` module is not shadowed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50


def load_prod_settings(
    code: str = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
    **env: str,
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="ivplatform.settings.prod")
    clean.setdefault("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_prod_starts_when_configured() -> None:
    result = load_prod_settings(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS=".example.se")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_prod_installs_neither_the_demo_nor_the_benchmark() -> None:
    code = "import django; django.setup(); from django.conf import settings; print(sorted(settings.INSTALLED_APPS))"
    result = load_prod_settings(code, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS=".example.se")
    assert result.returncode == 0, result.stderr
    assert "'people'" in result.stdout
    assert "'demo'" not in result.stdout
    assert "'bench'" not in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ".example.se", "DEBUG": "1"}, "DEBUG must be off"),
        ({"ALLOWED_HOSTS": ".example.se"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me", "ALLOWED_HOSTS": ".example.se"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": ".example.se"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must list"),
        (
            {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ".example.se", "DEBUG": "maybe"},
            "DEBUG must be a boolean",
        ),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ".example.se", "DATABASE_URL": ""}, "DATABASE_URL must"),
    ],
)
def test_prod_refuses_to_start_misconfigured(env: dict[str, str], message: str) -> None:
    result = load_prod_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_prod_refuses_the_demo_password(db: None, rf: pytest.FixtureRequest) -> None:
    from accounts.backends import NoDemoPasswordBackend
    from tenants.models import Municipality

    with Municipality.objects.get(schema_name="varnamo"):
        backend = NoDemoPasswordBackend()
        assert backend.authenticate(None, username="admin@varnamo.demo", password="vanner-demo") is None


def test_the_demo_password_cannot_be_chosen_in_a_form() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("vanner-demo")


def test_stdlib_platform_module_works_inside_the_app(db: None) -> None:
    import platform
    import uuid

    import stripe
    from django.test import Client

    import ivplatform

    assert Path(platform.__file__).parent != Path(ivplatform.__file__).parent.parent
    assert platform.system() == "Linux"
    assert uuid.uuid4().version == 4
    # stripe's user agent calls platform.platform(); building a client must not fail.
    stripe.StripeClient("sk_test_123")
    assert Client(HTTP_HOST="varnamo.localhost").get("/healthz").status_code == 200


def test_database_url_is_parsed_with_socket_host() -> None:
    from ivplatform.database import parse_database_url

    parsed = parse_database_url("postgresql://postgres:@/ivplatform?host=/tmp/pg")
    assert parsed["HOST"] == "/tmp/pg"  # noqa: S108 - a socket path parsed, no file
    assert parsed["NAME"] == "ivplatform"
    parsed = parse_database_url("postgres://u:p%40ss@db.example:5433/iv")
    assert (parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"]) == (
        "u",
        "p@ss",
        "db.example",
        "5433",
    )


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host-without-db"])
def test_bad_database_url_is_refused(url: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from ivplatform.database import parse_database_url

    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    from ivplatform.env import env_bool

    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_int_refuses_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from ivplatform.env import env_int

    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


@pytest.mark.django_db
def test_connections_run_without_jit_compilation() -> None:
    # With a large municipality's data a volunteer's attendance save spent 230 ms compiling one query.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
