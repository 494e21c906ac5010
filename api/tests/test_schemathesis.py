"""schemathesis against /api/schema/: no server error and no response that breaks the contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import ignored_auth
from schemathesis.specs.openapi.formats import unregister_string_format

from accounts.roles import Role
from api.services import api_token_create
from conftest import demo_user, host
from tenants.models import Municipality

Environ = dict[str, Any]
WSGIApp = Callable[[Environ, Callable[..., Any]], Iterable[bytes]]


class OnHost:
    """Serve the app as if every request came to ``hostname``: the API lives on tenant hosts only."""

    def __init__(self, app: WSGIApp, hostname: str) -> None:
        self.app = app
        self.hostname = hostname

    def __call__(self, environ: Environ, start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["HTTP_HOST"] = self.hostname
        environ["SERVER_NAME"] = self.hostname
        return self.app(environ, start_response)


def api_token(slug: str, role: Role) -> str:
    user = demo_user(slug, role)
    with Municipality.objects.get(schema_name=slug):
        return api_token_create(user=user, name="schemathesis").plaintext


@contextmanager
def schema_on(slug: str) -> Iterator[Any]:
    # WSGIHandler, not get_wsgi_application(): the latter runs django.setup() again, which reconfigures
    # logging and would drop the whole-run log scan's collector. The WSGI handler closes the database
    # connection after each request; the test's transaction lives on that connection, so keep it open as
    # Django's own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", OnHost(WSGIHandler(), host(slug)))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# Where each run goes, as whom, on which operations: a municipality's coordinator reads and writes every
# resource of the local network (POST and PATCH with generated bodies, on the demo's records and on missing
# ones); on the association's host a board member reads the statistics (the rest answers 403 there, which
# the role tests cover).
RUNS = {"varnamo": (Role.COORDINATOR, "/api/v1/"), "iv": (Role.BOARD, "/api/v1/stats/")}


@contextmanager
def dates_within_the_contract() -> Iterator[None]:
    """The contract's dates carry their years (1900–2099) as a pattern beside the format. schemathesis
    draws a date from all of 0001–9999 and throws away what the pattern refuses, seconds per operation:
    draw them where the contract allows them in the first place."""
    days = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))
    offsets = st.sampled_from(["Z", "+01:00", "+02:00", "-05:00", "+05:30"])
    moments = st.builds(
        "{}T{:02d}:{:02d}:{:02d}{}".format,
        days,
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
        offsets,
    )
    schemathesis.openapi.format("date", days.map(str))
    schemathesis.openapi.format("date-time", moments)
    try:
        yield
    finally:
        unregister_string_format("date")
        unregister_string_format("date-time")


@pytest.mark.slow
@pytest.mark.parametrize("slug", RUNS)
def test_api_keeps_its_contract(slug: str, db: None) -> None:
    role, prefix = RUNS[slug]
    with schema_on(slug) as api_schema, dates_within_the_contract():
        check_every_operation(api_schema, api_token(slug, role), prefix)


def check_every_operation(api_schema: Any, token: str, prefix: str) -> None:
    # schemathesis' pytest plugin does not yet support pytest 9, so each operation is driven through
    # hypothesis directly: same strategies, same checks.
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations = [operation for operation in operations if operation.path.startswith(prefix)]
    assert operations, "the schema describes no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            # ignored_auth corrupts one credential while ours stays valid beside it (the contract offers
            # bearer or session); invalid and foreign tokens are tested directly in test_tokens and
            # test_isolation instead.
            case.call_and_validate(headers=headers, excluded_checks=[ignored_auth])

        check()
