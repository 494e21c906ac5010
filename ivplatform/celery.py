"""The Celery app. Tenant-aware: a task runs in the schema of the tenant that queued it."""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivplatform.settings.dev")

app = CeleryApp("ivplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
