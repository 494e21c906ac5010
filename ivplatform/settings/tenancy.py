"""django-tenants: which apps live in the public schema and which in every tenant's own schema."""

from __future__ import annotations

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
    "accounts",
    "billing",
    "stats",
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
