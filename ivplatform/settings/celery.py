"""Celery: Redis when REDIS_URL is set; otherwise tasks run inline, so the embedded demo needs no broker."""

from __future__ import annotations

from celery.schedules import crontab

from ivplatform.env import env_optional

REDIS_URL = env_optional("REDIS_URL")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
# Statistics recomputes queued by services after a commit: production and CI send them to the worker.
# The embedded demo (dev settings without Redis) runs them on a thread beside the request instead.
STATS_RECOMPUTE_IN_THREAD = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Moves tenants between trial, active, past due and suspended as time passes (grace periods end).
    "billing-statuses-refresh": {"task": "billing.tasks.billing_statuses_refresh", "schedule": 60 * 60 * 24},
    # Stripe events whose next attempt is due (billing.inbox): a minute is the shortest pause between tries.
    "billing-stripe-events-retry": {"task": "billing.tasks.stripe_events_retry_due", "schedule": 60},
    # Asks Stripe for every tenant's subscription and corrects what a lost or failed event left behind.
    "billing-subscriptions-reconcile": {
        "task": "billing.tasks.billing_subscriptions_reconcile",
        "schedule": crontab(hour=4, minute=0),
    },
    # Login records (IP addresses) and expired sessions older than LOGIN_RECORDS_RETENTION_DAYS, per tenant.
    "accounts-login-records-purge": {
        "task": "accounts.tasks.login_records_purge_all",
        "schedule": crontab(hour=3, minute=15),
    },
    # Sign-ups whose confirmation link expired hold personal data and claim nothing: removed a few times a day.
    "tenants-purge-unconfirmed-sign-ups": {
        "task": "tenants.tasks.purge_unconfirmed_applications",
        "schedule": 60 * 60 * 6,
    },
    # Statistics: a full recompute of every ready municipality's rollup each night repairs any drift.
    "stats-nightly-recompute": {
        "task": "stats.tasks.stats_nightly_recompute",
        "schedule": crontab(hour=3, minute=15),
    },
    # Matching: each morning, remind coordinators of check-ins due (one task per ready tenant; see core/tasks).
    "core.check-in-reminders": {
        "task": "core.check_in_reminders_fan_out",
        "schedule": crontab(hour=7, minute=0),
    },
    # Retention: each night, anonymise people past their tenant's limit (one task per ready tenant).
    "core.retention": {
        "task": "core.retention_fan_out",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Django's LOGGING stays in charge: a worker must not replace the root logger's handlers (in tests that would
# also remove the collector that the whole-run scan for personal data reads).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
