"""Board dashboards and funder reports on the association's host; funder reports on a municipality's host.

Board pages read the published figures only (perturbed, closed periods frozen; docs/statistics.md). A
municipality's own report reads its own tables, in its own schema, for its own staff: exact.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role
from core.models import FunderKind, Project
from ivplatform.http import StaffRequest
from stats.charts import Series, bar_chart, line_chart
from stats.dimensions import ALL, Period, periods_of_year
from stats.exports import csv_response, legend, pdf_response, xlsx_response
from stats.forms import BoardReportForm, DashboardFilterForm, LocalReportForm
from stats.metrics import count_year, years_with_data
from stats.selectors import (
    EXACT,
    REPORT_METRICS,
    Dashboard,
    FunderReport,
    ReportCell,
    ReportScope,
    Row,
    Selection,
    Table,
    dashboard_build,
    default_period,
    funder_report_build,
    period_label,
    project_refs,
    report_cells_published,
    selection_build,
)
from tenants.selectors import member_municipalities

EXPORT_FORMATS = ("csv", "xlsx", "pdf")
CHART_ROWS = 25


# --- Dashboard --------------------------------------------------------------------------------------------


def _selection(form: DashboardFilterForm) -> Selection:
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            return selection_build(
                period=data["period"],
                municipality_slug=data.get("municipality") or "",
                county=data.get("county") or "",
                age=data.get("age") or ALL,
            )
        except ValueError:
            pass
    return selection_build(period=default_period())


def table_chart(table: Table) -> Any:
    """The chart for one table: lines for the trend, bars for the rest (at most 25 rows)."""
    # Participants and attendances where the table has them; otherwise its columns (genders), one bar each.
    metrics = [m for m in ("participants", "attendances") if m in table.metrics] or list(table.metrics[:4])
    rows = table.rows[:CHART_ROWS]
    labels = [row.label for row in rows]
    series = [
        Series(
            name=dict(table.columns)[metric],
            values=[row.figures[metric].number for row in rows],
            texts=[row.figures[metric].text for row in rows],
        )
        for metric in metrics
    ]
    description = _("The same numbers are in the table below.")
    if table.chart == "line":
        short = [label[:3] for label in labels]
        return line_chart(
            key=f"chart-{table.key}", title=table.title, labels=short, series=series, description=description
        )
    return bar_chart(
        key=f"chart-{table.key}", title=table.title, labels=labels, series=series, description=description
    )


def _totals_table(dashboard: Dashboard) -> Table:
    metrics = tuple(dashboard.totals.figures)
    return Table(
        "totals",
        _("Totals"),
        metrics,
        [Row("total", dashboard.selection.description, dashboard.totals.figures)],
    )


@role_required(Role.BOARD, association_only=True)
def board_dashboard(request: StaffRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    selection = _selection(form)
    dashboard = dashboard_build(actor=request.user, selection=selection)
    charted = [(table, table_chart(table)) for table in dashboard.tables]
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "dashboard": dashboard,
            "totals_cards": [
                (label, dashboard.totals.figures[key]) for key, label in _totals_table(dashboard).columns
            ],
            "charted": charted,
            "legend": legend(preliminary=dashboard.preliminary),
            "query": request.GET.urlencode(),
        },
    )


@role_required(Role.BOARD, association_only=True)
def board_dashboard_export(request: StaffRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    selection = _selection(DashboardFilterForm(request.GET or None))
    dashboard = dashboard_build(actor=request.user, selection=selection)
    view = request.GET.get("view", "all")
    tables = [_totals_table(dashboard), *dashboard.tables]
    if view != "all":
        tables = [table for table in tables if table.key == view]
        if not tables:
            raise Http404
    title = f"{request.tenant.name} – {_('Statistics')}"
    description = selection.description
    notes = legend(preliminary=dashboard.preliminary)
    if fmt == "csv":
        return csv_response(tables=tables, title=title, description=description, notes=notes)
    if fmt == "xlsx":
        return xlsx_response(tables=tables, title=title, description=description, notes=notes)
    charted = [(table, table_chart(table)) for table in tables if table.key != "totals"]
    return pdf_response(
        request=request,
        template="stats/dashboard_pdf.html",
        context={
            "dashboard": dashboard,
            "charted": charted,
            "totals": tables[0],
            "title": title,
            "heading": _("Statistics"),
            "subheading": description,
        },
        title=title,
        notes=notes,
    )


# --- Funder reports ---------------------------------------------------------------------------------------


def _report_response(
    request: StaffRequest, report: FunderReport | None, form: Any, fmt: str | None, template: str
) -> HttpResponse:
    notes = legend(exact=report is not None and report.exact)
    if report is not None and fmt:
        title = f"{report.title} – {period_label(report.period)}"
        description = f"{request.tenant.name} · {report.where} · {period_label(report.period)}"
        if fmt == "csv":
            return csv_response(tables=report.tables, title=title, description=description, notes=notes)
        if fmt == "xlsx":
            return xlsx_response(tables=report.tables, title=title, description=description, notes=notes)
        charted = [(table, table_chart(_gender_chart_table(table))) for table in (report.arvs_participants,)]
        return pdf_response(
            request=request,
            template="stats/report_pdf.html",
            context={
                "report": report,
                "charted": charted,
                "title": title,
                "heading": report.title,
                "subheading": f"{report.where} · {period_label(report.period)}",
            },
            title=title,
            notes=notes,
        )
    charts = []
    if report is not None:
        charts = [table_chart(_gender_chart_table(report.arvs_participants))]
    return render(
        request,
        template,
        {
            "form": form,
            "report": report,
            "charts": charts,
            "legend": notes,
            "query": request.GET.urlencode(),
        },
    )


def _gender_chart_table(table: Table) -> Table:
    """The Arvsfonden table as a chart: one bar group per age group, one bar per gender."""
    genders = [key for key in table.metrics if key != "all"]
    return Table(table.key, table.title, tuple(genders), table.rows, labels=dict(table.columns))


@role_required(Role.BOARD, association_only=True)
def board_report(request: StaffRequest, fmt: str | None = None) -> HttpResponse:
    if fmt is not None and fmt not in EXPORT_FORMATS:
        raise Http404
    tenants = list(member_municipalities())
    refs = {
        f"{ref.tenant.schema_name}:{ref.project}": ref
        for ref in project_refs(tenant_ids=[t.pk for t in tenants])
    }
    choices = [
        (key, f"{ref.tenant.name} – {ref.name} ({FunderKind(ref.funder).label})") for key, ref in refs.items()
    ]
    form = BoardReportForm(request.GET or None, projects=choices)
    report = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        period: Period = data["period"]
        if data.get("project"):
            ref = refs[data["project"]]
            scope = ReportScope(project=ref.project, name=ref.name)
            ids, where = [ref.tenant_id], ref.tenant.name
        else:
            funder = data["funder"]
            scope = ReportScope(funder=funder, name=str(FunderKind(funder).label))
            chosen = [t for t in tenants if not data.get("county") or t.county == data["county"]]
            ids, where = [t.pk for t in chosen], data.get("county") or _("All municipalities")
        cells = report_cells_published(period=period, scope=scope, tenant_ids=ids)
        report = funder_report_build(period=period, scope=scope, cells=cells, where=where)
    elif fmt:
        raise Http404
    return _report_response(request, report, form, fmt, "stats/board_report.html")


def _local_periods() -> list[Period]:
    years = years_with_data() or [Period.parse("2000").year]
    periods: list[Period] = []
    for year in reversed(years):
        yearly = periods_of_year(year)
        periods += [yearly[0], *reversed(yearly[1:5])]
    return periods


def local_report_cells(*, period: Period, scope: ReportScope, tenant_id: int) -> list[ReportCell]:
    """The current municipality's own figures for a report, counted from its own tables (exact)."""
    counter = count_year(period.year)
    return [
        (tenant_id, key, value, EXACT)
        for key, value in counter.values.items()
        if key.period_kind == period.kind
        and key.period == period.start
        and key.metric in REPORT_METRICS
        and scope.matches(key)
        and not (key.person_group or key.category or key.arena or key.stage)
    ]


@role_required(Role.ADMIN, Role.COORDINATOR)
def local_report(request: StaffRequest, fmt: str | None = None) -> HttpResponse:
    if request.tenant.is_association:
        raise PermissionDenied
    if fmt is not None and fmt not in EXPORT_FORMATS:
        raise Http404
    projects = {str(p.pk): p for p in Project.objects.order_by("-starts_on", "name")}
    choices = [(key, f"{p.name} ({p.get_funder_kind_display()})") for key, p in projects.items()]
    form = LocalReportForm(request.GET or None, projects=choices, periods=_local_periods())
    report = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        period = data["period"]
        if data.get("project"):
            project = projects[data["project"]]
            scope = ReportScope(project=project.pk, name=project.name)
        else:
            scope = ReportScope(funder=data["funder"], name=str(FunderKind(data["funder"]).label))
        cells = local_report_cells(period=period, scope=scope, tenant_id=request.tenant.pk)
        report = funder_report_build(
            period=period, scope=scope, cells=cells, where=request.tenant.name, exact=True
        )
    elif fmt:
        raise Http404
    return _report_response(request, report, form, fmt, "stats/local_report.html")
