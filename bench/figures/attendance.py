"""The attendance sheet of a session with 200 registered vs one with 20 (issue 3): the page, and saving it.

In a large municipality two weekly activities are made, one with 200 people registered and one with 20
(people by ``people_fill``, as ``manage.py bench_people`` makes them), each with a session that started an
hour ago and the tenant's volunteer as leader; all of it inside a transaction rolled back afterwards. The
leader opens the sheet (GET) and saves every row in one request (POST), the two sessions interleaved. Each
save flips every mark between present and excused, so every POST really writes every row and its change
record, as a correction does: the heavier of the two kinds of save.

The load figure's mix gets attendance saving too (``attendance_saving``): coordinators saving the sheet of
their municipality's latest session from the benchmark's year of activities (``bench.volumes.activities``),
everyone present, as a leader does at the end of an evening.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.choices import ActivityCategory, AttendanceStatus, RegistrationStatus
from activities.forms.attendance import MARK_PREFIX
from activities.models import Activity, Registration, Session
from bench.context import BenchContext
from bench.figures import figure
from bench.inprocess import expect_status, large_and_small, median_ms, rolled_back, signed_in_client
from bench.load import LoadRequest, load_requests
from bench.management.commands.bench_people import people_fill
from bench.report import AllOf, AtMost, Figure, RatioAtMost
from bench.schemas import use_public_schema
from bench.volumes.accounts import bench_email
from people.models import Person

LARGE = 200
SMALL = 20
ROUNDS = 5
PER_ROUND = 4
# A page a leader waits for on a phone: the sheet and its save within half a second of server time. Ten
# times the rows: the page at most three times slower (a fixed number of queries, only rendering grows);
# the save writes every row and its change record, so at most linear (ten times), never worse.
LIMIT_MS = 500.0
RATIO_LIMITS = {"GET": 3.0, "POST": 10.0}
LOAD_TENANTS = 6


def sheet_post_data(person_ids: Sequence[int], status: str, minutes: int = 90) -> dict[str, str]:
    """The form the sheet posts: one mark per row, the leader's time, "save"."""
    data = {f"{MARK_PREFIX}{pk}": status for pk in person_ids}
    data.update({"rest_absent": "on", "minutes": str(minutes), "action": "save"})
    return data


@load_requests(name="attendance saving", order=40)
def attendance_saving(ctx: BenchContext) -> list[LoadRequest]:
    """Saving the sheet of the latest built session in a few municipalities of every size."""
    requests = []
    for tenant in ctx.pick(LOAD_TENANTS):
        with ctx.tenant(tenant.slug):
            session = Session.objects.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
            if session is None:
                continue
            registered = list(
                Registration.objects.filter(
                    activity_id=session.activity_id, status=RegistrationStatus.REGISTERED
                ).values_list("person_id", flat=True)
            )
        use_public_schema()
        requests.append(
            LoadRequest(
                name=f"save attendance on {tenant.slug}",
                host=tenant.host,
                path=f"/staff/sessions/{session.pk}/attendance/",
                method="POST",
                body=urlencode(sheet_post_data(registered, AttendanceStatus.PRESENT)),
                cookies={settings.SESSION_COOKIE_NAME: ctx.session_cookie(tenant.slug, Role.COORDINATOR)},
                csrf=True,
                expect=302,
            )
        )
    return requests


def session_with_people(*, people: Sequence[Person], leader: User, title: str) -> Session:
    """An activity with ``people`` registered, led by ``leader``, and its session that began an hour ago."""
    activity = Activity.objects.create(
        title=title, category=ActivityCategory.LANGUAGE_CAFE, place="Biblioteket"
    )
    activity.leaders.add(leader)
    Registration.objects.bulk_create(
        Registration(activity=activity, person=person, status=RegistrationStatus.REGISTERED)
        for person in people
    )
    starts = timezone.now() - dt.timedelta(hours=1)
    return Session.objects.create(
        activity=activity, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), scheduled_start=starts
    )


def attendance_figures(timings: dict[str, tuple[float, float]], *, large: int, small: int) -> list[Figure]:
    """Rows for the sheet (GET) and its save (POST) from their (large, small) times in ms."""
    what = {"GET": "opening the sheet", "POST": "saving every row in one request"}
    return [
        Figure(
            name=f"Attendance sheet, {method}: {large} registered vs {small}",
            ours=timings[method][0],
            ours_label=f"{large} registered",
            baseline=timings[method][1],
            baseline_label=f"{small} registered",
            unit="ms",
            target=AllOf((AtMost(LIMIT_MS), RatioAtMost(RATIO_LIMITS[method]))),
            note=(
                f"A leader (volunteer) {what[method]}, server time through Django's test client: median "
                f"of {ROUNDS} rounds of {PER_ROUND} requests, both sessions interleaved; every POST flips "
                "every mark, so all rows and their change records are written. Rolled back afterwards."
            ),
        )
        for method in ("GET", "POST")
    ]


@figure(name="attendance", order=65)
def measure(ctx: BenchContext) -> list[Figure]:
    tenant, _small = large_and_small(ctx)
    client = signed_in_client(ctx, tenant, Role.VOLUNTEER)
    timings: dict[str, tuple[float, float]] = {}
    with rolled_back():
        with ctx.tenant(tenant.slug):
            people_fill(size=LARGE + SMALL)
            people = list(Person.objects.order_by("pk")[: LARGE + SMALL])
            leader = User.objects.get(email=bench_email(Role.VOLUNTEER, tenant.slug))
            sessions = {
                "ours": session_with_people(people=people[:LARGE], leader=leader, title="Språkcafé (stort)"),
                "baseline": session_with_people(people=people[LARGE:], leader=leader, title="Språkcafé"),
            }
            rows = {
                name: [p.pk for p in people[:LARGE]] if name == "ours" else [p.pk for p in people[LARGE:]]
                for name in sessions
            }
        use_public_schema()
        ctx.log(f"  sessions of {LARGE} and {SMALL} registered in {tenant.slug}")

        def get(name: str) -> Callable[[], object]:
            path = f"/staff/sessions/{sessions[name].pk}/attendance/"

            def run() -> object:
                response = client.get(path)
                expect_status(response, 200, path)
                if response.content.count(f'name="{MARK_PREFIX}'.encode()) < len(rows[name]):
                    raise RuntimeError(f"{path} does not show all {len(rows[name])} rows.")
                return response

            return run

        def post(name: str) -> Callable[[], object]:
            path = f"/staff/sessions/{sessions[name].pk}/attendance/"
            statuses = itertools.cycle([AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED])

            def run() -> object:
                response = client.post(path, sheet_post_data(rows[name], next(statuses)))
                expect_status(response, 302, f"POST {path}")
                return response

            return run

        for method, make in (("GET", get), ("POST", post)):
            measured = median_ms(
                {"ours": make("ours"), "baseline": make("baseline")}, rounds=ROUNDS, per_round=PER_ROUND
            )
            timings[method] = (measured["ours"], measured["baseline"])
    return attendance_figures(timings, large=LARGE, small=SMALL)
