"""Logins: an admin, coordinators and volunteers per municipality; board members on the association."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import make_password

from accounts.models import User
from accounts.roles import Role
from bench.plan import BenchTenant
from bench.volumes import tenant_volumes


def bench_email(role: Role, slug: str, number: int = 0) -> str:
    """The benchmark's logins: ``admin@m001.bench``, ``volunteer7@m001.bench``, …"""
    suffix = str(number) if number else ""
    return f"{role.value}{suffix}@{slug}.bench"


@cache
def _password_hash() -> str:
    # One real Argon2 hash for every login: hashing thousands would only time the hasher.
    return make_password("bench-password-not-for-anything-else")


@tenant_volumes(name="accounts", version="1", order=10)
def logins(tenant: BenchTenant) -> int:
    counts = {
        Role.ADMIN: tenant.scale(large=3, medium=2, small=1),
        Role.COORDINATOR: tenant.scale(large=12, medium=4, small=1),
        Role.VOLUNTEER: tenant.scale(large=80, medium=20, small=5),
    }
    if tenant.is_association:
        counts[Role.BOARD] = 9
    users = [
        User(
            email=bench_email(role, tenant.slug, number),
            full_name=f"{role.label} {number + 1} {tenant.name}",
            role=role,
            password=_password_hash(),
        )
        for role, count in counts.items()
        for number in range(count)
    ]
    User.objects.bulk_create(users)
    return len(users)
