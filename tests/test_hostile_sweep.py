"""Every page and every API operation, fed the hostile values of ``tests/hostile.py``: never a server error.

Pages are found by walking the tenant and the public URL configuration (a new view is swept without editing
this file), their path parameters filled with the ids of Värnamo's demo data. Each page is fetched as the
user who may use it (Värnamo's admin; its coordinator where the admin is refused; the association's board
member for the board's pages; an anonymous visitor for the public pages, in several languages; an operator
for the operators' page on the platform's host). Every form the page shows is read from its HTML and sent
back with its own hidden and default values and the hostile values in its text fields: once rotating the
whole set through all of them, and once with one value of each kind (formula, control character, direction
override, emoji, NUL, 10,000 characters) in its first text field while the others hold something ordinary,
so that saves go through. Query parameters of every
page (the search and filter forms it shows, and ``q``, ``search``, ``page``, ``format``, ``period``,
``sort``, ``next``) get them too. The pages the saves lead to are fetched once per form afterwards, showing
everything saved through it.

The API's operations come from its OpenAPI contract: every string property of a request body and every
query parameter gets hostile values, with an admin's token; every answer is JSON.

Each test runs in a transaction that is rolled back, so the demo data stays as it was.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import Role
from activities.models import Activity, Project, Registration, ReportingDate, Session
from api.models import ApiToken
from conftest import login, operator_client, tenant_client
from donations.models import DonationCampaign
from matching.models import CheckIn, DistrictNeighbour, Match, MatchRequest, Pathway
from partners.models import Partner
from people.models import Household, Person, PersonImport
from portal.models import Signup
from tenants.models import Municipality, OnboardingApplication
from tests.hostile import ALL
from tests.support.api_clients import Api, token_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VALUES = ALL
# One of each kind, for the pass that puts a value in a form's first text field and ordinary ones elsewhere.
KINDS = [
    v for v in VALUES if v.startswith(("=HYPERLINK", "Probe", "rtl", "emoji", "NUL")) or len(v) == 10_000
]
# Signing out would end the session the rest of a page's sweep needs; the API has its own sweep below;
# Django's own admin is not ours to sweep (its forms are Django's, and operators only).
SKIPPED_NAMES = {"logout", "api-not-found", "schema", "docs"}
SKIPPED_PREFIXES = ("api/", "admin/")
QUERY_PARAMS = ("q", "search", "page", "format", "period", "sort", "next", "status", "project")
TEXT_TYPES = {"text", "search", "email", "tel", "url", "number", ""}
# An ordinary value for a field whose page leaves it empty, so that the other fields' hostile values reach
# the save and the page that shows it.
ORDINARY = {
    "email": "svep@example.se",
    "tel": "070-123 45 67",
    "url": "https://example.se/",
    "number": "1",
    "date": dt.date.today().isoformat(),
    "time": "10:00",
    "datetime-local": f"{dt.date.today().isoformat()}T10:00",
    "month": dt.date.today().strftime("%Y-%m"),
    "password": "ett-langt-losenord-for-svepet",
}
PUBLIC_LANGUAGES = ("sv", "en", "ar", "prs", "ti", "so", "uk")


# --- Reading forms from a page ----------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fixed: list[tuple[str, str]] = field(default_factory=list)  # hidden, checked, selected, submit
    text: list[tuple[str, str]] = field(default_factory=list)  # (name, the page's value or an ordinary one)

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return self.action, self.method, tuple(name for name, _ in self.fixed + self.text)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, selected, first values
        self._submit_named = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self._submit_named = False
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind in TEXT_TYPES:
                form.text.append((name, value or ORDINARY.get(kind, "Svep" if "required" in a else "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a or ("required" in a and kind == "checkbox"):
                    form.fixed.append((name, value or "on"))
                elif kind == "radio" and name not in {n for n, _ in form.fixed}:
                    form.fixed.append((name, value))
            elif kind in ("submit", "image"):
                if not self._submit_named:
                    form.fixed.append((name, value))
                    self._submit_named = True
            elif kind == "file":
                pass
            else:  # hidden, date, time, password, …
                form.fixed.append((name, value or ORDINARY.get(kind, "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit" and not self._submit_named:
            form.fixed.append((name, a.get("value", "")))
            self._submit_named = True
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a:
                self._select[1].append(value)
            elif value:
                self._select[2].append(value)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "textarea" and self._textarea is not None and form is not None:
            name, parts = self._textarea
            form.text.append((name, "".join(parts).strip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and form is not None:
            name, selected, others = self._select
            for value in selected or others[:1]:
                form.fixed.append((name, value))
            self._select = None
        elif tag == "form" and form is not None:
            self.forms.append(form)
            self._form = None


def forms_on(html: str, page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        form.action = urljoin(page, form.action or page)
        forms.append(form)
    return forms


# --- Sending hostile values ---------------------------------------------------------------------------


def encoded(pairs: list[tuple[str, str]]) -> str:
    # A lone surrogate is not UTF-8: send the bytes a broken client would (Django replaces them on reading).
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def rotations(names: list[str]) -> Iterator[dict[str, str]]:
    """Every hostile value at least once, spread over ``names`` (value i+j in field j of request i)."""
    if not names:
        return
    for i in range(math.ceil(len(VALUES) / len(names))):
        yield {name: VALUES[(i * len(names) + j) % len(VALUES)] for j, name in enumerate(names)}


@dataclass
class Sweep:
    client: Client
    tenant: Municipality | None
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A view's exception becomes the 500 a visitor would get, and is recorded instead of raised.
        self.client.raise_request_exception = False

    def check(self, method: str, path: str, response: Any, sent: str) -> None:
        self.requests += 1
        if self.tenant is not None:
            connection.set_tenant(self.tenant)
        else:
            connection.set_schema_to_public()
        responses = [*getattr(response, "redirect_chain", []), (path, response.status_code)]
        body = b"" if response.streaming else response.content
        exc = getattr(response, "exc_info", None)
        if response.status_code >= 500 or exc is not None or b"Traceback" in body:
            reason = repr(exc[1])[:300] if exc else f"status {response.status_code}"
            self.failures.append(f"{method} {path} with {sent[:120]!r} → {reason} ({responses[-1]})")

    def get(self, path: str, params: list[tuple[str, str]], *, follow: bool = False) -> Any:
        url = f"{path}?{encoded(params)}" if params else path
        response = self.client.get(url, follow=follow)
        self.check("GET", url, response, repr(params))
        return response

    def post(self, path: str, pairs: list[tuple[str, str]]) -> Any:
        response = self.client.post(path, encoded(pairs), content_type="application/x-www-form-urlencoded")
        self.check("POST", path, response, repr(pairs))
        return response

    def send_form(self, form: Form) -> None:
        names = [name for name, _ in form.text]
        sent = [form.fixed + [(name, hostile[name]) for name in names] for hostile in rotations(names)]
        if names:
            sent += [[*form.fixed, (names[0], value), *form.text[1:]] for value in KINDS]
        if form.method != "post":
            for pairs in sent:
                self.get(form.action, pairs)
            return
        shown = set()
        for pairs in sent:
            response = self.post(form.action, pairs)
            if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
                shown.add(response["Location"])
        # Where the saves led (a detail page, a list): shown once, with everything the sweep saved in it.
        for location in sorted(shown):
            self.get(location, [])

    def sweep_page(self, path: str) -> None:
        page = self.get(path, [], follow=True)
        if page.redirect_chain or page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            return  # a page this user may not see (or reaches by a redirect: swept on its own)
        # Query parameters the page may read, with and without its own search and filter forms.
        for hostile in rotations(list(QUERY_PARAMS)):
            self.get(path, list(hostile.items()))
        for form in forms_on(page.content.decode(), path):
            if urlsplit(form.action).netloc or form.action.endswith("/logout/"):
                continue
            # A form met on many pages (the language switch, a check-in's "done") is swept once per run.
            hostname = self.client.defaults.get("HTTP_HOST", "")
            key = (hostname, _route(form.action, hostname), form.key()[1:])
            if key in SWEPT_FORMS:
                continue
            SWEPT_FORMS.add(key)
            self.send_form(form)


SWEPT_FORMS: set[Any] = set()


def _route(path: str, hostname: str) -> str:
    urlconf = "ivplatform.urls_public" if hostname == settings.BASE_DOMAIN else "ivplatform.urls_tenant"
    try:
        return str(resolve(urlsplit(path).path, urlconf=urlconf).route)
    except Resolver404:
        return path


def assert_no_failures(sweep: Sweep) -> None:
    assert sweep.requests > 0
    assert sweep.failures == [], "\n".join(sweep.failures)


# --- Pages --------------------------------------------------------------------------------------------


def walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        here = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry, here)
        else:
            yield here, entry


def routes(urlconf: str) -> list[str]:
    found = []
    for raw, pattern in walk(get_resolver(urlconf)):
        if pattern.name in SKIPPED_NAMES or raw.startswith(SKIPPED_PREFIXES) or raw in found:
            continue
        found.append(raw)
    return found


TENANT_ROUTES = routes("ivplatform.urls_tenant")
PUBLIC_ROUTES = routes("ivplatform.urls_public")


def _first(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


# Which model a route's ``pk`` names, by the route's start (the longest one that fits wins).
PK_MODELS: dict[str, Callable[[], Any]] = {
    "activities/": lambda: _first(Activity, is_public=True),
    "staff/signups/": lambda: _first(Signup),
    "profile/api-tokens/": lambda: _first(ApiToken),
    "donate/qr/": lambda: _first(DonationCampaign),
    "staff/donations/campaigns/": lambda: _first(DonationCampaign),
    "staff/users/invitations/": lambda: _first(Invitation),
    "staff/users/": lambda: _first(User, role=Role.VOLUNTEER),
    "staff/people/": lambda: _first(Person, erased_at__isnull=True, household__isnull=False),
    "staff/households/": lambda: _first(Household),
    "staff/import/": lambda: _first(PersonImport),
    "staff/partners/": lambda: _first(Partner),
    "staff/activities/": lambda: _first(Activity),
    "staff/sessions/": lambda: _first(Session, starts_at__gte=timezone.now()),
    "staff/projects/": lambda: _first(Project),
    "staff/matching/requests/": lambda: _first(MatchRequest),
    "staff/matching/matches/": lambda: _first(Match),
    "staff/matching/people/": lambda: _first(Person, erased_at__isnull=True),
    "staff/matching/districts/": lambda: _first(DistrictNeighbour),
    "staff/pathways/": lambda: _first(Pathway),
    "staff/privacy/retention/": lambda: _first(Person, erased_at__isnull=True),
}


def fill(raw: str) -> str:
    """``raw`` with real ids of the current tenant's demo data (1 where it has none)."""
    start = raw.split("<", 1)[0]
    pk_source = max((p for p in PK_MODELS if start.startswith(p)), key=len, default=None)
    pk = PK_MODELS[pk_source]() if pk_source and "<int:pk>" in raw else None
    values: dict[str, Callable[[], Any]] = {
        "pk": lambda: pk,
        "registration_pk": lambda: _first(Registration, activity_id=pk),
        "date_pk": lambda: _first(ReportingDate, project_id=pk),
        "check_in_pk": lambda: _first(CheckIn, match_id=pk),
        "candidate_pk": lambda: _first(Person, is_volunteer=True, erased_at__isnull=True),
        "person_id": lambda: _first(Person, erased_at__isnull=True),
        "token_id": lambda: _first(ApiToken),
        "campaign_id": lambda: _first(DonationCampaign),
        "public_id": lambda: OnboardingApplication.objects.values_list("public_id", flat=True).first(),
        "purpose": lambda: "contact",
        "fmt": lambda: "csv",
        "uidb64": lambda: "MQ",
        "token": lambda: "sample",
    }

    def param(match: re.Match[str]) -> str:
        source = values.get(match.group(2))
        value = source() if source else None
        return str(value if value is not None else (uuid.UUID(int=1) if match.group(1) == "uuid" else 1))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", param, raw)


@pytest.mark.parametrize("raw", TENANT_ROUTES)
def test_no_tenant_page_fails_on_hostile_input(
    varnamo: Municipality, association: Municipality, raw: str
) -> None:
    slug, tenant, roles = (
        ("iv", association, (Role.BOARD,))
        if raw.startswith("board/")
        else ("varnamo", varnamo, (Role.ADMIN, Role.COORDINATOR))
    )
    with tenant:
        path = fill(raw)
    for role in roles:
        client = login(slug, role)
        connection.set_tenant(tenant)
        probe = client.get(path)
        if probe.status_code in (403, 404) or (probe.status_code == 302 and "/login/" in probe["Location"]):
            continue
        sweep = Sweep(client, tenant)
        sweep.sweep_page(path)
        assert_no_failures(sweep)
        break
    # Anonymous visitors: the public pages and the login, reset and sign-up forms.
    anonymous = Sweep(tenant_client(slug), tenant)
    anonymous.sweep_page(path)
    assert_no_failures(anonymous)


PORTAL_PAGES = ("/", "/activities/", "/activities/week/", "/signup/", "/privacy/", "/donate/")


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_no_public_page_fails_on_hostile_input_in_any_language(varnamo: Municipality, language: str) -> None:
    client = tenant_client("varnamo")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sweep = Sweep(client, varnamo)
    for path in PORTAL_PAGES:
        page = sweep.get(path, [])
        assert page.status_code == 200, path
        assert f'lang="{language}"' in page.content.decode(), path
        for form in forms_on(page.content.decode(), path):
            if form.method == "post":
                for hostile in rotations([name for name, _ in form.text]):
                    sweep.post(form.action, form.fixed + list(hostile.items()))
    assert_no_failures(sweep)


@pytest.mark.parametrize("raw", PUBLIC_ROUTES)
def test_no_platform_page_fails_on_hostile_input(raw: str) -> None:
    connection.set_schema_to_public()
    path = fill(raw) if "<" in raw else "/" + raw
    for client in (Client(HTTP_HOST=settings.BASE_DOMAIN), operator_client()):
        sweep = Sweep(client, None)
        sweep.sweep_page(path)
        assert_no_failures(sweep)


def test_the_walk_finds_the_pages_and_their_forms(varnamo: Municipality) -> None:
    """The sweep cannot pass by finding nothing: known forms are found with their text fields."""
    assert len(TENANT_ROUTES) > 100 and "staff/people/new/" in TENANT_ROUTES and "signup/" in TENANT_ROUTES
    admin = login("varnamo", Role.ADMIN)
    page = admin.get("/staff/people/new/")
    (form,) = [f for f in forms_on(page.content.decode(), "/staff/people/new/") if "first_name" in f.key()[2]]
    names = {name for name, _ in form.text}
    assert {"first_name", "last_name", "notes"} <= names
    assert form.action == "/staff/people/new/"
    assert any(name == "csrfmiddlewaretoken" for name, _ in form.fixed)
    # A 10,000-character value is among those sent.
    assert any(len(value) >= 10_000 for value in VALUES)
    # Values are sent as a real client would, a lone surrogate as its (invalid) UTF-8 bytes.
    assert encoded([("a", "\ud800")]) == "a=%ED%A0%80"


# --- The API --------------------------------------------------------------------------------------------


def _contract() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return dict(SchemaGenerator(urlconf="ivplatform.urls_tenant").get_schema(request=None, public=True))


DOCUMENT = _contract()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "patch", "put", "delete")
    )


OPERATIONS = _operations(DOCUMENT)


class Contract:
    """The served OpenAPI contract, and request bodies and query strings made from it."""

    def __init__(self, document: dict[str, Any], ints: dict[str, Any]) -> None:
        self.document = document
        self.ints = ints

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.resolve(schema["allOf"][0])
        return schema

    def operation(self, method: str, path: str) -> dict[str, Any]:
        return dict(self.document["paths"][path][method.lower()])

    def body_schema(self, operation: dict[str, Any]) -> dict[str, Any] | None:
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        return self.resolve(content["schema"]) if content else None

    def strings(self, schema: dict[str, Any], prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Where a body of ``schema`` holds free text: paths to its string properties."""
        schema = self.resolve(schema)
        if schema.get("type") == "array":
            return self.strings(schema["items"], (*prefix, 0))
        found = []
        for name, prop in schema.get("properties", {}).items():
            prop = self.resolve(prop)
            if prop.get("readOnly"):
                continue
            if prop.get("type") == "string" and "enum" not in prop and "format" not in prop:
                found.append((*prefix, name))
            elif prop.get("type") in ("object", "array") or "properties" in prop:
                found.extend(self.strings(prop, (*prefix, name)))
        return found

    def ordinary(self, schema: dict[str, Any], name: str = "") -> Any:
        """A body every non-text property of which is plausible (real ids of the demo where it names one)."""
        schema = self.resolve(schema)
        kind = schema.get("type")
        if "enum" in schema:
            return next(value for value in schema["enum"] if value not in (None, ""))
        if kind == "array":
            return [self.ordinary(schema["items"], name)]
        if kind == "object" or "properties" in schema:
            return {
                key: self.ordinary(prop, key)
                for key, prop in schema.get("properties", {}).items()
                if not self.resolve(prop).get("readOnly")
            }
        if kind == "integer":
            return self.ints.get(name.removesuffix("_id").removesuffix("s"), 1)
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return False
        if schema.get("format") == "date":
            return (timezone.localdate() + dt.timedelta(days=7)).isoformat()
        if schema.get("format") == "date-time":
            return (timezone.now() + dt.timedelta(days=7)).isoformat()
        if schema.get("format") == "email":
            return ORDINARY["email"]
        if schema.get("format") == "uri":
            return ORDINARY["url"]
        return "Svep"


def _put(body: Any, where: tuple[Any, ...], value: str) -> None:
    for step in where[:-1]:
        body = body[step]
    body[where[-1]] = value


def _api_ids(api: Api, path: str) -> str:
    """``path`` with the ids of the demo's objects in place of its parameters (the first of its list)."""

    def first_id(collection: str) -> str:
        listed = api.get(collection).json()
        items = listed.get("results", listed) if isinstance(listed, dict) else listed
        return str(items[0]["id"]) if items else "1"

    while "{" in path:
        start, rest = path.split("{", 1)
        name, rest = rest.split("}", 1)
        if name == "id":
            value = first_id(start)
        else:  # a nested collection: its list is the path up to here
            value = first_id(start) if api.get(start).status_code == 200 else "1"
        path = start + value + rest
    return path


def _json_answer(sweep: Sweep, method: str, path: str, response: Any, sent: Any) -> None:
    sweep.check(method, path, response, repr(sent))
    if response.status_code != 204:
        assert response["Content-Type"].startswith("application/json"), (method, path, response.status_code)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_api_operation_fails_on_hostile_input(
    in_varnamo: Municipality, association: Municipality, method: str, path: str
) -> None:
    if path.startswith("/api/v1/stats/"):
        slug, tenant, role = "iv", association, Role.BOARD
    else:
        slug, tenant, role = "varnamo", in_varnamo, Role.ADMIN
    connection.set_tenant(tenant)
    api = Api(slug, token_for(User.objects.get(email=f"{role.value}@{slug}.demo")))
    api.client.raise_request_exception = False
    document = DOCUMENT
    ints = {
        "person": _first(Person, erased_at__isnull=True),
        "volunteer": _first(Person, is_volunteer=True, erased_at__isnull=True),
        "candidate": _first(Person, is_volunteer=True, erased_at__isnull=True),
        "household": _first(Household),
        "activity": _first(Activity),
        "partner": _first(Partner),
        "session": _first(Session),
        "project": _first(Project),
        "match_request": _first(MatchRequest),
        "coordinator": _first(User, role=Role.COORDINATOR),
        "leader": _first(User, role=Role.VOLUNTEER),
    }
    contract = Contract(document, ints)
    concrete = _api_ids(api, path)
    operation = contract.operation(method, path)
    sweep = Sweep(api.client, tenant)
    if method == "GET":
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for hostile in rotations(names):
            response = api.client.get(f"{concrete}?{encoded(list(hostile.items()))}", **api.headers)
            _json_answer(sweep, method, concrete, response, hostile)
        response = api.get(concrete)
        _json_answer(sweep, method, concrete, response, None)
    else:
        schema = contract.body_schema(operation)
        if schema is None:
            _json_answer(sweep, method, concrete, api.send(method, concrete, {}), None)
        else:
            strings = contract.strings(schema)
            bodies = []
            for hostile in rotations([str(where) for where in strings]):
                body = contract.ordinary(schema)
                for where in strings:
                    _put(body, where, hostile[str(where)])
                bodies.append(body)
            for value in KINDS if strings else ["Svep"]:
                body = contract.ordinary(schema)
                if strings:
                    _put(body, strings[0], value)
                bodies.append(body)
            for body in bodies:
                _json_answer(sweep, method, concrete, api.send(method, concrete, body), body)
                connection.set_tenant(tenant)
    assert_no_failures(sweep)
