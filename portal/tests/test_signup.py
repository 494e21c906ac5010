"""Sign-up from the public pages into the coordinators' inbox, and from there into the register."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from accounts.roles import Role
from activities.models import Registration
from conftest import demo_user, login, tenant_client
from people.models import Consent, Household, Person
from portal.models import Signup, SignupStatus
from portal.services import PortalError, signup_accept
from portal.tests.data import upcoming_weekly_activity
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> None:
    cache.clear()


def family_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "group": "newcomer",
        "first_name": "Amal",
        "last_name": "Haddad",
        "birth_year": "1986",
        "wishes": ["friend_family", "activity"],
        "phone": "070-123 45 67",
        "email": "",
        "district": "Centrum",
        "languages": ["ar", "sv"],
        "message": "",
        "consent": "on",
        "website": "",
        "member-TOTAL_FORMS": "7",
        "member-INITIAL_FORMS": "0",
        "member-MIN_NUM_FORMS": "0",
        "member-MAX_NUM_FORMS": "7",
        "member-0-first_name": "Yusuf",
        "member-0-birth_year": "2015",
        "member-0-wishes": ["club"],
        "member-1-first_name": "Lina",
        "member-1-birth_year": "2019",
        "member-1-wishes": ["activity"],
    }
    data.update(overrides)
    return data


def signups(slug: str = "varnamo") -> list[Signup]:
    with Municipality.objects.get(schema_name=slug):
        return list(Signup.objects.prefetch_related("members").all())


def test_a_family_signs_up_and_lands_in_the_inbox_not_the_register() -> None:
    with Municipality.objects.get(schema_name="varnamo"):
        people_before = Person.objects.count()
    response = tenant_client("varnamo").post("/signup/", family_form())
    assert response.status_code == 302
    assert response["Location"] == "/signup/thanks/"
    [signup] = signups()
    assert [m.first_name for m in signup.members.all()] == ["Amal", "Yusuf", "Lina"]
    assert signup.status == SignupStatus.NEW
    with Municipality.objects.get(schema_name="varnamo"):
        assert Person.objects.count() == people_before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": ""}, "We can only help you"),
        ({"first_name": ""}, "Please fill in this field."),
        ({"phone": "", "email": ""}, "Give a phone number or an e-mail address"),
        ({"email": "inte-en-adress"}, "Write a whole e-mail address"),
        ({"birth_year": "88"}, "Write the year with four digits"),
        ({"birth_year": "2999"}, "The year cannot be in the future."),
        ({"wishes": []}, "Choose at least one thing"),
        ({"member-0-first_name": ""}, "Write the first name of this family member."),
        ({"member-1-birth_year": ""}, "Write the year this family member was born."),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(overrides: dict[str, Any], message: str) -> None:
    client = tenant_client("varnamo")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/signup/", family_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert signups() == []


def test_errors_come_in_arabic_right_to_left() -> None:
    client = tenant_client("varnamo")
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    response = client.post("/signup/", family_form(consent=""))
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "لا يمكننا مساعدتك إلا إذا وافقت" in body


def test_a_family_member_without_wishes_is_fine() -> None:
    response = tenant_client("varnamo").post("/signup/", family_form(**{"member-1-wishes": []}))
    assert response.status_code == 302
    [signup] = signups()
    assert [m.wishes for m in signup.members.all()] == [["friend_family", "activity"], ["club"], []]


def test_a_filled_honeypot_is_thanked_and_kept_nowhere() -> None:
    response = tenant_client("varnamo").post("/signup/", family_form(website="http://spam.example"))
    assert response.status_code == 302
    assert signups() == []


def test_too_many_signups_from_one_address_are_refused_with_a_message() -> None:
    client = tenant_client("varnamo")
    for _ in range(5):
        assert client.post("/signup/", family_form()).status_code == 302
    response = client.post("/signup/", family_form())
    assert response.status_code == 429
    assert "För många anmälningar från den här uppkopplingen" in response.content.decode()
    assert len(signups()) == 5
    # Another client is not affected.
    assert post_signup(family_form(), REMOTE_ADDR="198.51.100.9") == 302


def test_accepting_creates_the_household_people_consent_and_registration(varnamo: Municipality) -> None:
    with varnamo:
        activity = upcoming_weekly_activity(title="Familjesöndag")
    tenant_client("varnamo").post("/signup/", family_form(activity=str(activity.pk)))
    [signup] = signups()
    coordinator = login("varnamo", Role.COORDINATOR)
    response = coordinator.post(f"/staff/signups/{signup.pk}/accept/")
    assert response.status_code == 302
    with varnamo:
        household = Household.objects.get(name="Haddad")
        members = {p.first_name: p for p in household.members.all()}
        assert set(members) == {"Amal", "Yusuf", "Lina"}
        assert members["Amal"].phone == "070-123 45 67"
        assert members["Yusuf"].household_role == "child"
        lina_consent = Consent.objects.get(person=members["Lina"])
        assert lina_consent.given_by_guardian and lina_consent.guardian_name == "Amal Haddad"
        assert Registration.objects.filter(activity=activity, person__household=household).count() == 2
        assert Signup.objects.get(pk=signup.pk).status == SignupStatus.ACCEPTED


def test_a_signup_cannot_be_accepted_twice(varnamo: Municipality) -> None:
    tenant_client("varnamo").post("/signup/", family_form())
    [signup] = signups()
    user = demo_user("varnamo", Role.COORDINATOR)
    with varnamo:
        signup_accept(signup_id=signup.pk, user=user)
        with pytest.raises(PortalError):
            signup_accept(signup_id=signup.pk, user=user)
        assert Household.objects.filter(name="Haddad").count() == 1


def test_rejecting_keeps_the_reason_and_creates_no_one(varnamo: Municipality) -> None:
    tenant_client("varnamo").post("/signup/", family_form())
    [signup] = signups()
    response = login("varnamo", Role.ADMIN).post(
        f"/staff/signups/{signup.pk}/reject/", {"reason": "Dubblett"}
    )
    assert response.status_code == 302
    with varnamo:
        signup.refresh_from_db()
        assert (signup.status, signup.reject_reason) == (SignupStatus.REJECTED, "Dubblett")
        assert not Household.objects.filter(name="Haddad").exists()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN, 200), (Role.COORDINATOR, 200), (Role.VOLUNTEER, 403)]
)
def test_the_inbox_is_for_admins_and_coordinators(role: Role, status: int) -> None:
    tenant_client("varnamo").post("/signup/", family_form())
    [signup] = signups()
    client = login("varnamo", role)
    assert client.get("/staff/signups/").status_code == status
    assert client.get(f"/staff/signups/{signup.pk}/").status_code == status
    assert client.post(f"/staff/signups/{signup.pk}/accept/").status_code in (
        {302} if status == 200 else {403}
    )


def test_the_inbox_needs_a_login_and_another_tenant_sees_nothing() -> None:
    tenant_client("varnamo").post("/signup/", family_form())
    [signup] = signups()
    assert tenant_client("varnamo").get("/staff/signups/").status_code == 302
    # Vaggeryd's coordinator on Vaggeryd's host: Värnamo's sign-up id does not exist there.
    assert login("vaggeryd", Role.COORDINATOR).get(f"/staff/signups/{signup.pk}/").status_code == 404


def test_accepting_warns_of_people_already_in_the_register_until_confirmed(varnamo: Municipality) -> None:
    with varnamo:
        Person.objects.create(first_name="Yusuf", last_name="Haddad", birth_year=2015, group="newcomer")
    tenant_client("varnamo").post("/signup/", family_form())
    [signup] = signups()
    coordinator = login("varnamo", Role.COORDINATOR)
    page = coordinator.get(f"/staff/signups/{signup.pk}/").content.decode()
    assert "Kanske redan i registret" in page and "Yusuf Haddad" in page
    coordinator.post(f"/staff/signups/{signup.pk}/accept/")
    with varnamo:
        assert not Household.objects.filter(name="Haddad").exists()  # not accepted without a confirmation
    coordinator.post(f"/staff/signups/{signup.pk}/accept/", {"confirm_duplicates": "1"})
    with varnamo:
        assert Household.objects.filter(name="Haddad").exists()


# --- The limit: accepted sign-ups per client, the client as the login lockout sees it ---------------------


def post_signup(data: dict[str, Any], **client_address: str) -> int:
    return tenant_client("varnamo").post("/signup/", data, **client_address).status_code


@pytest.mark.slow
def test_a_hundred_refused_posts_from_one_client_use_up_no_ones_limit() -> None:
    refused = family_form(first_name="", consent="")
    assert {post_signup(refused, REMOTE_ADDR="203.0.113.7") for _ in range(100)} == {400}
    assert post_signup(family_form(), REMOTE_ADDR="198.51.100.9") == 302
    assert post_signup(family_form(), REMOTE_ADDR="203.0.113.7") == 302
    assert len(signups()) == 2


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        assert post_signup(family_form(), **proxy, HTTP_X_FORWARDED_FOR="203.0.113.7") == 302
    assert post_signup(family_form(), **proxy, HTTP_X_FORWARDED_FOR="203.0.113.7") == 429
    # A forged address in front of the proxy's entry does not make a new client.
    assert post_signup(family_form(), **proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7") == 429
    # The next visitor through the same proxy signs up as usual.
    assert post_signup(family_form(), **proxy, HTTP_X_FORWARDED_FOR="198.51.100.9") == 302
