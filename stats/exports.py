"""Every view as CSV and XLSX (written by ``core.exports``, like every file the platform exports), and a
printable PDF report with the charts (WeasyPrint)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exports import Cell, ExportFormat, Sheet, csv_content, file_response, xlsx_content
from stats.selectors import Figure, Table


def legend() -> list[str]:
    return [
        _("<5: fewer than 5 people; hidden."),
        _("..: hidden so that a figure under 5 cannot be worked out from the others."),
        _("–: none."),
        _("*: a sum over municipalities that leaves out their hidden figures."),
    ]


def _filename(title: str, extension: str) -> str:
    return f"{slugify(title) or 'statistik'}.{extension}"


def _figure_cell(figure: Figure) -> Cell:
    # Numbers stay numbers where they are shown in full; marks ("<5", "..", "12*") stay text.
    number = figure.number
    return number if number is not None and not figure.partial else figure.text


def _table_rows(table: Table) -> list[list[Cell]]:
    """The table's header and rows, its total last: figures as numbers where they are shown in full."""
    rows: list[list[Cell]] = [[table.title, *[label for _key, label in table.columns]]]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        rows.append([str(row.label), *[_figure_cell(row.figures[key]) for key in table.metrics]])
    return rows


def csv_response(*, tables: Sequence[Table], title: str, description: str) -> HttpResponse:
    """Every table one below the other, after the title and the selection, before the legend."""
    rows: list[Sequence[Cell]] = [[title], [description]]
    for table in tables:
        rows += [[], *_table_rows(table)]
    rows += [[], *[[line] for line in legend()]]
    return file_response(
        content=csv_content(rows), fmt=ExportFormat.CSV, filename=_filename(title, ExportFormat.CSV)
    )


def xlsx_response(*, tables: Sequence[Table], title: str, description: str) -> HttpResponse:
    """One sheet per table: the title, the selection, the table, the legend."""
    sheets = [
        Sheet(
            title=table.title or table.key,
            rows=[[title], [description], [], *_table_rows(table), [], *[[line] for line in legend()]],
            heading_rows=frozenset({0}),
            header_rows=frozenset({3}),
            first_column_width=34,
        )
        for table in tables
    ]
    return file_response(
        content=xlsx_content(sheets), fmt=ExportFormat.XLSX, filename=_filename(title, ExportFormat.XLSX)
    )


def pdf_response(
    *, request: HttpRequest, template: str, context: dict[str, object], title: str
) -> HttpResponse:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "legend": legend()}, request=request)
    stylesheet = CSS(filename=finders.find("stats/print.css"))
    # No base URL: the report loads nothing from the network, everything is inline.
    pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(title, "pdf")}"'
    return response
