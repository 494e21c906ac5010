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
