"""Production keeps database connections open between requests, for DATABASE_CONN_MAX_AGE seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def prod_database_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_CONN_MAX_AGE"}}
    clean.update(
        env,
        DJANGO_SETTINGS_MODULE="ivplatform.settings.prod",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS=".example.se",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_keeps_connections_a_minute_and_checks_them_before_reuse() -> None:
    result = prod_database_settings()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [60, True]


def test_zero_closes_each_connection_after_its_request() -> None:
    result = prod_database_settings(DATABASE_CONN_MAX_AGE="0")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [0, False]


@pytest.mark.parametrize("value", ["-1", "forever"])
def test_a_bad_value_is_refused_with_the_variable_named(value: str) -> None:
    result = prod_database_settings(DATABASE_CONN_MAX_AGE=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_CONN_MAX_AGE" in result.stderr
