"""Isolation proof: Värnamo's admin cannot reach Vaggeryd's data through any URL of the tenant urlconf.

Every pattern is found by walking the resolver (a new view is covered without editing this file). Vaggeryd
gets one object of each kind with the same id, chosen so that no Värnamo object has it, each carrying a
marker string. Signed in as Värnamo's admin, every URL is requested with that id on Värnamo's host (GET,
and POST for URLs that take an id) and, with the same session, on Vaggeryd's host. Any response that
carries the marker is a leak. The figures are printed and written to test-artifacts/isolation-report.txt.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.choices import ActivityCategory, FunderKind, RegistrationStatus, ScheduleKind
from activities.models import Activity, Project, Registration, ReportingDate, Session
from api.tests.routes import walk
from conftest import host, login
from donations.models import DonationCampaign
from matching.choices import MatchKind, MatchRequestStatus, MatchStatus
from matching.models import CheckIn, DistrictNeighbour, Match, MatchRequest, Pathway
from partners.choices import PartnerKind
from partners.models import Partner
from people.choices import ConsentPurpose, PersonGroup
from people.models import Consent, Household, Person
from portal.models import Signup
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

MARKER = "LÄCKA-VAGGERYD"
FOREIGN_ID = 987_654
# Signing out would end the session the rest of the walk needs.
SKIPPED = {"logout"}
STRING_PARAMS = {"purpose": "contact", "fmt": "csv", "token": "sample", "uidb64": "MQ"}
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "isolation-report.txt"


def _fill(route: str) -> str:
    def param(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if converter == "int":
            return str(FOREIGN_ID)
        if converter == "uuid":
            return str(uuid.UUID(int=FOREIGN_ID))
        return STRING_PARAMS.get(name, str(FOREIGN_ID))

    route = re.sub(r"<(?:(\w+):)?(\w+)>", param, route)
    route = re.sub(r"\(\?P<format>[^)]*\)", "", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", str(FOREIGN_ID), route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\", "")


def tenant_routes() -> list[tuple[str, str, bool]]:
    """(view name, concrete path, whether it takes an object id) for every pattern but the skipped ones."""
    routes = {}
    for raw, pattern in walk():
        if pattern.name in SKIPPED:
            continue
        routes[_fill(raw)] = (pattern.name or raw, "<" in raw or "(?P<" in raw)
    return sorted((name, path, takes_id) for path, (name, takes_id) in routes.items())


def _vaggeryd_objects() -> None:
    """One object of each kind, id FOREIGN_ID, each carrying the marker where it has text."""
    user = User.objects.create(
        pk=FOREIGN_ID, email="lacka@vaggeryd.demo", full_name=MARKER, role=Role.COORDINATOR
    )
    household = Household.objects.create(pk=FOREIGN_ID, name=MARKER, notes=MARKER)
    person = Person.objects.create(
        pk=FOREIGN_ID,
        first_name=MARKER,
        last_name=MARKER,
        group=PersonGroup.NEWCOMER,
        household=household,
        notes=MARKER,
    )
    established = Person.objects.create(pk=FOREIGN_ID + 1, first_name=MARKER, group=PersonGroup.ESTABLISHED)
    partner = Partner.objects.create(
        pk=FOREIGN_ID, name=MARKER, kind=PartnerKind.values[0], description=MARKER
    )
    activity = Activity.objects.create(
        pk=FOREIGN_ID,
        title=MARKER,
        description=MARKER,
        category=ActivityCategory.OTHER,
        schedule_kind=ScheduleKind.SINGLE,
        is_public=False,
        place=MARKER,
    )
    starts = timezone.now() + dt.timedelta(days=3)
    Session.objects.create(
        pk=FOREIGN_ID,
        activity=activity,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        scheduled_start=starts,
        place=MARKER,
        note=MARKER,
    )
    Registration.objects.create(
        pk=FOREIGN_ID, activity=activity, person=person, status=RegistrationStatus.REGISTERED
    )
    project = Project.objects.create(
        pk=FOREIGN_ID,
        name=MARKER,
        funder_kind=FunderKind.values[0],
        description=MARKER,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=300),
    )
    ReportingDate.objects.create(
        pk=FOREIGN_ID, project=project, due_on=timezone.localdate(), description=MARKER
    )
    newcomer = MatchRequest.objects.create(
        pk=FOREIGN_ID, kind=MatchKind.LANGUAGE_FRIEND, group=PersonGroup.NEWCOMER, person=person, note=MARKER
    )
    other = MatchRequest.objects.create(
        pk=FOREIGN_ID + 1,
        kind=MatchKind.LANGUAGE_FRIEND,
        group=PersonGroup.ESTABLISHED,
        person=established,
        note=MARKER,
    )
    match = Match.objects.create(
        pk=FOREIGN_ID,
        kind=MatchKind.LANGUAGE_FRIEND,
        newcomer_request=newcomer,
        established_request=other,
        proposed_on=timezone.localdate(),
        note=MARKER,
        coordinator=user,
    )
    CheckIn.objects.create(pk=FOREIGN_ID, match=match, months=1, due_on=timezone.localdate(), note=MARKER)
    # A running pair whose check-in is due, so the list of check-ins due has something to leak.
    running = Match.objects.create(
        pk=FOREIGN_ID + 1,
        kind=MatchKind.ACTIVITY_BUDDY,
        status=MatchStatus.ACTIVE,
        newcomer_request=MatchRequest.objects.create(
            pk=FOREIGN_ID + 2,
            kind=MatchKind.ACTIVITY_BUDDY,
            group=PersonGroup.NEWCOMER,
            person=person,
            status=MatchRequestStatus.MATCHED,
        ),
        established_request=MatchRequest.objects.create(
            pk=FOREIGN_ID + 3,
            kind=MatchKind.ACTIVITY_BUDDY,
            group=PersonGroup.ESTABLISHED,
            person=established,
            status=MatchRequestStatus.MATCHED,
        ),
        proposed_on=timezone.localdate(),
        started_on=timezone.localdate(),
        coordinator=user,
    )
    CheckIn.objects.create(pk=FOREIGN_ID + 1, match=running, months=1, due_on=timezone.localdate())
    Consent.objects.create(
        person=person,
        purpose=ConsentPurpose.PHOTOS,
        given=True,
        given_by_guardian=True,
        guardian_name=MARKER,
        recorded_by=user,
    )
    DistrictNeighbour.objects.create(pk=FOREIGN_ID, district_a=MARKER, district_b=MARKER + "-2")
    Pathway.objects.create(
        pk=FOREIGN_ID,
        person=person,
        partner=partner,
        arena="sport",
        goal=MARKER,
        stage_on=timezone.localdate(),
        note=MARKER,
    )
    Signup.objects.create(
        pk=FOREIGN_ID, group=PersonGroup.NEWCOMER, contact_first_name=MARKER, language="sv", consent=True
    )
    # Not shown on the public donate page: public pages on Vaggeryd's own host may show public data.
    DonationCampaign.objects.create(pk=FOREIGN_ID, title=MARKER, is_active=False)


def _carries_marker(client: Client, method: str, path: str) -> tuple[bool, int]:
    response = getattr(client, method)(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return MARKER.encode() in body or MARKER.encode("unicode_escape") in body, response.status_code


def _leaks(
    client: Client, routes: list[tuple[str, str, bool]], public: Client | None = None
) -> tuple[int, list[str]]:
    """Requests made and leaks found. With ``public`` (an anonymous visitor of the same host), what that
    visitor sees too is public (e.g. the partners named on the home page) and not counted as a leak."""
    tried, leaks = 0, []
    for name, path, takes_id in routes:
        methods = ("get", "post") if takes_id else ("get",)
        for method in methods:
            carries, status = _carries_marker(client, method, path)
            tried += 1
            if carries and (public is None or not _carries_marker(public, method, path)[0]):
                leaks.append(f"{method.upper()} {path} ({name}) → {status}")
    return tried, leaks


@pytest.mark.slow
def test_no_url_gives_varnamo_admin_vaggeryd_data(varnamo: Municipality, vaggeryd: Municipality) -> None:
    with vaggeryd:
        _vaggeryd_objects()
    with varnamo:
        assert not Person.objects.filter(pk=FOREIGN_ID).exists(), "the foreign id must not exist in Värnamo"
    routes = tenant_routes()
    admin = login("varnamo", Role.ADMIN)

    tried_home, leaks_home = _leaks(admin, routes)
    # The walk ran signed in all along: the admin still reaches their own register.
    assert admin.get("/staff/people/").status_code == 200
    # The same session on Vaggeryd's host: it is not a session there, so it must get nothing more than an
    # anonymous visitor of Vaggeryd's public pages gets.
    cross = Client(HTTP_HOST=host("vaggeryd"))
    cross.cookies = SimpleCookie(admin.cookies.output(header="", sep="\n"))
    assert (
        cross.cookies[settings.SESSION_COOKIE_NAME].value == admin.cookies[settings.SESSION_COOKIE_NAME].value
    )
    tried_cross, leaks_cross = _leaks(cross, routes, public=Client(HTTP_HOST=host("vaggeryd")))

    lines = [
        f"URL patterns walked: {len(routes)} (with an object id: {sum(1 for r in routes if r[2])})",
        f"Requests on Värnamo's host as Värnamo's admin: {tried_home}, leaks: {len(leaks_home)}",
        f"Requests on Vaggeryd's host with Värnamo's session: {tried_cross}, leaks: {len(leaks_cross)}",
        *leaks_home,
        *leaks_cross,
    ]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert len(routes) > 50 and tried_home > len(routes)
    assert leaks_home == [] and leaks_cross == []
    with vaggeryd:
        # The POSTs wrote nothing into Vaggeryd either.
        assert Person.objects.get(pk=FOREIGN_ID).erased_at is None
        assert Match.objects.get(pk=FOREIGN_ID).status == "proposed"
        assert Registration.objects.get(pk=FOREIGN_ID).status == RegistrationStatus.REGISTERED


def test_the_marker_would_be_seen(vaggeryd: Municipality) -> None:
    """The detector works: Vaggeryd's own admin does see the marker on the same URLs."""
    with vaggeryd:
        _vaggeryd_objects()
    own = login("vaggeryd", Role.ADMIN)
    seen = [
        path
        for _name, path, _id in tenant_routes()
        if path.startswith("/staff/people/") and MARKER in own.get(path).content.decode()
    ]
    assert f"/staff/people/{FOREIGN_ID}/" in seen
    # The API's reads that show the marker only with the right records behind them.
    for path in (f"/api/v1/people/{FOREIGN_ID}/consents/", "/api/v1/matches/check-ins-due/"):
        assert MARKER in own.get(path).content.decode(), path
