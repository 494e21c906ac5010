"""The benchmark's settings queue background work as production does, never run it inside a request."""

from __future__ import annotations

import importlib

import pytest


def test_the_benchmark_never_runs_tasks_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = importlib.import_module("bench.settings")
    settings = importlib.reload(settings)
    # An attendance save under load must only queue the statistics' recompute of the municipality.
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_BROKER_URL == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    assert importlib.reload(settings).CELERY_BROKER_URL == "redis://127.0.0.1:6379/5"
