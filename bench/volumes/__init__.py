"""Volume builders: each app contributes the rows a tenant of its size holds.

A builder is a function in a module of this package, registered with a decorator::

    @tenant_volumes(name="people", version="1", order=20)
    def people(tenant: BenchTenant) -> int:
        count = tenant.scale(large=20_000, medium=2_000, small=200)
        Person.objects.bulk_create(...)  # runs in the tenant's schema
        return count

``tenant_volumes`` builders run once per tenant, in that tenant's schema, in one transaction each;
``public_volumes`` builders run once with every tenant, in the public schema (a statistics rollup, say).
Builders run by ``order``. Changing a builder's ``version`` makes the next run rebuild the database.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from bench.plan import BenchTenant

TenantBuild = Callable[[BenchTenant], int]
PublicBuild = Callable[[Sequence[BenchTenant]], int]


@dataclass(frozen=True)
class VolumeBuilder:
    name: str
    version: str
    order: int
    scope: Literal["tenant", "public"]
    build: Callable[..., int]


_BUILDERS: dict[str, VolumeBuilder] = {}


def _register(builder: VolumeBuilder) -> None:
    existing = _BUILDERS.get(builder.name)
    if existing is not None and existing.build is not builder.build:
        raise ValueError(f"Two volume builders are named {builder.name!r}.")
    _BUILDERS[builder.name] = builder


def tenant_volumes(*, name: str, version: str, order: int = 100) -> Callable[[TenantBuild], TenantBuild]:
    def decorator(build: TenantBuild) -> TenantBuild:
        _register(VolumeBuilder(name=name, version=version, order=order, scope="tenant", build=build))
        return build

    return decorator


def public_volumes(*, name: str, version: str, order: int = 100) -> Callable[[PublicBuild], PublicBuild]:
    def decorator(build: PublicBuild) -> PublicBuild:
        _register(VolumeBuilder(name=name, version=version, order=order, scope="public", build=build))
        return build

    return decorator


def discover() -> list[VolumeBuilder]:
    """Import every module of this package (they register themselves) and return the builders in order."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(_BUILDERS.values(), key=lambda builder: (builder.order, builder.name))
