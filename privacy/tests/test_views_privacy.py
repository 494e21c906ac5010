"""Pages for the rights of the person and retention: who gets in, and what each action records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditAction, AuditEntry
from conftest import tenant_client
from people.models import Consent, ConsentPurpose, Person
from privacy.models import RetentionKeep, RetentionSetting
from privacy.services import ANONYMOUS_NAME, ERASE_CONFIRMATION_WORD
from tenants.models import Municipality
from tests.support.factories import AttendanceFactory, ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Role], Client]


@pytest.fixture
def person(in_varnamo: Municipality) -> Person:
    someone = PersonFactory.create(first_name="Samira", last_name="Exportsson", email="samira@example.com")
    ConsentFactory.create(person=someone, purpose=ConsentPurpose.CONTACT, given=True)
    AttendanceFactory.create(person=someone)
    return someone


def _audit(person: Person, action: str) -> int:
    return AuditEntry.objects.filter(obj_type="core.person", obj_id=str(person.pk), action=action).count()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_export_page_and_json_for_admin_and_coordinator(
    client_as: ClientAs, person: Person, role: Role
) -> None:
    client = client_as(role)
    page = client.get(f"/staff/people/{person.pk}/privacy/")
    assert page.status_code == 200
    assert "samira@example.com" in page.content.decode()
    assert _audit(person, AuditAction.VIEW) == 1

    download = client.get(f"/staff/people/{person.pk}/privacy/?format=json")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(download.content)
    assert data["person"]["last_name"] == "Exportsson"
    assert len(data["attendance"]) == 1
    assert _audit(person, AuditAction.EXPORT) == 1
    assert client.get(f"/staff/people/{person.pk}/privacy/?format=xml").status_code == 404


def test_person_page_links_to_the_privacy_actions(client_as: ClientAs, person: Person) -> None:
    html = client_as(Role.ADMIN).get(f"/staff/people/{person.pk}/").content.decode()
    assert f"/staff/people/{person.pk}/privacy/" in html
    assert f"/staff/people/{person.pk}/erase/" in html
    assert f"/staff/people/{person.pk}/consents/contact/withdraw/" in html
    coordinator_html = client_as(Role.COORDINATOR).get(f"/staff/people/{person.pk}/").content.decode()
    assert f"/staff/people/{person.pk}/erase/" not in coordinator_html


@pytest.mark.parametrize(
    "path",
    ["/staff/people/{pk}/privacy/", "/staff/people/{pk}/erase/", "/staff/privacy/retention/"],
)
def test_others_are_refused(
    client_as: ClientAs, person: Person, outsider: Client, varnamo: Municipality, path: str
) -> None:
    url = path.format(pk=person.pk)
    assert client_as(Role.VOLUNTEER).get(url).status_code == 403
    anonymous = tenant_client("varnamo").get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert outsider.get(url).status_code in (403, 404)


def test_coordinator_may_not_erase(client_as: ClientAs, person: Person) -> None:
    client = client_as(Role.COORDINATOR)
    assert client.get(f"/staff/people/{person.pk}/erase/").status_code == 403
    assert (
        client.post(
            f"/staff/people/{person.pk}/erase/", {"confirmation": ERASE_CONFIRMATION_WORD}
        ).status_code
        == 403
    )


def test_erase_asks_for_the_word_then_anonymises(client_as: ClientAs, person: Person) -> None:
    client = client_as(Role.ADMIN)
    page = client.get(f"/staff/people/{person.pk}/erase/")
    assert ERASE_CONFIRMATION_WORD in page.content.decode()

    wrong = client.post(f"/staff/people/{person.pk}/erase/", {"confirmation": "ja"})
    assert wrong.status_code == 200
    assert "RADERA" in wrong.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None

    done = client.post(f"/staff/people/{person.pk}/erase/", {"confirmation": ERASE_CONFIRMATION_WORD})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.first_name == ANONYMOUS_NAME
    assert person.email == ""
    assert person.erased_at is not None
    assert _audit(person, AuditAction.ERASE) == 1
    # Gone from the register's pages.
    assert client.get(f"/staff/people/{person.pk}/").status_code == 404


def test_consent_withdraw_button(client_as: ClientAs, person: Person) -> None:
    client = client_as(Role.COORDINATOR)
    assert client.get(f"/staff/people/{person.pk}/consents/contact/withdraw/").status_code == 405
    response = client.post(f"/staff/people/{person.pk}/consents/contact/withdraw/")
    assert response.status_code == 302
    newest = Consent.objects.filter(person=person, purpose="contact").order_by("-recorded_at", "-id").first()
    assert newest is not None
    assert newest.given is False
    assert client.post(f"/staff/people/{person.pk}/consents/nonsense/withdraw/").status_code == 404
    assert (
        client_as(Role.VOLUNTEER).post(f"/staff/people/{person.pk}/consents/contact/withdraw/").status_code
        == 403
    )


def test_retention_page_lists_next_month_and_keeps_with_reason(
    client_as: ClientAs, admin: User, in_varnamo: Municipality
) -> None:
    due = PersonFactory.create(first_name="Snartgammal", last_name="Retention")
    Person.objects.filter(pk=due.pk).update(created_at=timezone.now() - dt.timedelta(days=725))
    client = client_as(Role.ADMIN)

    page = client.get("/staff/privacy/retention/")
    assert page.status_code == 200
    assert "Snartgammal Retention" in page.content.decode()

    empty = client.post(f"/staff/privacy/retention/{due.pk}/keep/", {"reason": ""})
    assert empty.status_code == 200
    assert not RetentionKeep.objects.filter(person=due).exists()
    kept = client.post(
        f"/staff/privacy/retention/{due.pk}/keep/", {"reason": "Skyddat boende, fråga socialtjänsten"}
    )
    assert kept.status_code == 302
    after = client.get("/staff/privacy/retention/").content.decode()
    assert "Skyddat boende, fråga socialtjänsten" in after

    assert client.post("/staff/privacy/retention/", {"months": "200"}).status_code == 200
    assert client.post("/staff/privacy/retention/", {"months": "36"}).status_code == 302
    assert RetentionSetting.objects.get(pk=1).months == 36
