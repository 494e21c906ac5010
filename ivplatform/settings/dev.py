"""Development: `make run`. Debug on, every *.localhost host accepted, e-mail printed to the console."""

from __future__ import annotations

from ivplatform.database import database_from_env
from ivplatform.env import env_bool, env_port, env_str
from ivplatform.settings.base import *  # noqa: F403
from ivplatform.settings.base import BASE_DOMAIN, INSTALLED_APPS
from ivplatform.settings.celery import REDIS_URL

DEBUG = env_bool("DEBUG", True)
# The demo seed (`make run`) and the benchmark's commands: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "bench"]
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"]
# `make run` serves on PORT (8000 unless told otherwise): links in e-mails must carry it.
LINK_PORT = env_port("LINK_PORT", env_str("PORT", "8000"))
DATABASES = {"default": database_from_env(allow_embedded=True)}
# No broker, no worker: a statistics recompute after a save runs beside the request, not inside it.
STATS_RECOMPUTE_IN_THREAD = REDIS_URL is None
# Serve static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
