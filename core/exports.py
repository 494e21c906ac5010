"""Every CSV and XLSX file the platform writes: lists, funder reports, statistics and the audit log.

A list (people, households, partners, the audit log) is a queryset or rows and a column spec; the view
builds the queryset exactly as the page does (same filters, same visibility rules, for people
``Purpose.EXPORT``) and passes columns fitting the user's role. Reports and statistics are sheets of
rows. Either way each cell goes through the same rules, so no file can carry what a user typed into a
spreadsheet program as something it runs or chokes on:

* text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, their full-width forms, a
  leading tab or carriage return, also after leading spaces) is written with an apostrophe before it;
* characters XLSX (XML) cannot hold, such as control characters, become U+FFFD, in CSV too;
* numbers stay numbers: numeric cells in XLSX, plain digits (the language's decimal mark, no grouping) in
  CSV, never escaped.

CSV is written the way Swedish spreadsheet programs open it directly: UTF-8 with a byte order mark and
semicolons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

Row = TypeVar("Row")
Cell = str | int | float | Decimal | bool | dt.date | dt.datetime | None

# Rows fetched per database round trip when exporting a queryset (prefetches run per chunk).
CHUNK_SIZE = 2000


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Column(Generic[Row]):
    """A column: its header (translated when the file is written) and how to get a row's value."""

    header: Any  # str or a lazy translation
    value: Callable[[Row], Cell]


@dataclass(frozen=True)
class Sheet:
    """A worksheet of an XLSX file: its rows, and which of them are a heading (large) or a header (bold)."""

    title: str
    rows: Iterable[Sequence[Cell]]
    heading_rows: frozenset[int] = frozenset()
    header_rows: frozenset[int] = frozenset()
    first_column_width: float | None = None


def parse_format(value: str | None) -> ExportFormat | None:
    try:
        return ExportFormat(value or "")
    except ValueError:
        return None


# --- One cell --------------------------------------------------------------------------------------------

# What XML 1.0, and so XLSX, cannot hold (openpyxl refuses it with IllegalCharacterError): C0 controls but
# tab, line feed and carriage return; the non-characters U+FFFE and U+FFFF; lone surrogates.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# Skipped before looking at the first character: spaces of any kind and the invisible format characters
# (zero-width spaces, direction marks and overrides, the byte order mark).
_LEADING_BLANKS = re.compile(r"^[\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]*")
# Spreadsheet programs run a cell starting with one of these as a formula ("CSV injection"); Excel in East
# Asian locales takes the full-width forms as well.
_ALWAYS_FORMULA = frozenset("=@\uff1d\uff20\uff0b\uff0d")
# A plus or minus followed only by digits, spaces and hyphens is a phone number (+46701234567) or a
# negative number as text (-12): data, not a formula, and kept as it is.
_PLAIN_NUMBER = re.compile(r"[+\-][\d\s\-]*")


def is_formula_start(text: str) -> bool:
    """True when a spreadsheet program could run ``text`` as a formula."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    rest = _LEADING_BLANKS.sub("", text, count=1)
    first = rest[:1]
    if first in _ALWAYS_FORMULA:
        return True
    if first in ("+", "-"):
        return _PLAIN_NUMBER.fullmatch(rest) is None
    return False


def safe_text(text: str) -> str:
    """``text`` fit for any cell: unwritable characters replaced, a formula start neutralised."""
    text = _UNWRITABLE.sub(REPLACEMENT, text)
    return "'" + text if is_formula_start(text) else text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if _is_number(value):
        # The language's decimal mark (Swedish: comma, which semicolon-separated files go with), no grouping.
        return str(value) if isinstance(value, int) else number_format(value, use_l10n=True)
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def _xlsx_cell(value: Any) -> Any:
    if value is None or _is_number(value):
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    return safe_text(str(value))


# --- Files -----------------------------------------------------------------------------------------------


def _rows(rows: Iterable[Row]) -> Iterable[Row]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return rows


def csv_content(rows: Iterable[Sequence[Cell]]) -> bytes:
    """A CSV file of ``rows``: UTF-8 with a byte order mark, semicolons, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_titles(titles: Iterable[str]) -> list[str]:
    """Valid, distinct sheet names: at most 31 characters, none of []:*?/\\, no apostrophe at either end."""
    out: list[str] = []
    for title in titles:
        name = _UNWRITABLE.sub("", re.sub(r"[\[\]:*?/\\]", "", title)).strip().strip("'")[:31].strip()
        name = name or "Export"
        candidate, number = name, 1
        while candidate.lower() in {taken.lower() for taken in out}:
            number += 1
            suffix = f" ({number})"
            candidate = name[: 31 - len(suffix)] + suffix
        out.append(candidate)
    return out


def xlsx_content(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook with one worksheet per sheet, written row by row (constant memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    heading, bold = Font(bold=True, size=13), Font(bold=True)
    for sheet, title in zip(sheets, _sheet_titles(sheet.title for sheet in sheets), strict=True):
        worksheet = workbook.create_sheet(title=title)
        if sheet.first_column_width:
            worksheet.column_dimensions["A"].width = sheet.first_column_width
        for index, row in enumerate(sheet.rows):
            values = [_xlsx_cell(value) for value in row]
            font = heading if index in sheet.heading_rows else bold if index in sheet.header_rows else None
            if font is None:
                worksheet.append(values)
                continue
            cells = []
            for value in values:
                cell = WriteOnlyCell(worksheet, value=value)
                cell.font = font
                cells.append(cell)
            worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _list_rows(rows: Iterable[Row], columns: Sequence[Column[Row]]) -> Iterable[list[Cell]]:
    yield [str(column.header) for column in columns]
    for row in _rows(rows):
        yield [column.value(row) for column in columns]


def write_csv(rows: Iterable[Row], columns: Sequence[Column[Row]]) -> bytes:
    return csv_content(_list_rows(rows, columns))


def write_xlsx(rows: Iterable[Row], columns: Sequence[Column[Row]], *, title: str) -> bytes:
    return xlsx_content([Sheet(title=title, rows=_list_rows(rows, columns), header_rows=frozenset({0}))])


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_response(*, content: bytes, fmt: ExportFormat, filename: str) -> HttpResponse:
    """``content`` as a download named ``filename`` (already safe: made with ``slugify``)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data or figures of a network: no copy in shared caches or the browser's cache.
    response["Cache-Control"] = "no-store"
    return response


def _filename(name: str, fmt: ExportFormat) -> str:
    stamp = timezone.localdate().isoformat()
    return f"{slugify(name) or 'export'}-{stamp}.{fmt.value}"


def export_response(
    *, rows: Iterable[Row], columns: Sequence[Column[Row]], name: str, fmt: ExportFormat
) -> HttpResponse:
    """A download of ``rows`` with ``columns`` as ``fmt``, named after ``name`` and today's date."""
    content = write_xlsx(rows, columns, title=name) if fmt == ExportFormat.XLSX else write_csv(rows, columns)
    return file_response(content=content, fmt=fmt, filename=_filename(name, fmt))
