"""Writes of households, people and partners through the API: the people services decide, refusals are 409
with the service's Swedish message, bad input is 400 with field errors, and a refused write leaves nothing.
A consent is withdrawn as on the person's page, and the audit log says so."""

from __future__ import annotations

import pytest

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from partners.models import Partner, PartnerContact
from people.models import Consent, ConsentPurpose, Household, HouseholdRole, Person
from people.selectors.people import current_consents
from tests.support.api_clients import demo_api
from tests.support.people_factories import (
    HouseholdFactory,
    PartnerContactFactory,
    PartnerFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

SAMIRA = {"first_name": "Samira", "last_name": "Apitestsson", "group": "newcomer", "birth_year": 1988}


def test_a_family_is_registered_with_all_its_members_and_their_consents(in_varnamo: object) -> None:
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/households/",
        {
            "name": "Apitestsson",
            "district": "Centrum",
            "group": "newcomer",
            "languages": ["ar"],
            "arrival_year": 2022,
            "members": [
                {"first_name": "Samira", "birth_year": 1988, "consents": {"contact": True}},
                {
                    "first_name": "Omar",
                    "household_role": "child",
                    "birth_year": 2019,
                    "consents": {"photos": True},
                    "guardian_name": "Samira Apitestsson",
                },
            ],
        },
    )
    assert response.status_code == 201, response.content
    family = response.json()
    assert [m["first_name"] for m in family["members"]] == ["Samira", "Omar"]
    assert {m["last_name"] for m in family["members"]} == {"Apitestsson"}  # empty last name: the family's
    assert {m["district"] for m in family["members"]} == {"Centrum"}
    assert all(m["languages"] == ["ar"] and m["arrival_year"] == 2022 for m in family["members"])
    omar = Person.objects.get(pk=family["members"][1]["id"])
    consent = current_consents(omar)[ConsentPurpose.PHOTOS]
    assert consent.given
    assert consent.given_by_guardian
    assert consent.guardian_name == "Samira Apitestsson"


def test_a_family_with_one_refused_member_is_not_saved_at_all(in_varnamo: object) -> None:
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/households/",
        {
            "name": "Halvsparad",
            "group": "newcomer",
            "members": [
                {"first_name": "Vuxen", "birth_year": 1980},
                # A child under 13 with a consent needs a guardian's name.
                {"first_name": "Barn", "birth_year": 2020, "consents": {"photos": True}},
            ],
        },
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "målsman" in error["message"] or "vårdnadshavare" in error["message"]
    assert error["fields"] == {"members.1.guardian_name": [error["message"]]}
    assert not Household.objects.filter(name="Halvsparad").exists()
    assert not Person.objects.filter(first_name__in=["Vuxen", "Barn"], last_name="Halvsparad").exists()


def test_bad_input_is_400_with_swedish_field_messages_and_nothing_is_written(in_varnamo: object) -> None:
    api = demo_api(Role.COORDINATOR)
    count = Household.objects.count()
    response = api.post("/api/v1/households/", {"name": "Tomma", "group": "alien", "members": []})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "Begäran innehåller fel; se fälten."
    assert error["fields"]["group"] == ['"alien" är inte ett giltigt val.']
    assert "members" in error["fields"]
    person = api.post("/api/v1/people/", {"last_name": "Utannamn", "birth_date": "1890-01-01"})
    assert person.status_code == 400
    fields = person.json()["error"]["fields"]
    assert fields["first_name"] == ["Det här fältet måste fyllas i."]
    assert fields["group"] == ["Det här fältet måste fyllas i."]
    assert fields["birth_date"] == ["Ange ett datum mellan åren 1900 och 2099."]
    assert Household.objects.count() == count
    assert not Person.objects.filter(last_name="Utannamn").exists()


def test_a_person_is_registered_into_a_household_the_user_may_see(in_varnamo: object) -> None:
    household = HouseholdFactory.create(name="Apitestsson")
    api = demo_api(Role.ADMIN)
    response = api.post(
        "/api/v1/people/",
        {**SAMIRA, "household": household.pk, "phone": "070-123 45 67", "email": "Samira@Example.se"},
    )
    assert response.status_code == 201, response.content
    person = response.json()
    assert person["household"] == household.pk
    assert (person["phone"], person["email"]) == ("+46701234567", "samira@example.se")
    missing = api.post("/api/v1/people/", {**SAMIRA, "first_name": "Annan", "household": 999_999_999})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Hushållet finns inte."


def test_possible_duplicates_are_409_with_their_ids_until_confirmed(in_varnamo: object) -> None:
    api = demo_api(Role.COORDINATOR)
    first = api.post("/api/v1/people/", SAMIRA).json()
    again = api.post("/api/v1/people/", SAMIRA)
    assert again.status_code == 409
    assert again.json()["error"]["fields"] == {"duplicates": [first["id"]]}
    assert Person.objects.filter(last_name="Apitestsson").count() == 1
    confirmed = api.post("/api/v1/people/", {**SAMIRA, "confirm_duplicates": True})
    assert confirmed.status_code == 201
    assert Person.objects.filter(last_name="Apitestsson").count() == 2


def test_a_patch_changes_only_the_fields_given(in_varnamo: object) -> None:
    person = PersonFactory.create(
        first_name="Patrik", last_name="Apitestsson", district="Norr", phone="+46701111111"
    )
    api = demo_api(Role.COORDINATOR)
    response = api.patch(
        f"/api/v1/people/{person.pk}/", {"birth_date": "1990-05-17", "notes": "Tolk: arabiska"}
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.birth_date is not None
    assert (person.birth_date.isoformat(), person.birth_year) == ("1990-05-17", 1990)  # the year follows
    assert (person.first_name, person.district, person.phone) == ("Patrik", "Norr", "+46701111111")
    assert person.notes == "Tolk: arabiska"
    refused = api.patch(f"/api/v1/people/{person.pk}/", {"birth_year": 1991})
    assert refused.status_code == 409
    assert refused.json()["error"]["fields"] == {
        "birth_year": ["Födelseåret stämmer inte med födelsedatumet."]
    }
    person.refresh_from_db()
    assert person.birth_year == 1990
    dateless = api.patch(f"/api/v1/people/{person.pk}/", {"birth_date": None})
    assert (dateless.json()["birth_date"], dateless.json()["birth_year"]) == (None, 1990)  # the year stays


def test_consent_decisions_are_recorded_per_purpose_named(in_varnamo: object) -> None:
    person = PersonFactory.create(first_name="Karin", last_name="Apitestsson", birth_year=1970)
    Consent.objects.create(person=person, purpose=ConsentPurpose.CONTACT, given=True)
    response = demo_api(Role.COORDINATOR).patch(
        f"/api/v1/people/{person.pk}/", {"consents": {"contact": False, "statistics": True}}
    )
    assert response.status_code == 200
    current = {purpose: c.given for purpose, c in current_consents(person).items()}
    assert current == {"contact": False, "statistics": True}


def test_a_consent_is_withdrawn_at_once_and_the_audit_log_says_so(
    in_varnamo: object, coordinator: User
) -> None:
    person = PersonFactory.create(first_name="Karin", last_name="Apitestsson", birth_year=1970)
    Consent.objects.create(person=person, purpose=ConsentPurpose.CONTACT, given=True)
    Consent.objects.create(person=person, purpose=ConsentPurpose.PHOTOS, given=True)
    response = demo_api(Role.COORDINATOR).post(
        f"/api/v1/people/{person.pk}/withdraw-consent/", {"purpose": "contact"}
    )
    assert response.status_code == 201, response.content
    assert (response.json()["person"], response.json()["purpose"], response.json()["given"]) == (
        person.pk,
        "contact",
        False,
    )
    current = {purpose: c.given for purpose, c in current_consents(person).items()}
    assert current == {"contact": False, "photos": True}
    entry = AuditEntry.objects.filter(obj_type="core.person", obj_id=str(person.pk)).get()
    assert (entry.actor_id, entry.action, entry.summary) == (
        coordinator.pk,
        "change",
        "Consent withdrawn: contact",
    )


def test_a_childs_consent_is_withdrawn_without_a_guardians_name(in_varnamo: object) -> None:
    # Giving consent for a child under 13 needs the guardian; taking it back must never wait for one.
    child = PersonFactory.create(first_name="Liten", household_role=HouseholdRole.CHILD, birth_year=2020)
    Consent.objects.create(person=child, purpose=ConsentPurpose.PHOTOS, given=True, given_by_guardian=True)
    response = demo_api(Role.ADMIN).post(
        f"/api/v1/people/{child.pk}/withdraw-consent/", {"purpose": "photos"}
    )
    assert response.status_code == 201
    assert current_consents(child)["photos"].given is False


def test_a_consent_withdrawal_names_a_known_purpose_and_a_visible_person(in_varnamo: object) -> None:
    person = PersonFactory.create(first_name="Okänd", last_name="Apitestsson")
    api = demo_api(Role.COORDINATOR)
    unknown = api.post(f"/api/v1/people/{person.pk}/withdraw-consent/", {"purpose": "marketing"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"purpose": ['"marketing" är inte ett giltigt val.']}
    assert api.post("/api/v1/people/999999999/withdraw-consent/", {"purpose": "contact"}).status_code == 404
    volunteer = demo_api(Role.VOLUNTEER).post(
        f"/api/v1/people/{person.pk}/withdraw-consent/", {"purpose": "contact"}
    )
    assert volunteer.status_code == 403
    assert not Consent.objects.filter(person=person).exists()
    assert not AuditEntry.objects.filter(obj_type="core.person", obj_id=str(person.pk)).exists()


def test_protected_identity_is_written_and_read_by_the_register_only(in_varnamo: object) -> None:
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/people/", {**SAMIRA, "first_name": "Skyddad", "protected_identity": True}
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert demo_api(Role.ADMIN).get(f"/api/v1/people/{pk}/").json()["protected_identity"] is True
    assert demo_api(Role.VOLUNTEER).get(f"/api/v1/people/{pk}/").status_code == 404
    assert demo_api(Role.VOLUNTEER).patch(f"/api/v1/people/{pk}/", {"notes": "x"}).status_code == 403


def test_erasure_needs_the_admin_and_the_confirmation_word(in_varnamo: object) -> None:
    person = PersonFactory.create(first_name="Radera", last_name="Apitestsson")
    path = f"/api/v1/people/{person.pk}/erase/"
    assert demo_api(Role.COORDINATOR).post(path, {"confirmation": "RADERA"}).status_code == 403
    admin = demo_api(Role.ADMIN)
    wrong = admin.post(path, {"confirmation": "JA"})
    assert wrong.status_code == 400
    assert "confirmation" in wrong.json()["error"]["fields"]
    person.refresh_from_db()
    assert not person.is_erased
    assert admin.post(path, {"confirmation": "RADERA"}).status_code == 204
    person.refresh_from_db()
    assert person.is_erased
    assert person.first_name == "Anonymiserad"
    assert admin.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert admin.post(path, {"confirmation": "RADERA"}).status_code == 404


def test_household_members_are_added_and_leave(in_varnamo: object) -> None:
    household = HouseholdFactory.create(name="Apitestsson")
    person = PersonFactory.create(first_name="Ali", last_name="Apitestsson")
    api = demo_api(Role.COORDINATOR)
    added = api.post(f"/api/v1/households/{household.pk}/members/", {"person": person.pk})
    assert added.status_code == 200
    assert added.json()["household"] == household.pk
    assert api.post(f"/api/v1/households/{household.pk}/members/", {"person": 999_999_999}).status_code == 404
    left = api.post(f"/api/v1/people/{person.pk}/leave-household/")
    assert left.status_code == 200
    assert left.json()["household"] is None


def test_a_household_name_of_only_spaces_is_refused_by_the_service(in_varnamo: object) -> None:
    household = HouseholdFactory.create(name="Apitestsson", district="Söder")
    api = demo_api(Role.COORDINATOR)
    refused = api.patch(f"/api/v1/households/{household.pk}/", {"name": "   "})
    assert refused.status_code == 409
    assert refused.json()["error"]["fields"]["name"]
    changed = api.patch(f"/api/v1/households/{household.pk}/", {"notes": "Vill ha vänfamilj"})
    assert changed.status_code == 200
    household.refresh_from_db()
    assert (household.name, household.district, household.notes) == (
        "Apitestsson",
        "Söder",
        "Vill ha vänfamilj",
    )


def test_partners_are_added_changed_and_their_contacts_kept_or_removed(in_varnamo: object) -> None:
    api = demo_api(Role.COORDINATOR)
    made = api.post(
        "/api/v1/partners/",
        {
            "name": "Apitest IK",
            "kind": "club",
            "website": "https://apitest.example",
            "contacts": [{"name": "Eva Tränare", "title": "Ungdomsledare"}, {"name": "Per Kassör"}],
        },
    )
    assert made.status_code == 201, made.content
    partner = made.json()
    assert [c["name"] for c in partner["contacts"]] == ["Eva Tränare", "Per Kassör"]
    per = partner["contacts"][1]["id"]
    changed = api.patch(
        f"/api/v1/partners/{partner['id']}/", {"is_active": False, "contacts": [{"id": per, "delete": True}]}
    )
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False
    assert [c["name"] for c in changed.json()["contacts"]] == ["Eva Tränare"]
    assert Partner.objects.get(pk=partner["id"]).name == "Apitest IK"


def test_a_partner_with_a_bad_contact_row_is_not_saved(in_varnamo: object) -> None:
    response = demo_api(Role.ADMIN).post(
        "/api/v1/partners/",
        {"name": "Halvsparad IK", "kind": "club", "contacts": [{"name": "Bra"}, {"name": "   "}]},
    )
    assert response.status_code == 409
    assert list(response.json()["error"]["fields"]) == ["contacts.1.name"]
    assert not Partner.objects.filter(name="Halvsparad IK").exists()


def test_a_contact_of_another_partner_cannot_be_changed(in_varnamo: object) -> None:
    partner, other = PartnerFactory.create(), PartnerFactory.create()
    contact = PartnerContactFactory.create(partner=other, name="Annans kontakt")
    response = demo_api(Role.ADMIN).patch(
        f"/api/v1/partners/{partner.pk}/", {"contacts": [{"id": contact.pk, "name": "Kapad"}]}
    )
    assert response.status_code == 409
    assert PartnerContact.objects.get(pk=contact.pk).name == "Annans kontakt"


def test_a_bad_web_address_is_refused_with_the_field_named(in_varnamo: object) -> None:
    partner = PartnerFactory.create(website="")
    response = demo_api(Role.ADMIN).patch(f"/api/v1/partners/{partner.pk}/", {"website": "inte en adress"})
    assert response.status_code == 409
    assert "website" in response.json()["error"]["fields"]
    assert Partner.objects.get(pk=partner.pk).website == ""
