"""Tests: real PostgreSQL (DATABASE_URL or the embedded one), fast password hashing, mail kept in memory."""

from __future__ import annotations

import os
import re

# Under pytest-xdist each worker has its own test database (pytest-django adds the worker's name to it);
# it gets its own Redis database too, so that one worker's Celery worker never takes another's tasks.
# The shifted URL is inherited by the worker processes the tests start: they must not shift it again.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw") and os.environ.get("REDIS_URL") and not os.environ.get("IV_REDIS_SHIFTED"):
    os.environ["IV_REDIS_SHIFTED"] = _XDIST_WORKER
    _redis = re.match(r"^(redis://[^/]+)(?:/(\d+))?$", os.environ["REDIS_URL"])
    if _redis:
        _base_db = int(_redis.group(2) or 0)
        os.environ["REDIS_URL"] = f"{_redis.group(1)}/{(_base_db + 1 + int(_XDIST_WORKER[2:])) % 16}"

from ivplatform.database import database_from_env  # noqa: E402
from ivplatform.settings.base import *  # noqa: F403, E402
from ivplatform.settings.base import BASE_DOMAIN, INSTALLED_APPS  # noqa: E402

DEBUG = False
# The demo seed has its own smoke tests; the benchmark's code is tested on a few tenants.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "bench"]
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests roll their transactions back, which no signal reports: a remembered tenant could outlive its
# test. The routing cache's own tests turn it on.
TENANT_ROUTING_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {"default": database_from_env(allow_embedded=True)}
# Serve static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every log record goes to the collector that the end-of-run scan for personal data reads (conftest.py).
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # type: ignore[dict-item]  # noqa: F405
        "collector": {"class": "ivplatform.personal_data.CollectingHandler"},
    },
    "root": {"handlers": ["console", "collector"], "level": "INFO"},
    "loggers": {
        **LOGGING["loggers"],  # type: ignore[dict-item]  # noqa: F405
        # The live server's request lines do not reach the root logger; they carry URLs with queries.
        "django.server": {"handlers": ["collector"], "level": "INFO", "propagate": False},
    },
}
