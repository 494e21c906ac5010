"""Tests: real PostgreSQL (DATABASE_URL or the embedded one), fast password hashing, mail kept in memory."""

from __future__ import annotations

from ivplatform.database import database_from_env
from ivplatform.settings.base import *  # noqa: F403
from ivplatform.settings.base import BASE_DOMAIN

DEBUG = False
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
