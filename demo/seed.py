"""The demo: the public host, four municipalities and the association, each with a login per role.

Idempotent: running it again creates nothing twice and changes nothing that exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import TOTP_REQUIRED_ROLES, Role
from accounts.services import demo_totp_key
from demo.donations import donations_demo_seed
from ivplatform import personal_data
from tenants.models import Municipality, TenantKind, TenantStatus
from tenants.selectors import tenant_host
from tenants.services import public_tenant_ensure, tenant_create


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    county: str
    kind: TenantKind = TenantKind.MUNICIPALITY
    municipality_code: str = ""  # kommunkod, see tenants/data/municipalities.csv


DEMO_TENANTS = (
    DemoTenant("varnamo", "Värnamo", "Jönköpings län", municipality_code="0683"),
    DemoTenant("vaggeryd", "Vaggeryd och Skillingaryd", "Jönköpings län", municipality_code="0665"),
    DemoTenant("gislaved", "Gislaved", "Jönköpings län", municipality_code="0662"),
    DemoTenant("vaxjo", "Växjö", "Kronobergs län", municipality_code="0780"),
    DemoTenant(settings.ASSOCIATION_SLUG, "Internationella Vänner", "", TenantKind.ASSOCIATION),
)


def demo_roles(kind: TenantKind) -> tuple[Role, ...]:
    roles = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)
    return (*roles, Role.BOARD) if kind == TenantKind.ASSOCIATION else roles


def demo_email(role: Role, slug: str) -> str:
    return f"{role.value}@{slug}.demo"


class DemoSeedRefused(Exception):
    pass


def demo_seed(
    *, log: Callable[[str], None] = lambda _: None, core_data_for: Collection[str] | None = None
) -> list[Municipality]:
    """``core_data_for``: the municipalities that get a year of activities and people (None: all)."""
    if not settings.DEMO_SEED_ALLOWED:
        raise DemoSeedRefused("The demo seed is refused in production: it creates a known password.")
    public_tenant_ensure(domain=settings.BASE_DOMAIN)
    tenants = []
    for demo in DEMO_TENANTS:
        tenant = Municipality.objects.filter(schema_name=demo.slug).first()
        if tenant is None:
            log(f"Creating {demo.name} at {tenant_host(demo.slug)}")
            tenant = tenant_create(
                slug=demo.slug,
                name=demo.name,
                kind=demo.kind,
                county=demo.county,
                contact_email=demo_email(Role.ADMIN, demo.slug),
                status=TenantStatus.ACTIVE,
                municipality_code=demo.municipality_code,
            )
        elif demo.municipality_code and not tenant.municipality_code:
            # Filled in once on demos seeded before the code existed, so they cannot be signed up twice.
            Municipality.objects.filter(pk=tenant.pk).update(municipality_code=demo.municipality_code)
        with tenant:
            _seed_users(demo)
            donations_demo_seed(network_name=demo.name)
            if demo.kind == TenantKind.MUNICIPALITY and (core_data_for is None or demo.slug in core_data_for):
                _seed_core(demo, log)
        tenants.append(tenant)
    return tenants


@transaction.atomic
def _seed_users(demo: DemoTenant) -> None:
    for role in demo_roles(demo.kind):
        email = demo_email(role, demo.slug)
        # Demo logins must never show up in logs: the test suite scans its logs for them.
        personal_data.register(email)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, role=role, full_name=f"{role.label} {demo.name}")
            # Set directly, not through a form: the password validators refuse the demo password elsewhere.
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        personal_data.register(user.full_name)
        if role in TOTP_REQUIRED_ROLES:
            _ensure_demo_totp(user)


def _ensure_demo_totp(user: User) -> None:
    """Admin and board must pass two-factor: their demo logins come with an authenticator on the
    documented demo key (settings.DEMO_TOTP_SECRET), which production refuses."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    TOTPDevice.objects.create(user=user, name="Demo", key=demo_totp_key(), confirmed=True)


def _seed_core(demo: DemoTenant, log: Callable[[str], None]) -> None:
    from demo.network import core_demo_seed

    started = time.perf_counter()
    if core_demo_seed(town=demo.name, county=demo.county, slug=demo.slug):
        log(f"Filled {demo.name} with a year of activities ({time.perf_counter() - started:.1f} s)")
