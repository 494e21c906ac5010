"""Production. Refuses to start with DEBUG on, a missing or default SECRET_KEY, or no ALLOWED_HOSTS."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from ivplatform.database import database_from_env, production_connection_options
from ivplatform.env import env_bool, env_int, env_list, env_str
from ivplatform.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 40 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the hosts served, e.g. '.ivplattform.se' for every tenant host."
    )

DEMO_SEED_ALLOWED = False
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.NoDemoPasswordBackend"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DATABASES = {"default": database_from_env(allow_embedded=False)}
# Connections stay open between requests: opening one per request doubled a small page's time and halved
# throughput under load (`make bench`). 0 closes each after its request, as behind PgBouncer.
DATABASES["default"].update(production_connection_options())
