"""Every view as CSV and XLSX, and a printable PDF report with the charts (WeasyPrint)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stats.publication import PRELIMINARY_SHOWN_FROM
from stats.selectors import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def legend(*, preliminary: bool = False, exact: bool = False) -> list[str]:
    """How to read the figures, for the page, the exports and the PDF alike."""
    if exact:
        return [_("Exact figures from your own register."), _("–: none.")]
    lines = [
        _("Figures of people are perturbed by at most ±2; a small figure can never be taken as exact."),
        _(
            "The same people always give the same figure; totals may differ a little from the sum of their "
            "parts."
        ),
        _("–: none, or a small figure perturbed to zero."),
        _(
            "Closed periods are published once and kept; a correction that moves a figure by more than 3 makes "
            "a logged revision."
        ),
        _("Sessions held and volunteer hours count no one and are exact."),
    ]
    if preliminary:
        limit = {"limit": PRELIMINARY_SHOWN_FROM}
        lines += [
            _("Preliminary: the period has not closed; only its months so far are shown."),
            _("<%(limit)s: a preliminary figure under %(limit)s, not shown.") % limit,
            _("*: a sum that leaves out preliminary figures under %(limit)s.") % limit,
        ]
    lines.append(_("..: withheld so that a small figure cannot be worked out."))
    return lines


def _filename(title: str, extension: str) -> str:
    return f"{slugify(title) or 'statistik'}.{extension}"


def csv_response(
    *, tables: Sequence[Table], title: str, description: str, notes: Sequence[str]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Swedish Excel reads semicolons
    writer.writerow([title])
    writer.writerow([description])
    for table in tables:
        writer.writerow([])
        writer.writerows(table.matrix())
    writer.writerow([])
    for line in notes:
        writer.writerow([line])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(title, "csv")}"'
    return response


def xlsx_response(
    *, tables: Sequence[Table], title: str, description: str, notes: Sequence[str]
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    for sheet in list(workbook.worksheets):  # the default empty sheet: every table gets its own
        workbook.remove(sheet)
    used: set[str] = set()
    for table in tables:
        name = re.sub(r"[\[\]:*?/\\]", "", table.title)[:28] or table.key
        while name in used:
            name = name[:26] + str(len(used))
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([title])
        sheet.append([description])
        sheet.append([])
        sheet.append([table.title, *[label for _key, label in table.columns]])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            cells: list[object] = [str(row.label)]
            for key in table.metrics:
                figure = row.figures[key]
                number = figure.number
                # Numbers stay numbers where they are shown in full; marks stay text.
                cells.append(number if number is not None and not figure.partial else figure.text)
            sheet.append(cells)
        sheet.append([])
        for line in notes:
            sheet.append([line])
        sheet["A1"].font = Font(bold=True, size=13)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 34
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(title, "xlsx")}"'
    return response


def pdf_response(
    *, request: HttpRequest, template: str, context: dict[str, object], title: str, notes: Sequence[str]
) -> HttpResponse:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "legend": notes}, request=request)
    stylesheet = CSS(filename=finders.find("stats/print.css"))
    # No base URL: the report loads nothing from the network, everything is inline.
    pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(title, "pdf")}"'
    return response
