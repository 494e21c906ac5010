"""Settings shared by every environment. Values that differ come from the environment (ivplatform.env)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from csp.constants import NONE, SELF

from ivplatform.env import env_int, env_list, env_str
from ivplatform.settings.api import *  # noqa: F403
from ivplatform.settings.celery import *  # noqa: F403
from ivplatform.settings.languages import *  # noqa: F403
from ivplatform.settings.stripe import *  # noqa: F403
from ivplatform.settings.tenancy import *  # noqa: F403
from ivplatform.settings.tenancy import SHARED_APPS, TENANT_APPS

# Lets generic classes such as ModelForm[Person] be written at run time, as the type checker wants them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Tenant hosts are <slug>.<BASE_DOMAIN>; the association is iv.<BASE_DOMAIN>; BASE_DOMAIN itself is public.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost")
ASSOCIATION_SLUG = "iv"

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

MIDDLEWARE = [
    "ivplatform.middleware.HealthzMiddleware",
    "ivplatform.routing.CachedTenantMainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ivplatform.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After tenant, language and user are known: a suspended tenant's host refuses every write.
    "billing.middleware.SuspendedTenantReadOnlyMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ivplatform.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "ivplatform.wsgi.application"

# DATABASES is set by dev/test (falling back to the embedded PostgreSQL when DATABASE_URL is unset) and
# by prod (which requires DATABASE_URL), so importing these base settings never starts a server.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:staff-home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.DemoPasswordValidator"},
]

# Cookies are host-only (no SESSION_COOKIE_DOMAIN): a Värnamo session is never sent to Vaggeryd, and
# sessions live in each tenant's own schema, so a copied cookie finds nothing there either.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after SESSION_IDLE_TIMEOUT without a request and SESSION_COOKIE_AGE after the login,
# whatever happens in between (accounts.middleware.SessionExpiryMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12) * 60 * 60
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 60) * 60
# No page reads the CSRF cookie from JavaScript.
CSRF_COOKIE_HTTPONLY = True

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): attempts are stored in each schema's own tables, so they count per tenant.
# A username is locked from the address that failed, so a stranger cannot lock a coordinator out everywhere.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Axes' own log lines would name the e-mail and IP address; ours name neither.
AXES_CLIENT_STR_CALLABLE = "accounts.lockout.client_description"
AXES_VERBOSE = False
# Old login records (IP addresses are personal data) are purged nightly by accounts.tasks.
LOGIN_RECORDS_RETENTION_DAYS = env_int("LOGIN_RECORDS_RETENTION_DAYS", 90)


def _totp_issuer(device: object) -> str:
    # django-otp calls this for the name an authenticator app shows; a dotted path would be shown as is.
    from accounts.two_factor import issuer

    return issuer(device)


# Two-factor authentication (django-otp, TOTP). Required for the roles in accounts.models.TOTP_REQUIRED_ROLES.
OTP_TOTP_ISSUER = _totp_issuer
OTP_TOTP_THROTTLE_FACTOR = 1

PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 120) * 60
INVITATION_MAX_AGE = timedelta(days=env_int("INVITATION_DAYS", 7))

# Content-Security-Policy (django-csp): our own files only, no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache keys carry the tenant's schema so two tenants never read each other's entries.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# Uploads (CSV imports): a file over UPLOAD_MAX_BYTES is refused by ivplatform.uploads before any of it is
# stored; files up to FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory, larger ones go to a temporary file. Other
# form fields may total DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB). A proxy in front should allow a little
# more than UPLOAD_MAX_BYTES (nginx: client_max_body_size 8m) so the user sees our message, not the proxy's.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "ivplatform.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Internationella Vänner <noreply@localhost>")

# Only the demo seed may create this password; the validator refuses it everywhere else and prod refuses
# logins with it.
DEMO_PASSWORD = "vanner-demo"  # noqa: S105 - public on purpose (README), refused outside the demo
# The demo admin and board logins come with a two-factor device on this fixed key (base32, for an
# authenticator app); production refuses codes from a device with this key, like the demo password.
DEMO_TOTP_SECRET = "IVVANNERDEMOTOTPIVVANNERDEMOTOTP"  # noqa: S105 - public on purpose, like the password
DEMO_SEED_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "pgserver": {"level": "WARNING"}},
}
