"""CSV and XLSX downloads of any list: a queryset (or rows) and a column spec in, a file response out.

Every list in the staff UI exports the same way: the view builds the list's queryset exactly as the page
does (same filters, same visibility rules, for people ``Purpose.EXPORT``) and passes columns fitting the
user's role. CSV is written the way Swedish spreadsheet programs open it directly: UTF-8 with a byte order
mark and semicolons.
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


def parse_format(value: str | None) -> ExportFormat | None:
    try:
        return ExportFormat(value or "")
    except ValueError:
        return None


# A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection"). Phone
# numbers such as +46701234567 and negative numbers are data, not formulas, and stay as they are.
_FORMULA_START = re.compile(r"^[=@\t\r]|^[+\-](?![\d\s\-]*$)")


def _safe_text(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return _safe_text(str(value))


def _rows(rows: Iterable[Row]) -> Iterable[Row]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return rows


def _filename(name: str, fmt: ExportFormat) -> str:
    stamp = timezone.localdate().isoformat()
    return f"{slugify(name) or 'export'}-{stamp}.{fmt.value}"


def write_csv(rows: Iterable[Row], columns: Sequence[Column[Row]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(column.header) for column in columns])
    for row in _rows(rows):
        writer.writerow([_cell_text(column.value(row)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value: Cell) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write local wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str):
        return _safe_text(value)
    return value


def write_xlsx(rows: Iterable[Row], columns: Sequence[Column[Row]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # Sheet titles are at most 31 characters and may not hold []:*?/\ .
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Export")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(rows):
        sheet.append([_xlsx_value(column.value(row)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(
    *, rows: Iterable[Row], columns: Sequence[Column[Row]], name: str, fmt: ExportFormat
) -> HttpResponse:
    """A download of ``rows`` with ``columns`` as ``fmt``, named after ``name`` and today's date."""
    content = write_xlsx(rows, columns, title=name) if fmt == ExportFormat.XLSX else write_csv(rows, columns)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, fmt)}"'
    # Personal data: no copy in shared caches or the browser's cache.
    response["Cache-Control"] = "no-store"
    return response
