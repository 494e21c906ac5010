"""The demo's year of activities: believable, the same on every run, never seeded twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from core.demo import core_demo_seed
from core.models import (
    Activity,
    Attendance,
    Household,
    Partner,
    Person,
    Project,
    ReportingDate,
    Session,
    VolunteerHours,
)
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple[object, ...]]:
    return [
        *Person.objects.order_by("pk").values_list(
            "first_name", "last_name", "birth_year", "gender", "protected_identity"
        ),
        *Attendance.objects.order_by(
            "session__starts_at", "person__first_name", "person__last_name", "person__birth_year"
        ).values_list("status"),
    ]


def test_each_municipality_has_a_believable_year(in_varnamo: Municipality, volunteer: User) -> None:
    assert 40 <= Household.objects.count() <= 80
    assert Person.objects.filter(household__isnull=True).count() >= 10  # single adults
    assert set(Person.objects.values_list("group", flat=True)) == {"newcomer", "established"}
    spoken = {code for codes in Person.objects.values_list("languages", flat=True) for code in codes}
    assert {"sv", "ar", "fa", "ti", "so", "uk", "prs"} <= spoken
    assert Person.objects.filter(protected_identity=True).exists()
    assert Partner.objects.count() == 5
    assert set(Activity.objects.values_list("title", flat=True)) == {
        "Språkcafé",
        "Familjesöndag",
        "Ungdomsfotboll",
        "Jobbklubben",
        "Läxhjälp",
        "Syträff",
    }
    football = Activity.objects.get(title="Ungdomsfotboll")
    assert volunteer in football.leaders.all()
    now = timezone.now()
    assert Session.objects.filter(starts_at__lt=now - dt.timedelta(days=330)).exists()
    assert Session.objects.filter(starts_at__gt=now + dt.timedelta(days=21)).exists()
    # Not everyone every time.
    marks = Attendance.objects.aggregate(all=Count("id"), present=Count("id", filter=Q(status="present")))
    assert 0.5 < marks["present"] / marks["all"] < 0.95
    assert not Attendance.objects.filter(session__starts_at__gt=now).exists()
    assert VolunteerHours.objects.filter(user=volunteer).count() > 50
    assert set(Project.objects.values_list("funder_kind", flat=True)) == {"arvsfonden", "region"}
    assert ReportingDate.objects.filter(done=False, due_on__gte=timezone.localdate()).exists()


def test_every_municipality_is_filled(vaggeryd: Municipality) -> None:
    # The test session seeds a year only for Värnamo (conftest); `make run` seeds every municipality.
    connection.set_tenant(vaggeryd)
    assert core_demo_seed(town="Vaggeryd och Skillingaryd", county="Jönköpings län", slug="vaggeryd") is True
    assert Activity.objects.filter(title="Ungdomsfotboll").exists()
    assert Project.objects.get(funder_kind="region").funder_name == "Region Jönköpings län"
    connection.set_schema_to_public()


def test_seeding_again_adds_nothing(in_varnamo: Municipality) -> None:
    before = (Person.objects.count(), Session.objects.count(), Attendance.objects.count())
    assert core_demo_seed(town="Värnamo", county="Jönköpings län", slug="varnamo") is False
    assert (Person.objects.count(), Session.objects.count(), Attendance.objects.count()) == before


def test_the_same_seed_gives_the_same_network(in_varnamo: Municipality) -> None:
    seeded = fingerprint()
    for model in (Project, Activity, Person, Household, Partner):
        model.objects.all().delete()  # rolled back with the test
    assert core_demo_seed(town="Värnamo", county="Jönköpings län", slug="varnamo") is True
    assert fingerprint() == seeded
