"""Nothing personal in the logs: the pieces of the whole-run scan (see the end of conftest.py)."""

from __future__ import annotations

import logging

import pytest

from ivplatform.personal_data import COLLECTED_LOG_TEXTS, PersonalDataRegistry, registry


@pytest.mark.parametrize(
    "text",
    [
        "Sent to anna.svensson@example.se",
        "ring 070-123 45 67",
        "mobile +46 70 123 45 67",
        "0046701234567",
        "pnr 19850101-1234",
        "samordningsnummer 850161-1234",
        "Nora Berg logged in",
        "NORA BERG logged in",
    ],
)
def test_the_scan_finds_personal_data(text: str) -> None:
    scan = PersonalDataRegistry()
    scan.register("Nora Berg")
    assert scan.scan([text]), text


@pytest.mark.parametrize(
    "text",
    [
        "Task accounts.tasks.login_records_purge_task[c3a8e0b2-0723-4567-89ab-cdef01234567] succeeded",
        "2026-11-28 04:13:07,123 INFO django.request Not Found: /staff/people/42/",
        "celery@localworker ready.",
        "AXES: New login failure by {tenant: varnamo, account: 95e91b2901, path: /accounts/login/}",
        "Applied 12 migrations in 0.0723456 s",
    ],
)
def test_the_scan_leaves_ordinary_log_lines_alone(text: str) -> None:
    assert PersonalDataRegistry().scan([text]) == []


def test_registering_ignores_blanks_and_tiny_values() -> None:
    scan = PersonalDataRegistry()
    scan.register("", None, "Al", "  Nora Berg  ")
    assert scan.values == {"Nora Berg"}


@pytest.mark.django_db
def test_the_demo_seed_registered_its_logins() -> None:
    assert "admin@varnamo.demo" in registry.values
    assert "board@iv.demo" in registry.values


def test_every_log_record_of_the_run_is_collected() -> None:
    logging.getLogger("ivplatform.test").warning("collector check %s", "ok")
    # Other threads (a Celery worker) may log at the same moment, so look for it rather than at the end.
    assert "ivplatform.test: collector check ok" in COLLECTED_LOG_TEXTS
