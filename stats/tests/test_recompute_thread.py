"""Without a broker (the embedded demo), a save's statistics recompute runs on a thread beside the request."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from accounts.roles import Role
from matching.services.pathways import pathway_create
from people.models import Person
from stats.models import RollupCell
from stats.services import tenant_month_changed
from stats.tests.factories import PersonFactory
from tenants.models import Municipality
from tests.support.matching_factories import in_own_connection, staff_user

MARK = "Trådtest"


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Municipality]:
    """No test transaction: the thread reads and writes committed rows; everything is removed afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        varnamo = Municipality.objects.get(schema_name="varnamo")
        yield varnamo

        def clean() -> None:
            with varnamo:
                Person.objects.filter(first_name=MARK).delete()  # pathways go with the person
            RollupCell.objects.filter(tenant=varnamo).delete()

        in_own_connection(clean)


def test_the_save_does_not_wait_for_the_recompute(committed: Municipality, settings: Settings) -> None:
    settings.STATS_RECOMPUTE_IN_THREAD = True
    varnamo = committed
    before = set(threading.enumerate())

    def change() -> None:
        with varnamo, transaction.atomic():
            person = PersonFactory.create(first_name=MARK)
            pathway_create(
                actor=staff_user(Role.COORDINATOR), person=person, arena="working_life", goal="Praktik"
            )
            tenant_month_changed(day=timezone.localdate())

    in_own_connection(change)
    started = [thread for thread in threading.enumerate() if thread not in before]
    assert len(started) == 1, "one recompute, on a thread of its own"
    started[0].join(timeout=120)
    assert not started[0].is_alive()
    assert in_own_connection(
        lambda: RollupCell.objects.filter(
            tenant=varnamo, metric="pathways", arena="working_life", period_kind="M"
        ).exists()
    )
