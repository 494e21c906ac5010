"""Two people taking the last seat at the same moment: one gets it, the other is waitlisted.

These tests need real concurrent transactions, which the usual rolled-back test transaction cannot
give: every read and write here happens on separate connections, one per thread, which commit their
own rows in Värnamo's schema and delete them at the end. ``transaction=True`` is not used: its flush
would empty the public schema's tenants that the session seeded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count

from accounts.models import User
from activities.models import Activity, Registration
from activities.services.activities import registration_create
from people.models import Person
from tenants.connection import tenant_connection
from tenants.models import Municipality


def run_in_thread(tenant: Municipality, target: Any) -> tuple[threading.Thread, list[BaseException]]:
    """Run ``target`` on its own database connection (autocommit) in Värnamo's schema; errors collected."""
    errors: list[BaseException] = []

    def body() -> None:
        try:
            tenant_connection().set_tenant(tenant)
            target()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, errors


def in_own_connection(tenant: Municipality, target: Any) -> None:
    thread, errors = run_in_thread(tenant, target)
    thread.join(timeout=30)
    assert not errors, errors


@pytest.fixture
def committed(varnamo: Municipality) -> Iterator[dict[str, Any]]:
    """An activity with one seat left and two people, committed in the test database; removed afterwards.

    The test itself runs in the usual rolled-back transaction (so pytest-django sets up the test
    database); the rows are written and removed on a connection of their own, so they are committed
    and the racing threads see them.
    """
    made: dict[str, Any] = {"tenant": varnamo}

    def create() -> None:
        activity = Activity.objects.create(
            title="Kapplöpning", category="other", capacity=2, schedule_kind="single"
        )
        seated = Person.objects.create(first_name="Redan", last_name="Anmäld", group="newcomer")
        Registration.objects.create(activity=activity, person=seated, status="registered")
        made.update(
            activity=activity,
            seated=seated,
            people=[Person.objects.create(first_name=f"Snabb{i}", group="newcomer") for i in range(2)],
            coordinator=User.objects.get(email="coordinator@varnamo.demo"),
        )

    def remove() -> None:
        Activity.objects.filter(pk=made["activity"].pk).delete()
        Person.objects.filter(pk__in=[made["seated"].pk, *(p.pk for p in made["people"])]).delete()

    in_own_connection(varnamo, create)
    try:
        yield made
    finally:
        in_own_connection(varnamo, remove)


def test_two_people_at_the_same_moment_get_one_seat_and_one_waiting_place(committed: dict[str, Any]) -> None:
    barrier = threading.Barrier(2, timeout=10)
    statuses: dict[int, str] = {}

    def take(person: Person) -> Any:
        def run() -> None:
            barrier.wait()  # both transactions start together
            registration = registration_create(
                actor=committed["coordinator"], activity=committed["activity"], person=person
            )
            statuses[person.pk] = registration.status

        return run

    runs = [run_in_thread(committed["tenant"], take(person)) for person in committed["people"]]
    for thread, errors in runs:
        thread.join(timeout=20)
        assert not errors, errors
    assert sorted(statuses.values()) == ["registered", "waitlisted"]
    counts: dict[str, int] = {}

    def count() -> None:
        counts.update(
            Registration.objects.filter(activity=committed["activity"])
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )

    in_own_connection(committed["tenant"], count)
    assert counts == {"registered": 2, "waitlisted": 1}


def test_the_second_waits_for_the_first_to_commit_before_counting_seats(committed: dict[str, Any]) -> None:
    """The row lock makes the second wait; without it, both would count one free seat and both get it."""
    first, second = committed["people"]
    first_has_seat = threading.Event()
    let_first_commit = threading.Event()
    second_done = threading.Event()
    statuses: dict[str, str] = {}

    def take_and_hold() -> None:
        with transaction.atomic():
            statuses["first"] = registration_create(
                actor=committed["coordinator"], activity=committed["activity"], person=first
            ).status
            first_has_seat.set()
            let_first_commit.wait(timeout=10)

    def take() -> None:
        statuses["second"] = registration_create(
            actor=committed["coordinator"], activity=committed["activity"], person=second
        ).status
        second_done.set()

    holder, holder_errors = run_in_thread(committed["tenant"], take_and_hold)
    assert first_has_seat.wait(timeout=10)
    taker, taker_errors = run_in_thread(committed["tenant"], take)
    # The second is blocked on the activity's row lock while the first has not committed.
    assert not second_done.wait(timeout=0.7)
    let_first_commit.set()
    holder.join(timeout=10)
    taker.join(timeout=10)
    assert not holder_errors, holder_errors
    assert not taker_errors, taker_errors
    assert statuses == {"first": "registered", "second": "waitlisted"}
