"""Settings for the benchmark: production's choices, on the benchmark's own database.

Like production: DEBUG off, Argon2 passwords, database sessions, persistent connections
(``DATABASE_CONN_MAX_AGE``), the same middleware and tenancy settings. Unlike production: no TLS redirect
or secure-only cookies (the benchmark speaks plain HTTP on loopback) and static files served from the app
folders (no collectstatic needed).
"""

from __future__ import annotations

import os

from bench.database import bench_database_url
from ivplatform.database import parse_database_url, production_connection_options
from ivplatform.settings.base import *  # noqa: F403
from ivplatform.settings.base import BASE_DOMAIN, INSTALLED_APPS, SHARED_APPS, TENANT_APPS

DEBUG = False
SECRET_KEY = "bench-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105 - a local benchmark
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"]
DATABASES = {"default": {**parse_database_url(bench_database_url()), **production_connection_options()}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# The migration figure puts a throwaway tenant app on the path for one subprocess only (never committed).
_EXTRA_TENANT_APPS = [app for app in os.environ.get("BENCH_EXTRA_TENANT_APPS", "").split(",") if app]
TENANT_APPS = [*TENANT_APPS, *_EXTRA_TENANT_APPS]
INSTALLED_APPS = [*INSTALLED_APPS, "bench", *_EXTRA_TENANT_APPS]
SHARED_APPS = list(SHARED_APPS)

# As in production, a request only queues the statistics' recompute that services ask for after a commit;
# no worker runs here. Without REDIS_URL the queue is kombu's in-process one, never the inline run that the
# embedded demo uses (which would put a whole municipality's recompute inside each attendance save).
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ.get("REDIS_URL") or "memory://"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
