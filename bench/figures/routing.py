"""Routing overhead: a tenant's page as deployed vs the same view without tenant routing.

Ours is the project's real middleware stack and settings: the tenant middleware finds the tenant by host
(remembered for ``TENANT_ROUTING_CACHE_SECONDS``), switches the connection to its schema and sets
search_path on the next query. The baseline swaps that middleware for ``FixedTenantMiddleware`` (one
tenant chosen at start-up, as a single-tenant deployment would have it). Everything else is the same:
the signed-in admin's user list of a small municipality, sessions, templates and database.

Both run through Django's WSGI handler in this process, interleaved request by request (alternating which
goes first) so that drift in the machine's speed falls on both alike; each round's median per request is
kept, and the figure is the median of the rounds. Measured with production's connection handling
(persistent connections, ``DATABASE_CONN_MAX_AGE``) and again with a new connection per request (as
behind PgBouncer), where a request costs more and routing's share is smaller.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import override_settings
from django.utils.module_loading import import_string
from django_tenants.middleware.main import TenantMainMiddleware

from bench.context import BenchContext
from bench.figures import figure
from bench.middleware import FixedTenantMiddleware
from bench.plan import BenchTenant, Size
from bench.report import Figure, RatioAtMost
from bench.schemas import use_public_schema, use_tenant
from tenants.models import Municipality

PATH = "/staff/users/"
ROUNDS = 5
REQUESTS_PER_ROUND = 120
WARMUP = 20

Serve = Callable[[], tuple[str, bytes]]


def _environ(host: str, path: str, cookie: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def serve(handler: WSGIHandler, host: str, path: str, cookie: str) -> tuple[str, bytes]:
    """One request through ``handler``, as a WSGI server would make it; returns (status, body)."""
    status_seen: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[..., Any]:
        status_seen.append(status)
        return lambda _: None

    response: Iterable[bytes] = handler(_environ(host, path, cookie), start_response)
    try:
        body = b"".join(response)
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()  # fires request_finished: connections are closed as after a real request
    return status_seen[0], body


def baseline_middleware() -> list[str]:
    """MIDDLEWARE with the tenant middleware (whichever subclass of django-tenants' it is) replaced."""
    found = [name for name in settings.MIDDLEWARE if issubclass(import_string(name), TenantMainMiddleware)]
    if len(found) != 1:
        raise RuntimeError(f"Expected one tenant middleware in MIDDLEWARE, found {found}.")
    return [
        "bench.middleware.FixedTenantMiddleware" if name == found[0] else name for name in settings.MIDDLEWARE
    ]


@contextmanager
def _single_tenant(tenant: Municipality) -> Iterator[None]:
    """The baseline's database use: the schema of the one tenant, search_path set once (not before every
    query). Both variants share this thread's connection, so the baseline sets it once per request."""
    with override_settings(TENANT_LIMIT_SET_CALLS=True):
        use_tenant(tenant)
        try:
            yield
        finally:
            use_public_schema()


@contextmanager
def _connections(max_age: int) -> Iterator[None]:
    """Connection handling for one measurement: 0 closes after each request, more keeps it open."""
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = max_age
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = saved


def interleaved_medians(
    variants: list[tuple[Serve, Callable[[], AbstractContextManager[Any]]]], rounds: int, per_round: int
) -> list[list[float]]:
    """For each variant, the median seconds per request of each round."""
    medians: list[list[float]] = [[] for _ in variants]
    order = list(range(len(variants)))
    for _ in range(rounds):
        samples: list[list[float]] = [[] for _ in variants]
        for number in range(per_round):
            for index in order if number % 2 == 0 else reversed(order):
                run, setup = variants[index]
                with setup():
                    started = time.perf_counter()
                    run()
                    samples[index].append(time.perf_counter() - started)
        for index, taken in enumerate(samples):
            medians[index].append(statistics.median(taken))
    return medians


def _medians_ms(
    ctx: BenchContext,
    planned: BenchTenant,
    variants: list[tuple[Serve, Callable[[], AbstractContextManager[Any]]]],
    label: str,
    max_age: int,
) -> tuple[float, float]:
    """The median of the round medians, ours and the baseline's, in ms, with connections kept ``max_age`` s."""
    with _connections(max_age):
        for name, (run, setup) in zip(("ours", "baseline"), variants, strict=True):
            with setup():
                status, body = run()
                for _ in range(WARMUP):
                    run()
            if not status.startswith("200") or planned.name.encode() not in body:
                raise RuntimeError(f"The {name} page answered {status}, not the tenant's user list.")
        ours_times, baseline_times = interleaved_medians(variants, ROUNDS, REQUESTS_PER_ROUND)
    ctx.log(
        f"  {label} connections: round medians ours {min(ours_times) * 1000:.2f}–"
        f"{max(ours_times) * 1000:.2f} ms, baseline {min(baseline_times) * 1000:.2f}–"
        f"{max(baseline_times) * 1000:.2f} ms"
    )
    return statistics.median(ours_times) * 1000, statistics.median(baseline_times) * 1000


@figure(name="routing", order=20)
def measure(ctx: BenchContext) -> Figure:
    small = [tenant for tenant in ctx.municipalities if tenant.size == Size.SMALL]
    planned = (small or ctx.municipalities)[0]
    tenant = ctx.tenant(planned.slug)
    cookie = ctx.session_cookie(planned.slug)

    ours_handler = WSGIHandler()
    with override_settings(MIDDLEWARE=baseline_middleware()):
        baseline_handler = WSGIHandler()
    FixedTenantMiddleware.tenant = tenant

    def ours() -> tuple[str, bytes]:
        return serve(ours_handler, planned.host, PATH, cookie)

    def baseline() -> tuple[str, bytes]:
        return serve(baseline_handler, planned.host, PATH, cookie)

    variants: list[tuple[Serve, Callable[[], AbstractContextManager[Any]]]] = [
        (ours, nullcontext),
        (baseline, lambda: _single_tenant(tenant)),
    ]
    measured: dict[str, tuple[float, float]] = {}
    try:
        deployed_age = int(settings.DATABASES["default"]["CONN_MAX_AGE"] or 0)
        for label, max_age in (("deployed", deployed_age), ("per-request", 0)):
            measured[label] = _medians_ms(ctx, planned, variants, label, max_age)
    finally:
        FixedTenantMiddleware.tenant = None
        use_public_schema()
    ours_ms, baseline_ms = measured["deployed"]
    other_ours, other_baseline = measured["per-request"]
    return Figure(
        name="Routing overhead: a tenant page vs no tenant middleware",
        ours=ours_ms,
        ours_label="host routing",
        baseline=baseline_ms,
        baseline_label="no tenant middleware",
        unit="ms",
        target=RatioAtMost(1.10),
        note=(
            f"A small municipality's user list ({PATH}) for its signed-in admin, through Django's WSGI "
            f"handler: the median of {ROUNDS} rounds' medians of {REQUESTS_PER_ROUND} requests each, ours "
            "and the baseline interleaved request by request, with production's settings (connections "
            f"kept {deployed_age} s). The baseline serves one fixed tenant without tenant middleware. With "
            f"a new connection per request (as behind PgBouncer): {other_ours:.2f} ms vs "
            f"{other_baseline:.2f} ms, ratio {other_ours / other_baseline:.2f}."
        ),
    )
