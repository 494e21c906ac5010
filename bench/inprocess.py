"""Helpers for the features' figures: pages served in this process, volumes that leave nothing behind.

The feature figures (people list, attendance sheet, match suggestions, board dashboard) fill one or two
designated tenants with the volume they need inside a transaction that is rolled back at the end, so the
benchmark database is the same before and after every run and reruns measure the same thing. Pages go
through Django's test client as a signed-in user of the tenant (server time: queries and templates, no
network), interleaved request by request between "ours" and the baseline so that drift in the machine's
speed falls on both alike.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test import Client

from accounts.roles import Role
from bench.context import BenchContext
from bench.figures.routing import interleaved_medians
from bench.plan import BenchTenant, Size


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is always rolled back: whatever a figure writes inside it is gone afterwards."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def large_and_small(ctx: BenchContext) -> tuple[BenchTenant, BenchTenant]:
    """The designated tenants: the first large municipality (ours) and the first small one (baseline)."""
    municipalities = ctx.municipalities
    if len(municipalities) < 2:
        raise RuntimeError("The feature figures need at least two municipalities (BENCH_TENANTS ≥ 2).")
    large = next((t for t in municipalities if t.size == Size.LARGE), municipalities[0])
    small = next((t for t in reversed(municipalities) if t.size == Size.SMALL and t != large), None)
    return large, small or next(t for t in municipalities if t != large)


def signed_in_client(ctx: BenchContext, tenant: BenchTenant, role: Role) -> Client:
    """A test client on ``tenant``'s host, signed in as its first ``role`` login.

    The session is made (and cached) by ``ctx.session_cookie``: call this before entering ``rolled_back``
    so the session outlives the rollback.
    """
    client = Client(HTTP_HOST=tenant.host)
    client.cookies[settings.SESSION_COOKIE_NAME] = ctx.session_cookie(tenant.slug, role)
    return client


def median_ms(
    variants: Mapping[str, Callable[[], Any]], *, rounds: int, per_round: int, warmup: int = 2
) -> dict[str, float]:
    """Each variant's time in ms: the median of ``rounds`` rounds' medians, the variants interleaved call
    by call (alternating which goes first), after ``warmup`` calls of each."""
    for run in variants.values():
        for _ in range(warmup):
            run()
    medians = interleaved_medians(
        [(run, nullcontext) for run in variants.values()], rounds=rounds, per_round=per_round
    )
    return {
        name: statistics.median(per_round_medians) * 1000
        for name, per_round_medians in zip(variants, medians, strict=True)
    }


def expect_status(response: Any, status: int, what: str) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{what} answered {response.status_code}, not {status}.")
