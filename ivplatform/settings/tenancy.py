"""django-tenants: which apps live in the public schema and which in every tenant's own schema."""

from __future__ import annotations

import os

from ivplatform.env import env_int

# Shared: what the platform as a whole needs. Only tenants, domains, onboarding, billing records, the
# statistics rollup and platform operators live in the public schema.
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "billing",
    # Login lockout records and two-factor devices belong next to the users they concern: in every schema
    # that has users (platform operators here, staff in each tenant), so attempts are counted per tenant.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "stats",
]

# Every tenant, municipality or association, gets the same apps: the association differs by `kind`
# only. One set keeps the template-clone fast path and a single migration plan for all schemas.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    # "core" holds no model now; it stays installed for the migrations that created the tables the
    # domain apps below took over (their models keep the old table names).
    "core",
    "people",
    "partners",
    "activities",
    "matching",
    "privacy",
    "home",
    "portal",
    "api",
    "donations",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The audit log is per tenant only: its table (and the trigger that makes it append-only) lives in
    # each tenant's schema and in the template schema new tenants are cloned from.
    "audit",
]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "ivplatform.urls_public"
ROOT_URLCONF = "ivplatform.urls_tenant"
DEFAULT_NOT_FOUND_TENANT_VIEW = "ivplatform.views.unknown_host"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

# New tenants are cloned from this migrated template schema instead of running every migration
# (tenants/template.py keeps it migrated with each `migrate_schemas`). The underscore keeps it apart from
# every tenant: slugs never contain one.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
GET_EXECUTOR_FUNCTION = "tenants.template.get_executor"

# Self-service sign-up (tenants/onboarding.py): how long the e-mail link lives, and rate limits as
# (attempts, per seconds) per client address and per e-mail address.
SIGNUP_CONFIRMATION_MAX_AGE = 60 * 60 * 48
SIGNUP_RATE_LIMIT_PER_IP = (10, 60 * 60)
SIGNUP_RATE_LIMIT_PER_EMAIL = (3, 60 * 60 * 24)

# Host → tenant is remembered this many seconds per web process (ivplatform.routing): the domain lookup
# was a fifth of a small page's time (`make bench`, figure "routing"). 0 turns the cache off.
TENANT_ROUTING_CACHE_SECONDS = env_int("TENANT_ROUTING_CACHE_SECONDS", 10)

# search_path is set once after each switch of tenant, not before every query (django-tenants resets it on
# every set_tenant, close and rollback): with persistent connections those round trips were most of what
# routing still cost (`make bench`, figure "routing").
TENANT_LIMIT_SET_CALLS = True

# `migrate_schemas --executor=multiprocessing` migrates this many tenant schemas at once (`make bench`,
# figure "migrate_schemas"): one process per core by default.
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("TENANT_MULTIPROCESSING_MAX_PROCESSES", os.cpu_count() or 2)

# The migrate command migrate_schemas runs for each schema: Django's, without repeating per schema what
# only depends on the code (tenants/schema_migrate.py; `make bench`, figure "migrate_schemas").
TENANT_BASE_MIGRATE_COMMAND = "tenants.schema_migrate.Command"
