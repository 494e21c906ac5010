"""HTTP under load: gunicorn with a sync worker per core, wrk on loopback with 50 concurrent users.

The mix is whatever figures contribute through ``bench.load.load_requests``; this module contributes
the pages that exist on every tenant: signed-in staff pages on several municipalities' hosts (an admin's
user list, a coordinator's start page) and public pages (the platform's landing page listing every
municipality, municipalities' front pages and login pages). Every distinct request is checked once
before the load (its status, and that a signed-in page is not the login page); a short warm-up run
precedes the measured one. During the load any status no request expects counts as an error, as do
wrk's socket errors and timeouts.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

from accounts.roles import Role
from bench.context import BenchContext
from bench.figures import figure
from bench.load import LoadRequest, WrkResult, contributions, load_requests, run_wrk, wrk_path, wrk_script
from bench.report import AtLeast, AtMost, Figure
from bench.server import cpu_seconds, get, gunicorn

STAFF_TENANTS = 12
PUBLIC_TENANTS = 24
WARMUP_SECONDS = 3
# 50 users with no pause between requests stand for far more real ones, who read between clicks. The
# targets: on 2 cores at least 100 pages a second, half of them within half a second, 95 % within one.
THROUGHPUT_TARGET = 100.0
P50_TARGET_MS = 500.0
P95_TARGET_MS = 1000.0


@load_requests(name="staff pages", order=10)
def staff_pages(ctx: BenchContext) -> list[LoadRequest]:
    requests = []
    for tenant in ctx.pick(STAFF_TENANTS):
        admin = {settings.SESSION_COOKIE_NAME: ctx.session_cookie(tenant.slug, Role.ADMIN)}
        coordinator = {settings.SESSION_COOKIE_NAME: ctx.session_cookie(tenant.slug, Role.COORDINATOR)}
        requests += [
            LoadRequest(
                name=f"user list on {tenant.slug}",
                host=tenant.host,
                path="/staff/users/",
                cookies=admin,
                weight=2,
            ),
            LoadRequest(
                name=f"staff start on {tenant.slug}", host=tenant.host, path="/staff/", cookies=coordinator
            ),
        ]
    return requests


@load_requests(name="public pages", order=20)
def public_pages(ctx: BenchContext) -> list[LoadRequest]:
    requests = [LoadRequest(name="platform landing page", host=settings.BASE_DOMAIN, path="/", weight=2)]
    for tenant in ctx.pick(PUBLIC_TENANTS):
        requests += [
            LoadRequest(name=f"front page of {tenant.slug}", host=tenant.host, path="/"),
            LoadRequest(name=f"login page of {tenant.slug}", host=tenant.host, path="/accounts/login/"),
        ]
    return requests


def check_requests(port: int, requests: list[LoadRequest]) -> None:
    """Send each GET once and insist on its expected status; signed-in pages must not be the login page."""
    for request in requests:
        if request.method != "GET":
            continue
        cookie = "; ".join(f"{key}={value}" for key, value in request.cookies.items())
        status, body = get(port, request.path, host=request.host, cookie=cookie)
        if status != request.expect:
            raise RuntimeError(
                f"{request.name}: {request.path} on {request.host} answered {status}, not {request.expect}."
            )
        if request.cookies and b'name="password"' in body:
            raise RuntimeError(f"{request.name}: the session was refused (the login form came back).")


@figure(name="http-load", order=40)
def measure(ctx: BenchContext) -> list[Figure]:
    wrk_path()  # fail early, before starting a server, if wrk is missing
    requests = [request for contribution in contributions() for request in contribution.requests(ctx)]
    names = ", ".join(contribution.name for contribution in contributions())
    result, cpu_share = _load_run(ctx, requests)
    return _figures(ctx, result, cpu_share, f"{len(requests)} distinct requests ({names})")


def _load_run(ctx: BenchContext, requests: list[LoadRequest]) -> tuple[WrkResult, float]:
    """Warm up, then load the server for the configured time; the result, and the web workers' CPU share."""
    workers = ctx.config.workers
    users = ctx.config.users
    with (
        gunicorn(
            ports=ctx.config.ports,
            workers=workers,
            env=ctx.subprocess_env(),
            health_host=settings.BASE_DOMAIN,
        ) as server,
        tempfile.TemporaryDirectory(prefix="bench-wrk-") as scratch,
    ):
        check_requests(server.port, requests)
        script = wrk_script(requests)
        run_wrk(
            url=server.base_url,
            script=script,
            connections=users,
            seconds=WARMUP_SECONDS,
            script_dir=Path(scratch),
        )
        pids = server.worker_pids()
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        result = run_wrk(
            url=server.base_url,
            script=script,
            connections=users,
            seconds=ctx.config.load_seconds,
            script_dir=Path(scratch),
        )
        cpu_used = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    # How much of the machine the web workers got: the rest went to PostgreSQL, wrk and anything else
    # running, so a low share on a busy machine explains low throughput.
    cpu_share = cpu_used / (result.seconds * (os.cpu_count() or 1)) if result.seconds else 0.0
    return result, cpu_share


def _figures(ctx: BenchContext, result: WrkResult, cpu_share: float, requests: str) -> list[Figure]:
    workers = ctx.config.workers
    users = ctx.config.users
    ctx.log(
        f"  {result.requests} requests in {result.seconds:.1f} s: {result.requests_per_second:.0f}/s, "
        f"p50 {result.p50_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
        f"max {result.max_ms:.0f} ms, errors {result.errors}; web workers used {cpu_share:.0%} of the CPU"
    )
    cores = os.cpu_count() or 1
    setup = (
        f"gunicorn with {workers} sync workers and wrk on the same {cores}-core machine as PostgreSQL, "
        f"{users} concurrent connections without pauses for {ctx.config.load_seconds} s after a "
        f"{WARMUP_SECONDS} s warm-up; {requests} in a weighted shuffled "
        f"round robin. The web workers used {cpu_share:.0%} of the machine's CPU during the run (the rest "
        "went to PostgreSQL, wrk and whatever else was running). The target: 290 municipalities with ten "
        "staff each active at a peak, a page every 30 s, is about 100 pages a second."
    )
    # Latency under 50 users on 2 workers is mostly queueing: each user waits for the 49 others.
    queue_ms = 1000 * users / max(result.requests_per_second, 1)
    return [
        Figure(
            name=f"HTTP load, {users} users: throughput",
            ours=result.requests_per_second,
            unit="req/s",
            target=AtLeast(THROUGHPUT_TARGET),
            note=setup,
        ),
        Figure(
            name=f"HTTP load, {users} users: p50 latency",
            ours=result.p50_ms,
            unit="ms",
            target=AtMost(P50_TARGET_MS),
            note=f"With {users} users waiting on {workers} workers a request queues about {queue_ms:.0f} ms.",
        ),
        Figure(
            name=f"HTTP load, {users} users: p95 latency",
            ours=result.p95_ms,
            unit="ms",
            target=AtMost(P95_TARGET_MS),
        ),
        Figure(
            name=f"HTTP load, {users} users: errors",
            ours=float(result.errors),
            unit="",
            target=AtMost(0),
            note=(
                f"{result.socket_errors} socket errors or timeouts, {result.unexpected_statuses} unexpected "
                f"statuses, of {result.requests} requests."
            ),
        ),
    ]
