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
    "accounts",
    "billing",
]

# Every tenant, municipality or association, gets the same apps: the association differs by `kind`
# only. One set keeps the template-clone fast path and a single migration plan for all schemas.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "core",
]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "ivplatform.urls_public"
ROOT_URLCONF = "ivplatform.urls_tenant"
DEFAULT_NOT_FOUND_TENANT_VIEW = "ivplatform.views.unknown_host"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

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
