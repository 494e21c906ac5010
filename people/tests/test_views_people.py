"""People and household pages per role, across tenants, with fixed query counts and exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from accounts.models import User
from accounts.roles import Role
from conftest import login, tenant_client
from people.models import Consent, Household, Person
from tenants.connection import tenant_connection
from tenants.models import Municipality
from tests.support.people_factories import (
    ActivityFactory,
    HouseholdFactory,
    PersonFactory,
    RegistrationFactory,
)
from tests.support.queries import real_queries

pytestmark = pytest.mark.django_db

READ_PAGES = ["/staff/people/", "/staff/households/"]
WRITE_PAGES = ["/staff/people/new/", "/staff/households/new/", "/staff/import/"]
STAFF = [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER]


def statements(queries: int) -> int:
    """django-tenants sends ``SET search_path`` before each query; the test client captures both."""
    return 2 * queries


@pytest.mark.parametrize("path", READ_PAGES)
@pytest.mark.parametrize("role", STAFF)
def test_every_staff_role_opens_the_lists(path: str, role: Role) -> None:
    assert login("varnamo", role).get(path).status_code == 200


@pytest.mark.parametrize("path", WRITE_PAGES)
@pytest.mark.parametrize("role", STAFF)
def test_only_admins_and_coordinators_register_people(path: str, role: Role) -> None:
    expected = 403 if role == Role.VOLUNTEER else 200
    assert login("varnamo", role).get(path).status_code == expected


@pytest.mark.parametrize("path", READ_PAGES + WRITE_PAGES + ["/staff/people/export/?format=csv"])
def test_anonymous_visitors_go_to_the_login(path: str) -> None:
    response = tenant_client("varnamo").get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_board_members_of_the_association_see_no_people() -> None:
    assert login("iv", Role.BOARD).get("/staff/people/").status_code == 403


def test_an_outsider_from_vaggeryd_cannot_open_varnamo_people(
    in_varnamo: Municipality, vaggeryd: Municipality
) -> None:
    person = PersonFactory.create()
    household = HouseholdFactory.create()
    outsider = login("vaggeryd", Role.COORDINATOR)
    # Their session belongs to Vaggeryd's host: on Värnamo's host it is worth nothing, even with real ids.
    varnamo = tenant_client("varnamo")
    varnamo.cookies["sessionid"] = outsider.cookies["sessionid"].value
    for path in [f"/staff/people/{person.pk}/", f"/staff/households/{household.pk}/", "/staff/people/"]:
        response = varnamo.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    # On their own host, Värnamo's ids point at nothing: each municipality's rows live in its own schema.
    with vaggeryd:
        assert not Person.objects.filter(pk=person.pk).exists()
        assert not Household.objects.filter(pk=household.pk).exists()
    for path in [
        f"/staff/people/{person.pk}/",
        f"/staff/people/{person.pk}/edit/",
        f"/staff/households/{household.pk}/",
    ]:
        assert outsider.get(path).status_code == 404


def test_people_list_shows_protected_identities_to_coordinators_clearly_marked(
    in_varnamo: Municipality,
) -> None:
    PersonFactory.create(first_name="Skyddad", last_name="Zeta", protected_identity=True)
    html = login("varnamo", Role.COORDINATOR).get("/staff/people/?q=zeta").content.decode()
    assert "Skyddad Zeta" in html
    assert "badge--protected" in html


def test_volunteers_see_only_their_people_and_never_protected(
    in_varnamo: Municipality, volunteer: User
) -> None:
    led = ActivityFactory.create()
    led.leaders.add(volunteer)
    RegistrationFactory.create(activity=led, person=PersonFactory.create(first_name="Mine", last_name="Zeta"))
    RegistrationFactory.create(
        activity=led,
        person=PersonFactory.create(first_name="Hidden", last_name="Zeta", protected_identity=True),
    )
    other = RegistrationFactory.create(
        person=PersonFactory.create(first_name="Other", last_name="Zeta")
    ).person
    client = login("varnamo", Role.VOLUNTEER)
    html = client.get("/staff/people/?q=zeta").content.decode()
    assert "Mine Zeta" in html
    assert "Hidden Zeta" not in html
    assert "Other Zeta" not in html
    assert client.get(f"/staff/people/{other.pk}/").status_code == 404


def test_volunteers_do_not_see_notes_or_consent(in_varnamo: Municipality, volunteer: User) -> None:
    led = ActivityFactory.create()
    led.leaders.add(volunteer)
    person = RegistrationFactory.create(
        activity=led, person=PersonFactory.create(notes="Private note")
    ).person
    volunteer_html = login("varnamo", Role.VOLUNTEER).get(f"/staff/people/{person.pk}/").content.decode()
    coordinator_html = login("varnamo", Role.COORDINATOR).get(f"/staff/people/{person.pk}/").content.decode()
    assert "Private note" in coordinator_html
    assert "Private note" not in volunteer_html
    assert "consent-heading" in coordinator_html
    assert "consent-heading" not in volunteer_html


def _people(count: int) -> None:
    household = HouseholdFactory.create()
    for index in range(count):
        PersonFactory.create(
            last_name="Qlist", household=household if index % 2 else None, district=f"D{index % 3}"
        )


def _household_members(count: int) -> int:
    household = HouseholdFactory.create(name="Qhousehold")
    for _ in range(count):
        PersonFactory.create(household=household)
    return household.pk


@pytest.mark.parametrize("count", [3, 30])
def test_people_list_runs_a_fixed_number_of_queries(
    in_varnamo: Municipality, count: int, django_assert_num_queries: Any
) -> None:
    _people(count)
    client = login("varnamo", Role.COORDINATOR)
    # Domain, session, user, districts, count, page.
    with real_queries(6):
        response = client.get("/staff/people/?q=qlist&sort=-name")
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", [3, 30])
def test_household_pages_run_a_fixed_number_of_queries(
    in_varnamo: Municipality, count: int, django_assert_num_queries: Any
) -> None:
    pk = _household_members(count)
    client = login("varnamo", Role.COORDINATOR)
    with real_queries(10):  # domain, session, user + household page (5) + pathways (2)
        response = client.get(f"/staff/households/{pk}/")
    assert len(response.context["members"]) == count
    # The list: domain, session, user, districts, count, page, members.
    with real_queries(7):
        response = client.get("/staff/households/?q=qhousehold")
    assert response.context["page"].object_list[0].member_count == count


@pytest.mark.parametrize("count", [3, 30])
def test_person_page_runs_a_fixed_number_of_queries(
    in_varnamo: Municipality, count: int, django_assert_num_queries: Any
) -> None:
    person = PersonFactory.create()
    for _ in range(count):
        RegistrationFactory.create(person=person)
    client = login("varnamo", Role.COORDINATOR)
    with real_queries(7):  # domain, session, user + person page (4 queries)
        client.get(f"/staff/people/{person.pk}/")


def test_people_list_pages_by_fifty(in_varnamo: Municipality) -> None:
    _people(60)
    client = login("varnamo", Role.COORDINATOR)
    first = client.get("/staff/people/?q=qlist")
    second = client.get("/staff/people/?q=qlist&page=2")
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10
    assert 'href="?q=qlist&amp;page=2"' in first.content.decode()


def test_filters_with_bad_values_show_the_whole_list(in_varnamo: Municipality) -> None:
    response = login("varnamo", Role.COORDINATOR).get("/staff/people/?group=pirates&page=x")
    assert response.status_code == 200


def _post_person(client: Client, **data: Any) -> Any:
    fields = {
        "first_name": "",
        "last_name": "",
        "group": "newcomer",
        "gender": "not_stated",
        "household_role": "adult",
    }
    fields.update(data)
    return client.post("/staff/people/new/", fields)


def test_a_coordinator_registers_a_person_with_consent(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    response = _post_person(
        client,
        first_name="Noor",
        last_name="Zeta",
        birth_date="2001-02-03",
        phone="070 765 43 21",
        languages=["ar", "sv"],
        interests="fotboll, matlagning",
        consent_contact="on",
    )
    tenant_connection().set_tenant(in_varnamo)
    person = Person.objects.get(first_name="Noor", last_name="Zeta")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/people/{person.pk}/"
    assert (person.birth_year, person.phone, person.languages) == (2001, "+46707654321", ["ar", "sv"])
    assert Consent.objects.get(person=person).purpose == "contact"


def test_duplicates_are_shown_with_links_and_saved_only_when_confirmed(in_varnamo: Municipality) -> None:
    existing = PersonFactory.create(first_name="Amal", last_name="Zeta", birth_year=1984)
    client = login("varnamo", Role.COORDINATOR)
    response = _post_person(client, first_name="Amal", last_name="Zeta", birth_year="1984")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/staff/people/{existing.pk}/"' in html
    assert 'name="confirm_duplicates"' in html
    tenant_connection().set_tenant(in_varnamo)
    assert Person.objects.filter(last_name="Zeta").count() == 1
    response = _post_person(
        client, first_name="Amal", last_name="Zeta", birth_year="1984", confirm_duplicates="on"
    )
    assert response.status_code == 302
    tenant_connection().set_tenant(in_varnamo)
    assert Person.objects.filter(last_name="Zeta").count() == 2


def test_a_child_without_a_guardian_gets_a_clear_message_in_swedish(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    response = _post_person(
        client, first_name="Lilla", last_name="Zeta", birth_year="2020", consent_photos="on"
    )
    assert response.status_code == 200
    assert "vårdnadshavare" in response.content.decode()
    tenant_connection().set_tenant(in_varnamo)
    assert not Person.objects.filter(last_name="Zeta").exists()


def test_reversed_dates_are_refused(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    response = _post_person(
        client, first_name="Omvänd", last_name="Zeta", birth_year="2000", arrival_year="1995"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["arrival_year"]
    tenant_connection().set_tenant(in_varnamo)
    assert not Person.objects.filter(last_name="Zeta").exists()


def test_edit_keeps_consent_history(in_varnamo: Municipality) -> None:
    person = PersonFactory.create(first_name="Edit", last_name="Zeta", birth_year=1990)
    client = login("varnamo", Role.COORDINATOR)
    form = client.get(f"/staff/people/{person.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "birth_date"}
    data.update(first_name="Edited", consent_statistics="on", languages=["fa"])
    response = client.post(f"/staff/people/{person.pk}/edit/", data)
    assert response.status_code == 302
    tenant_connection().set_tenant(in_varnamo)
    person.refresh_from_db()
    assert (person.first_name, person.languages) == ("Edited", ["fa"])
    assert person.consents.get().purpose == "statistics"


def family_post(members: list[dict[str, str]], **family: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Zetafamily",
        "group": "newcomer",
        "district": "Centrum",
        "languages": ["ar"],
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "15",
    }
    data.update(family)
    for index, member in enumerate(members):
        row = {"household_role": "adult" if index < 2 else "child", "gender": "not_stated"}
        row.update(member)
        data.update({f"members-{index}-{key}": value for key, value in row.items()})
    return data


FAMILY_OF_FIVE = [
    {"first_name": "Amal", "birth_year": "1984", "gender": "woman", "phone": "070-111 22 33"},
    {"first_name": "Samir", "birth_year": "1980", "gender": "man"},
    {
        "first_name": "Yousef",
        "birth_year": "2014",
        "consent_photos": "on",
        "guardian_name": "Amal Zetafamily",
    },
    {"first_name": "Lina", "birth_year": "2017"},
    {"first_name": "Omar", "birth_year": "2021"},
    {},  # an untouched row is ignored
]


def test_a_family_of_five_is_registered_in_one_form(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    response = client.post("/staff/households/new/", family_post(FAMILY_OF_FIVE))
    tenant_connection().set_tenant(in_varnamo)
    household = Household.objects.get(name="Zetafamily")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/households/{household.pk}/"
    members = list(household.members.order_by("birth_year"))
    assert [m.first_name for m in members] == ["Samir", "Amal", "Yousef", "Lina", "Omar"]
    assert all(m.last_name == "Zetafamily" and m.languages == ["ar"] for m in members)
    assert [m.household_role for m in members] == ["adult", "adult", "child", "child", "child"]
    page = client.get(response["Location"]).content.decode()
    assert all(name in page for name in ["Amal", "Samir", "Yousef", "Lina", "Omar"])


def test_a_family_with_an_error_in_one_member_writes_nothing(in_varnamo: Municipality) -> None:
    members = [dict(m) for m in FAMILY_OF_FIVE]
    members[3]["consent_photos"] = "on"  # a child's consent without a guardian
    members[4]["email"] = "not-an-address"
    client = login("varnamo", Role.COORDINATOR)
    response = client.post("/staff/households/new/", family_post(members))
    assert response.status_code == 200
    assert response.context["members"].forms[4].errors["email"]
    tenant_connection().set_tenant(in_varnamo)
    assert not Household.objects.filter(name="Zetafamily").exists()
    assert not Person.objects.filter(last_name="Zetafamily").exists()
    # With the e-mail fixed, the guardian rule is next, shown on the child's row.
    members[4]["email"] = ""
    response = client.post("/staff/households/new/", family_post(members))
    assert "guardian_name" in response.context["members"].forms[3].errors
    tenant_connection().set_tenant(in_varnamo)
    assert not Household.objects.filter(name="Zetafamily").exists()


def test_a_family_member_already_registered_needs_confirmation(in_varnamo: Municipality) -> None:
    existing = PersonFactory.create(first_name="Tidigare", phone="+46701112233")
    client = login("varnamo", Role.COORDINATOR)
    response = client.post("/staff/households/new/", family_post(FAMILY_OF_FIVE))
    assert f'href="/staff/people/{existing.pk}/"' in response.content.decode()
    tenant_connection().set_tenant(in_varnamo)
    assert not Household.objects.filter(name="Zetafamily").exists()
    response = client.post("/staff/households/new/", family_post(FAMILY_OF_FIVE, confirm_duplicates="on"))
    assert response.status_code == 302


def test_a_family_needs_at_least_one_member(in_varnamo: Municipality) -> None:
    response = login("varnamo", Role.COORDINATOR).post("/staff/households/new/", family_post([{}]))
    assert response.status_code == 200
    tenant_connection().set_tenant(in_varnamo)
    assert not Household.objects.filter(name="Zetafamily").exists()


def test_household_edit_add_and_remove_members(in_varnamo: Municipality) -> None:
    household = HouseholdFactory.create(name="Before")
    person = PersonFactory.create(first_name="Joiner", last_name="Zeta")
    client = login("varnamo", Role.COORDINATOR)
    assert (
        client.post(
            f"/staff/households/{household.pk}/edit/", {"name": "After", "district": "Norr"}
        ).status_code
        == 302
    )
    found = client.get(f"/staff/households/{household.pk}/members/add/?q=joiner").context["found"]
    assert found == [person]
    client.post(f"/staff/households/{household.pk}/members/add/", {"person": person.pk})
    tenant_connection().set_tenant(in_varnamo)
    person.refresh_from_db()
    household.refresh_from_db()
    assert (household.name, household.district, person.household) == ("After", "Norr", household)
    client.post(f"/staff/people/{person.pk}/leave-household/")
    tenant_connection().set_tenant(in_varnamo)
    person.refresh_from_db()
    assert person.household is None
    assert client.get(f"/staff/people/{person.pk}/leave-household/").status_code == 405


def _export(client: Client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_exports_never_contain_protected_identities(in_varnamo: Municipality) -> None:
    PersonFactory.create(first_name="Open", last_name="Xport", notes="note")
    PersonFactory.create(first_name="Protected", last_name="Xport", protected_identity=True)
    client = login("varnamo", Role.COORDINATOR)
    rows = _export(client, "/staff/people/export/?format=csv&q=xport")
    assert rows[0][:2] == ["Förnamn", "Efternamn"]
    assert "Anteckningar" in rows[0]
    assert [row[0] for row in rows[1:]] == ["Open"]
    workbook = load_workbook(io.BytesIO(client.get("/staff/people/export/?format=xlsx&q=xport").content))
    sheet = workbook.active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Open"]
    assert client.get("/staff/people/export/?format=pdf").status_code == 404


def test_volunteers_export_only_their_people_with_fewer_columns(
    in_varnamo: Municipality, volunteer: User
) -> None:
    led = ActivityFactory.create()
    led.leaders.add(volunteer)
    RegistrationFactory.create(
        activity=led, person=PersonFactory.create(first_name="Mine", last_name="Xport", notes="secret")
    )
    PersonFactory.create(first_name="Other", last_name="Xport")
    rows = _export(login("varnamo", Role.VOLUNTEER), "/staff/people/export/?format=csv&q=xport")
    assert "Anteckningar" not in rows[0]
    assert [row[0] for row in rows[1:]] == ["Mine"]
    assert "secret" not in str(rows)


def test_household_export_leaves_out_protected_members(in_varnamo: Municipality) -> None:
    household = HouseholdFactory.create(name="Xporthold")
    PersonFactory.create(first_name="Open", household=household)
    PersonFactory.create(first_name="Protected", household=household, protected_identity=True)
    rows = _export(login("varnamo", Role.COORDINATOR), "/staff/households/export/?format=csv&q=xporthold")
    assert rows[1][0] == "Xporthold"
    assert rows[1][2] == "1"
    assert "Protected" not in str(rows)


def test_users_of_another_tenant_are_refused_even_with_valid_form_data(in_varnamo: Municipality) -> None:
    outsider = login("vaggeryd", Role.COORDINATOR)
    varnamo = tenant_client("varnamo")
    varnamo.cookies["sessionid"] = outsider.cookies["sessionid"].value
    response = varnamo.post("/staff/households/new/", family_post(FAMILY_OF_FIVE))
    assert response.status_code in (302, 403)
    tenant_connection().set_tenant(in_varnamo)
    assert not Household.objects.filter(name="Zetafamily").exists()


def _every_page(person: Person, household: Household, partner_pk: int) -> list[tuple[str, bool]]:
    """(path, only for admins and coordinators) for every page of people, households, partners, import."""
    return [
        ("/staff/people/", False),
        ("/staff/people/export/?format=xlsx", False),
        (f"/staff/people/{person.pk}/", False),
        ("/staff/households/", False),
        ("/staff/households/export/?format=csv", False),
        (f"/staff/households/{household.pk}/", False),
        ("/staff/people/new/", True),
        (f"/staff/people/{person.pk}/edit/", True),
        ("/staff/households/new/", True),
        (f"/staff/households/{household.pk}/edit/", True),
        (f"/staff/households/{household.pk}/members/add/", True),
        ("/staff/partners/", True),
        ("/staff/partners/new/", True),
        (f"/staff/partners/{partner_pk}/", True),
        (f"/staff/partners/{partner_pk}/edit/", True),
        ("/staff/partners/export/?format=csv", True),
        ("/staff/import/", True),
    ]


def test_every_page_checks_role_login_and_tenant(in_varnamo: Municipality, volunteer: User) -> None:
    from tests.support.people_factories import PartnerFactory

    led = ActivityFactory.create()
    led.leaders.add(volunteer)
    household = HouseholdFactory.create()
    person = RegistrationFactory.create(activity=led, person=PersonFactory.create(household=household)).person
    pages = _every_page(person, household, PartnerFactory.create().pk)
    clients = {role: login("varnamo", role) for role in STAFF}
    board = login("iv", Role.BOARD)
    outsider_session = login("vaggeryd", Role.ADMIN).cookies["sessionid"].value
    for path, write_only in pages:
        for role, client in clients.items():
            expected = 403 if write_only and role == Role.VOLUNTEER else 200
            assert client.get(path).status_code == expected, (path, role)
        anonymous = tenant_client("varnamo").get(path)
        assert anonymous.status_code == 302, path
        assert anonymous["Location"].startswith("/accounts/login/"), path
        assert board.get(path).status_code == 403, path  # the association's board sees aggregates only
        stolen = tenant_client("varnamo")
        stolen.cookies["sessionid"] = outsider_session
        assert stolen.get(path).status_code == 302, path
