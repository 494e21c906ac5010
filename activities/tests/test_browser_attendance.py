"""In real Chromium on a 360 px phone: a Värnamo volunteer, leader of youth football, takes attendance at
their latest session, adds a walk-in and logs 90 minutes; the coordinator's start page counts it.

Browser tests see committed data (the demo seeded for the session) and commit what they do; they run
after every other test (see conftest.py).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from activities.models import Attendance, Session
from conftest import ARTIFACTS, browser_login
from people.models import Person
from tenants.connection import tenant_connection
from tenants.models import Municipality

pytestmark = pytest.mark.browser


def figures(page: Any) -> dict[str, int]:
    return {
        name: int(page.locator(f'[data-figure="{name}"]').inner_text())
        for name in ("participants", "sessions", "attendances", "new-people")
    }


@contextmanager
def in_varnamo() -> Iterator[None]:
    """Read committed rows in Värnamo's schema, then close the connection (the test database is dropped
    at the end of the run, which an idle connection of this thread would block)."""
    tenant_connection().set_tenant(Municipality.objects.get(schema_name="varnamo"))
    try:
        yield
    finally:
        tenant_connection().set_schema_to_public()
        connection.close()


def present_at(session_id: int) -> int:
    with in_varnamo():
        return Attendance.objects.filter(session_id=session_id, status="present").count()


def test_a_leader_takes_attendance_on_a_phone_and_the_coordinator_sees_it(
    phone: Any, desktop: Any, live_url: Callable[[str, str], str]
) -> None:
    browser_login(desktop, live_url, "varnamo", Role.COORDINATOR)
    before = figures(desktop)

    browser_login(phone, live_url, "varnamo", Role.VOLUNTEER)
    take = phone.get_by_role("link", name=re.compile("Ta närvaro"))
    assert "Ungdomsfotboll" in take.inner_text() or "Läxhjälp" in take.inner_text()
    take.click()
    phone.wait_for_load_state()
    session_id = int(re.search(r"/staff/sessions/(\d+)/attendance/", phone.url).group(1))  # type: ignore[union-attr]
    present_before = present_at(session_id)

    mark_the_sheet(phone)
    walk_in = add_a_walk_in_and_save(phone)

    assert re.search(rf"/staff/sessions/{session_id}/$", phone.url)
    message = phone.locator(".messages").inner_text()
    assert "Närvaron sparades." in message
    assert f"{walk_in} lades till som drop-in." in message
    assert "Din tid: 90 minuter." in message

    tenant_connection().set_tenant(Municipality.objects.get(schema_name="varnamo"))
    session = Session.objects.get(pk=session_id)
    guest = Person.objects.get(first_name=walk_in)
    assert Attendance.objects.get(session=session, person=guest).is_walk_in
    in_this_month = timezone.localdate(session.starts_at).replace(day=1) == timezone.localdate().replace(
        day=1
    )
    tenant_connection().set_schema_to_public()
    gained = present_at(session_id) - present_before

    desktop.reload()
    after = figures(desktop)
    assert after["new-people"] == before["new-people"] + 1
    assert after["attendances"] == before["attendances"] + (gained if in_this_month else 0)
    desktop.screenshot(path=str(ARTIFACTS / "coordinator-start-after-attendance.png"), full_page=True)


def mark_the_sheet(phone: Any) -> None:
    rows = phone.locator(".mark-row")
    assert rows.count() >= 5
    # Big tap targets: every choice is at least 44 px high and the three fill the row.
    box = rows.nth(0).locator("label", has_text="Närvarande").bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 90
    rows.nth(0).locator("label", has_text="Närvarande").click()
    rows.nth(1).locator("label", has_text="Förhinder").click()
    rows.nth(2).locator("label", has_text="Frånvarande").click()
    # Keyboard: arrow keys move within a row's three choices, as radio buttons do.
    rows.nth(3).locator('input[value="present"]').focus()
    phone.keyboard.press("ArrowRight")
    assert rows.nth(3).locator('input[value="excused"]').is_checked()
    assert "närvarande" in phone.locator("[data-sheet-count]").inner_text()


def add_a_walk_in_and_save(phone: Any) -> str:
    walk_in = f"Gäst{uuid.uuid4().hex[:6]}"
    phone.get_by_text("Lägg till drop-in", exact=True).click()
    phone.get_by_label("Förnamn").fill(walk_in)
    phone.get_by_label("Födelseår").fill("2011")
    phone.get_by_label("Kön").select_option("man")
    phone.get_by_label("Nyanländ").check()
    phone.get_by_label("Din tid (minuter)").fill("90")
    save = phone.get_by_role("button", name="Spara närvaron")
    # The save button stays in view at the bottom of the screen while the list scrolls.
    save_box = save.bounding_box()
    assert save_box["y"] + save_box["height"] <= 740
    assert save_box["height"] >= 44
    phone.screenshot(path=str(ARTIFACTS / "attendance-sheet-phone.png"), full_page=False)
    save.click()
    phone.wait_for_load_state()
    return walk_in
