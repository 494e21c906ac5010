"""Memory: resident size of a web worker after serving every tenant once vs after serving one.

One gunicorn sync worker on a loopback port. It first serves one municipality's front page and its
admin's user list, and the platform's landing page, a number of times (so what loads on first use is
loaded), and its resident set size (VmRSS) is read; then it serves the same two pages of every tenant
once, signed in as each tenant's admin, and the size is read again. Caches that grow with the number of
tenants would show as the ratio.
"""

from __future__ import annotations

from django.conf import settings

from accounts.roles import Role
from bench.context import BenchContext
from bench.figures import figure
from bench.report import AllOf, AtMost, Figure, RatioAtMost
from bench.server import get, gunicorn, rss_bytes

WARMUP_ROUNDS = 25
PAGES = ("/", "/staff/users/")
MIB = 1024 * 1024


def _serve_tenant(port: int, host: str, cookie: str) -> None:
    for path in PAGES:
        status, body = get(port, path, host=host, cookie=f"{settings.SESSION_COOKIE_NAME}={cookie}")
        if status != 200 or b'name="password"' in body:
            raise RuntimeError(f"{path} on {host} answered {status} or asked to log in.")


@figure(name="memory", order=50)
def measure(ctx: BenchContext) -> Figure:
    tenants = list(ctx.plan)
    ctx.log(f"  signing in an admin on each of {len(tenants)} tenants")
    cookies = {tenant.slug: ctx.session_cookie(tenant.slug, Role.ADMIN) for tenant in tenants}
    first = ctx.municipalities[0]
    with gunicorn(
        ports=ctx.config.ports, workers=1, env=ctx.subprocess_env(), health_host=settings.BASE_DOMAIN
    ) as server:
        port = server.port
        (worker,) = server.worker_pids()
        for _ in range(WARMUP_ROUNDS):
            _serve_tenant(port, first.host, cookies[first.slug])
            status, _ = get(port, "/", host=settings.BASE_DOMAIN)
            if status != 200:
                raise RuntimeError(f"The platform's landing page answered {status}.")
        after_one = rss_bytes(worker)
        for tenant in tenants:
            _serve_tenant(port, tenant.host, cookies[tenant.slug])
        after_all = rss_bytes(worker)
    ctx.log(
        f"  worker {worker}: {after_one / MIB:.1f} MiB after one tenant, {after_all / MIB:.1f} MiB after all"
    )
    return Figure(
        name=f"Web worker memory after serving all {len(tenants)} tenants",
        ours=after_all / MIB,
        ours_label=f"after {len(tenants)} tenants",
        baseline=after_one / MIB,
        baseline_label="after one",
        unit="MiB",
        target=AllOf((RatioAtMost(1.10), AtMost(200.0))),
        note=(
            "Resident size (VmRSS) of one gunicorn sync worker: after serving one municipality's front page "
            f"and admin user list {WARMUP_ROUNDS} times, then after serving both pages of every tenant once. "
            "Memory must not grow with the number of tenants."
        ),
    )
