"""Celery: Redis when REDIS_URL is set; otherwise tasks run inline, so the embedded demo needs no broker."""

from __future__ import annotations

from celery.schedules import crontab

from ivplatform.env import env_optional

REDIS_URL = env_optional("REDIS_URL")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# Statistics: a full recompute of every ready municipality's rollup each night repairs any drift.
CELERY_BEAT_SCHEDULE["stats-nightly-recompute"] = {
    "task": "stats.tasks.stats_nightly_recompute",
    "schedule": crontab(hour=3, minute=15),
}
