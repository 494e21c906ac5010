"""Partner pages: roles, contacts formset, fixed query counts, export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from accounts.roles import Role
from conftest import login, tenant_client
from partners.models import Partner, PartnerContact
from tenants.connection import tenant_connection
from tenants.models import Municipality
from tests.support.people_factories import ActivityFactory, PartnerContactFactory, PartnerFactory
from tests.support.queries import real_queries

pytestmark = pytest.mark.django_db


def statements(queries: int) -> int:
    return 2 * queries  # django-tenants' SET search_path before each query


def contact_rows(rows: list[dict[str, str]], initial: int = 0) -> dict[str, str]:
    data = {
        "contacts-TOTAL_FORMS": str(len(rows)),
        "contacts-INITIAL_FORMS": str(initial),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        data.update({f"contacts-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 200), (Role.COORDINATOR, 200), (Role.VOLUNTEER, 403)]
)
@pytest.mark.parametrize(
    "path", ["/staff/partners/", "/staff/partners/new/", "/staff/partners/export/?format=csv"]
)
def test_partners_are_for_admins_and_coordinators(role: Role, status: int, path: str) -> None:
    assert login("varnamo", role).get(path).status_code == status


def test_anonymous_and_outsiders_are_refused(in_varnamo: Municipality) -> None:
    partner = PartnerFactory.create()
    assert tenant_client("varnamo").get("/staff/partners/").status_code == 302
    outsider = login("vaggeryd", Role.COORDINATOR)
    assert outsider.get(f"/staff/partners/{partner.pk}/").status_code == 404
    assert outsider.get(f"/staff/partners/{partner.pk}/edit/").status_code == 404


def test_a_partner_is_created_with_contacts(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    data = {
        "name": "IFK Värnamo",
        "kind": "club",
        "phone": "0370-100 00",
        "website": "ifk.example.se",
        "is_active": "on",
    }
    data.update(contact_rows([{"name": "Lena Berg", "title": "Ungdomsledare", "phone": "070-222 33 44"}, {}]))
    response = client.post("/staff/partners/new/", data)
    tenant_connection().set_tenant(in_varnamo)
    partner = Partner.objects.get(name="IFK Värnamo")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/partners/{partner.pk}/"
    assert partner.website == "https://ifk.example.se"
    [contact] = partner.contacts.all()
    assert (contact.name, contact.phone) == ("Lena Berg", "+46702223344")


def test_editing_changes_removes_and_adds_contacts(in_varnamo: Municipality) -> None:
    partner = PartnerFactory.create(name="Kyrkan")
    keep = PartnerContactFactory.create(partner=partner, name="Keep")
    drop = PartnerContactFactory.create(partner=partner, name="Drop")
    stranger = PartnerContactFactory.create(name="Stranger")
    client = login("varnamo", Role.COORDINATOR)
    data = {"name": "Svenska kyrkan", "kind": "church", "is_active": "on"}
    rows = [
        {"id": str(keep.pk), "name": "Kept and renamed"},
        {"id": str(drop.pk), "name": "Drop", "DELETE": "on"},
        {"name": "New person"},
    ]
    assert (
        client.post(f"/staff/partners/{partner.pk}/edit/", data | contact_rows(rows, initial=2)).status_code
        == 302
    )
    tenant_connection().set_tenant(in_varnamo)
    assert sorted(partner.contacts.values_list("name", flat=True)) == ["Kept and renamed", "New person"]
    # A contact of another partner cannot be edited through this form.
    rows = [{"id": str(stranger.pk), "name": "Hijacked"}]
    response = client.post(f"/staff/partners/{partner.pk}/edit/", data | contact_rows(rows, initial=1))
    assert response.status_code == 200
    tenant_connection().set_tenant(in_varnamo)
    assert PartnerContact.objects.get(pk=stranger.pk).name == "Stranger"


def test_bad_input_writes_nothing(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    data = {"name": "Bad", "kind": "pirates", "email": "nope"} | contact_rows(
        [{"name": "", "email": "x@y.se"}]
    )
    response = client.post("/staff/partners/new/", data)
    assert response.status_code == 200
    assert {"kind", "email"} <= set(response.context["form"].errors)
    tenant_connection().set_tenant(in_varnamo)
    assert not Partner.objects.filter(name="Bad").exists()


@pytest.mark.parametrize("count", [3, 30])
def test_partner_pages_run_a_fixed_number_of_queries(
    in_varnamo: Municipality, count: int, django_assert_num_queries: Any
) -> None:
    partners = [PartnerFactory.create(name=f"Qpartner {i}") for i in range(count)]
    for partner in partners:
        PartnerContactFactory.create(partner=partner)
        ActivityFactory.create(partner=partner)
    client = login("varnamo", Role.COORDINATOR)
    with real_queries(6):  # domain, session, user, count, page, contacts
        response = client.get("/staff/partners/?q=qpartner")
    assert response.context["page"].paginator.count == count
    with real_queries(6):  # domain, session, user, partner, contacts, activities
        client.get(f"/staff/partners/{partners[0].pk}/")


def test_partner_export_has_contacts(in_varnamo: Municipality) -> None:
    partner = PartnerFactory.create(name="Studieförbundet Xport", kind="study_association")
    PartnerContactFactory.create(partner=partner, name="Kim", email="kim@example.se")
    response = login("varnamo", Role.COORDINATOR).get("/staff/partners/export/?format=csv&q=xport")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Studieförbundet Xport"
    assert "Kim, kim@example.se" in rows[1]
