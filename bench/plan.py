"""Which tenants the benchmark database holds, and how big each one is.

Like Sweden: a few large municipalities, a tenth medium-sized, most small; plus the association. Volume
builders ask a tenant for its size with ``tenant.scale(large=..., medium=..., small=...)``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from tenants.models import TenantKind


class Size(StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"


@dataclass(frozen=True)
class BenchTenant:
    slug: str
    name: str
    size: Size
    kind: TenantKind = TenantKind.MUNICIPALITY

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    @property
    def is_association(self) -> bool:
        return self.kind == TenantKind.ASSOCIATION

    def scale(self, *, large: int, medium: int, small: int) -> int:
        return {Size.LARGE: large, Size.MEDIUM: medium, Size.SMALL: small}[self.size]

    def random(self, purpose: str) -> random.Random:
        """A generator seeded by tenant and purpose: the same data on every build."""
        return random.Random(f"{self.slug}:{purpose}")


def size_of(index: int, municipalities: int) -> Size:
    """1 % of municipalities (at least one) are large, the next 10 % (at least one) medium."""
    large = max(1, round(municipalities * 0.01))
    medium = max(1, round(municipalities * 0.10))
    if index < large:
        return Size.LARGE
    if index < large + medium:
        return Size.MEDIUM
    return Size.SMALL


def plan_tenants(municipalities: int, *, prefix: str = "m", association: bool = True) -> list[BenchTenant]:
    """``municipalities`` tenants named ``m001``, ``m002``, … and, first, the association."""
    width = max(3, len(str(municipalities)))
    plan = [
        BenchTenant(
            slug=f"{prefix}{number:0{width}d}",
            name=f"Kommun {number:0{width}d}",
            size=size_of(number - 1, municipalities),
        )
        for number in range(1, municipalities + 1)
    ]
    if association:
        plan.insert(
            0,
            BenchTenant(
                slug=settings.ASSOCIATION_SLUG,
                name="Internationella Vänner",
                size=Size.MEDIUM,
                kind=TenantKind.ASSOCIATION,
            ),
        )
    return plan
