"""Stripe settings come from the environment and refuse values that cannot be right."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ivplatform.settings.stripe import parse_price_ids

ROOT = Path(__file__).resolve().parent.parent.parent


def test_price_ids_are_read_per_plan_and_interval() -> None:
    assert parse_price_ids(" small:month=price_1 , small:year=price_2,") == {
        "small:month": "price_1",
        "small:year": "price_2",
    }
    assert parse_price_ids("") == {}


@pytest.mark.parametrize(
    "raw", ["small=price_1", "small:week=price_1", ":month=price_1", "small:month=prod_1"]
)
def test_malformed_price_ids_are_refused(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="STRIPE_PRICE_IDS"):
        parse_price_ids(raw)


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "BILLING_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="ivplatform.settings.test")
    code = (
        "from django.conf import settings; "
        "print(settings.BILLING_TRIAL_DAYS, settings.BILLING_GRACE_DAYS, settings.STRIPE_WEBHOOK_TOLERANCE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_defaults_are_a_30_day_trial_14_days_grace_and_stripes_tolerance() -> None:
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["30", "14", "300"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STRIPE_SECRET_KEY": "pk_test_123"}, "STRIPE_SECRET_KEY must be a Stripe secret key"),
        ({"STRIPE_WEBHOOK_SECRET": "secret"}, "STRIPE_WEBHOOK_SECRET must be"),
        ({"BILLING_GRACE_DAYS": "-1"}, "must not be negative"),
        ({"BILLING_TRIAL_DAYS": "thirty"}, "BILLING_TRIAL_DAYS must be a whole number"),
    ],
)
def test_wrong_stripe_settings_stop_the_start(env: dict[str, str], message: str) -> None:
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr
