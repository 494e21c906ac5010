"""What a figure gets to measure with: the configuration, the tenants built, logins, servers' settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.sessions.backends.base import SessionBase
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.roles import Role
from bench.config import PROJECT_DIR, BenchConfig
from bench.plan import BenchTenant, Size
from bench.volumes.accounts import bench_email
from tenants.models import Municipality

Log = Callable[[str], None]


def session_backend(user: User) -> str:
    """The first authentication backend that loads ``user`` back from a session, as Django's test client
    picks it (a lockout backend listed first, such as django-axes' standalone one, loads nobody)."""
    for path in settings.AUTHENTICATION_BACKENDS:
        get_user = getattr(load_backend(path), "get_user", None)
        if get_user is not None and get_user(user.pk) is not None:
            return str(path)
    raise RuntimeError(f"No authentication backend in AUTHENTICATION_BACKENDS loads {user.email}.")


def mark_two_factor_passed(session: SessionBase, user: User) -> None:
    """Where django-otp is installed, record a passed second factor as ``django_otp.login`` does after a
    correct code, with a confirmed authenticator the user is given for the benchmark."""
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id


@dataclass
class BenchContext:
    config: BenchConfig
    plan: Sequence[BenchTenant]
    log: Log = print
    # Scratch space figures may share (e.g. sessions made once, used by several figures).
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def municipalities(self) -> list[BenchTenant]:
        return [tenant for tenant in self.plan if not tenant.is_association]

    def pick(self, count: int) -> list[BenchTenant]:
        """``count`` municipalities spread over the sizes: every large one first, then medium and small
        ones taken evenly from their lists, so a sample is neither all big nor all tiny."""
        by_size = {size: [t for t in self.municipalities if t.size == size] for size in Size}
        chosen = list(by_size[Size.LARGE][:count])
        rest = count - len(chosen)
        medium_share = min(len(by_size[Size.MEDIUM]), (rest + 1) // 2)
        for size, share in ((Size.MEDIUM, medium_share), (Size.SMALL, rest - medium_share)):
            pool = by_size[size]
            if share > 0 and pool:
                step = max(1, len(pool) // share)
                chosen += pool[::step][:share]
        if len(chosen) < count:  # too few of a size: fill from whatever is left
            chosen += [t for t in self.municipalities if t not in chosen][: count - len(chosen)]
        return chosen[:count]

    def tenant(self, slug: str) -> Municipality:
        tenant: Municipality = Municipality.objects.get(schema_name=slug)
        return tenant

    def session_cookie(self, slug: str, role: Role = Role.ADMIN) -> str:
        """A signed-in session of ``slug``'s first ``role`` login: the value of its session cookie.

        Made the way Django's test client's ``force_login`` does, so no password is checked (Argon2 would
        only time the hasher); where django-otp is installed, the session has passed two-factor too.
        """
        key = f"session:{slug}:{role.value}"
        cached = self.cache.get(key)
        if isinstance(cached, str):
            return cached
        with schema_context(slug):
            user = User.objects.get(email=bench_email(role, slug))
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = user._meta.pk.value_to_string(user)
            store[BACKEND_SESSION_KEY] = session_backend(user)
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            mark_two_factor_passed(store, user)
            store.save()
            session_key = str(store.session_key)
        self.cache[key] = session_key
        return session_key

    def subprocess_env(self, **extra: str) -> dict[str, str]:
        """The environment for a child process (gunicorn, migrate_schemas) on the benchmark database."""
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        env["BENCH_DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH", "")]))
        env.update(extra)
        return env

    @property
    def python(self) -> str:
        return sys.executable
