"""The generic CSV and XLSX export: Swedish-friendly CSV, formulas neutralised, phone numbers intact."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils import translation
from openpyxl import load_workbook

from core.exports import Column, ExportFormat, export_response, parse_format, write_csv, write_xlsx


@dataclass
class Row:
    name: str
    phone: str
    count: int
    active: bool
    day: dt.date | None


COLUMNS: list[Column[Row]] = [
    Column("Namn", lambda r: r.name),
    Column("Telefon", lambda r: r.phone),
    Column("Antal", lambda r: r.count),
    Column("Aktiv", lambda r: r.active),
    Column("Dag", lambda r: r.day),
]
ROWS = [
    Row("Åsa Öberg", "+46701234567", 3, True, dt.date(2025, 3, 14)),
    Row('=HYPERLINK("http://evil")', "-12", -4, False, None),
    Row("+SUM(A1)", "@cmd", 0, False, None),
]


def test_csv_has_a_bom_semicolons_and_neutralised_formulas() -> None:
    with translation.override("en"):
        content = write_csv(ROWS, COLUMNS)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[1] == "Åsa Öberg;+46701234567;3;yes;2025-03-14"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Namn", "Telefon", "Antal", "Aktiv", "Dag"]
    assert rows[2] == ['\'=HYPERLINK("http://evil")', "-12", "-4", "no", ""]
    assert rows[3][:2] == ["'+SUM(A1)", "'@cmd"]


def test_csv_booleans_are_in_the_ui_language() -> None:
    with translation.override("sv"):
        assert ";ja;" in write_csv(ROWS[:1], COLUMNS).decode("utf-8-sig")


def test_xlsx_has_a_header_and_typed_cells() -> None:
    workbook = load_workbook(io.BytesIO(write_xlsx(ROWS, COLUMNS, title="Personer: [alla]")))
    sheet = workbook.active
    assert sheet is not None
    assert sheet.title == "Personer alla"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Namn", "Telefon", "Antal", "Aktiv", "Dag")
    assert rows[1][0] == "Åsa Öberg"
    assert rows[1][2] == 3
    assert str(rows[2][0]).startswith("'=")


def test_response_is_a_named_uncached_download() -> None:
    response = export_response(rows=ROWS, columns=COLUMNS, name="people", fmt=ExportFormat.XLSX)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="people-')
    assert response["Cache-Control"] == "no-store"
    assert parse_format("csv") == ExportFormat.CSV
    assert parse_format("pdf") is None
