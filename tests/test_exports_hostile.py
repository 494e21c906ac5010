"""Every CSV and XLSX file the platform writes, fed the same hostile values, runs nothing and opens.

The files: people, households, partners and the audit log (a municipality's admin), funder reports (a
municipality's own and the board's) and the board's statistics. Each is asked for as CSV and XLSX after the
hostile values were stored as they would be by older code or a direct write; then no cell may be a formula
or start like one, none may hold a character XLSX cannot, and numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from accounts.roles import Role
from activities.tests.factories import ProjectFactory
from audit.choices import AuditAction
from audit.models import AuditEntry
from conftest import demo_user, login
from core.exports import Column, safe_text, write_csv, write_xlsx
from core.text import clean_text
from partners.tests.factories import PartnerFactory
from people.tests.factories import HouseholdFactory, PersonFactory
from stats.exports import csv_response, xlsx_response
from stats.models import ProjectRef
from stats.selectors import Figure, Row, Table
from tenants.models import Municipality
from tests.hostile import ALL, STORABLE, UNWRITABLE, runs_as_formula

# A cell read back: its value, and for XLSX its type ("s" text, "n" number, "f" formula, "d" date, …).
ReadCell = tuple[Any, str]


def read_csv(content: bytes) -> list[ReadCell]:
    assert content.startswith(b"\xef\xbb\xbf")
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
    return [(value, "s") for row in rows for value in row]


def read_xlsx(content: bytes) -> list[ReadCell]:
    book = load_workbook(io.BytesIO(content))
    return [
        (cell.value, cell.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    ]


def read(content: bytes, fmt: str) -> list[ReadCell]:
    return read_xlsx(content) if fmt == "xlsx" else read_csv(content)


def assert_safe(cells: list[ReadCell]) -> None:
    for value, kind in cells:
        assert kind != "f", f"a formula cell: {value!r}"
        if isinstance(value, str):
            assert not runs_as_formula(value), f"runs as a formula: {value!r}"
            assert not UNWRITABLE.search(value), f"a character XLSX cannot hold: {value!r}"


def assert_carries(cells: list[ReadCell], values: list[str]) -> None:
    """Every hostile value arrived (neutralised), so the rows really went through the writer."""

    def lines(text: str) -> str:  # XML, and so XLSX, reads every line break as a line feed
        return text.replace("\r\n", "\n").replace("\r", "\n")

    texts = [lines(value) for value, _kind in cells if isinstance(value, str)]
    for value in values:
        # At the start of a cell: reports put a project's name before the period in one cell.
        expected = lines(safe_text(value)[:32767])
        assert any(text.startswith(expected) for text in texts), f"missing: {value[:60]!r}"


@dataclass
class Item:
    text: str
    number: int | float | Decimal


COLUMNS = [Column("Text", lambda item: item.text), Column("Number", lambda item: item.number)]
NUMBERS: list[int | float | Decimal] = [-4, 12.5, Decimal("-1.5"), 0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_writer_neutralises_every_hostile_value_and_keeps_numbers(fmt: str) -> None:
    items = [Item(text, NUMBERS[n % len(NUMBERS)]) for n, text in enumerate(ALL)]
    content = write_xlsx(items, COLUMNS, title="=Lista") if fmt == "xlsx" else write_csv(items, COLUMNS)
    cells = read(content, fmt)
    assert_safe(cells)
    assert_carries(cells, ALL)
    if fmt == "xlsx":
        numbers = [value for value, kind in cells if kind == "n" and value is not None]
        assert numbers[:4] == [-4, 12.5, -1.5, 0]
    else:
        texts = [value for value, _kind in cells]
        # Numbers are never escaped; Swedish takes a decimal comma, as semicolon-separated files do.
        assert texts[3] == "-4" and texts[5] == "12,5" and texts[7] == "-1,5"


def _hostile_table() -> Table:
    rows = [
        Row(key=str(n), label=text, figures={"participants": Figure(n * 7, metric="participants")})
        for n, text in enumerate(ALL)
    ]
    return Table(key="hostile", title="=Tabell", metrics=("participants",), rows=rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_statistics_and_report_files_neutralise_every_hostile_value(fmt: str) -> None:
    write = xlsx_response if fmt == "xlsx" else csv_response
    response = write(tables=[_hostile_table()], title=STORABLE[0], description=STORABLE[4])
    cells = read(response.content, fmt)
    assert_safe(cells)
    assert_carries(cells, ALL)
    if fmt == "xlsx":
        numbers = [value for value, kind in cells if kind == "n" and value is not None]
        assert numbers[:3] == [0, 7, 14]


@pytest.fixture
def hostile_world(varnamo: Municipality, association: Municipality) -> dict[str, Any]:
    """Värnamo holds a person, a household, a partner, an audit entry and a project for each hostile value;
    both municipalities are named with one."""
    admin = demo_user("varnamo", Role.ADMIN)
    with varnamo:
        for text in STORABLE:
            household = HouseholdFactory(name=text, district=text)
            PersonFactory(first_name=text, last_name=text[::-1], notes=text, household=household)
            PartnerFactory(name=text, description=text)
            AuditEntry.objects.create(
                actor=admin, action=AuditAction.VIEW, obj_type="core.person", obj_id=text, summary=text
            )
        project = ProjectFactory(name=STORABLE[0])
    ProjectRef.objects.create(
        tenant=varnamo,
        project=project.pk,
        name=STORABLE[0],
        funder=project.funder_kind,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    Municipality.objects.filter(pk=varnamo.pk).update(name=STORABLE[11])
    Municipality.objects.filter(pk=association.pk).update(name=STORABLE[12])
    connection.set_schema_to_public()
    return {"project": project.pk}


# The register's names are one-line text, cleaned when saved (core.text); the audit log keeps what it got.
SAVED = [clean_text(text, multiline=False) for text in STORABLE]

# Every CSV and XLSX download (grep: core.exports is the only writer): who asks, where, what must arrive.
EXPORTS = {
    "people": ("varnamo", Role.ADMIN, "/staff/people/export/?format={fmt}", SAVED),
    "households": ("varnamo", Role.ADMIN, "/staff/households/export/?format={fmt}", SAVED),
    "partners": ("varnamo", Role.ADMIN, "/staff/partners/export/?format={fmt}", SAVED),
    "audit": ("varnamo", Role.ADMIN, "/staff/audit/export/?format={fmt}", STORABLE),
    "local-report": (
        "varnamo",
        Role.ADMIN,
        "/staff/reports/export.{fmt}?period={year}&project={project}",
        [STORABLE[0], STORABLE[11]],
    ),
    "board-report": (
        "iv",
        Role.BOARD,
        "/board/reports/export.{fmt}?period={year}&project=varnamo:{project}",
        [STORABLE[0]],
    ),
    "board-statistics": ("iv", Role.BOARD, "/board/statistics/export.{fmt}?period={year}", [STORABLE[11]]),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("export", EXPORTS)
def test_every_export_writes_hostile_rows_safely(
    hostile_world: dict[str, Any], export: str, fmt: str
) -> None:
    slug, role, path, expected = EXPORTS[export]
    client: Client = login(slug, role)
    response = client.get(path.format(fmt=fmt, project=hostile_world["project"], year=dt.date.today().year))
    assert response.status_code == 200, response.content[:300]
    assert response["Cache-Control"] == "no-store"
    cells = read(response.content, fmt)
    assert_safe(cells)
    assert_carries(cells, list(expected))


def test_the_audit_export_is_for_admins_and_follows_the_search(varnamo: Municipality) -> None:
    with varnamo:
        AuditEntry.objects.create(
            actor=None, action=AuditAction.ERASE, obj_type="core.household", obj_id="3", summary="Erased"
        )
    connection.set_schema_to_public()
    for role in (Role.COORDINATOR, Role.VOLUNTEER):
        assert login("varnamo", role).get("/staff/audit/export/?format=csv").status_code == 403
    admin = login("varnamo", Role.ADMIN)
    assert admin.get("/staff/audit/export/?format=pdf").status_code == 404
    text = admin.get("/staff/audit/export/?format=csv&action=erase").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["När", "Vem", "Händelse", "Objekt", "Objekt-id", "Sammanfattning"]
    assert rows[1:] and all(row[1:5] == ["Plattformen", "Raderade", row[3], row[4]] for row in rows[1:])
    assert ["core.household" in row[3].lower() or row[4] == "3" for row in rows[1:]].count(True) >= 1
