"""GET /api/v1/stats/ on the association's host: the board's dashboard as data.

The same answer as the board's statistics page (stats.selectors.dashboard_build on the published figures,
with the same filters), never anything about a person: counts of people are perturbed by at most ±2 (the
cell-key method, docs/statistics.md); a closed period's figures are frozen; an open period shows its months so
far, preliminary ones under 12 as null with the reason. Municipalities have no such page (their staff see
their own figures in funder reports), so on their hosts the endpoint does not exist.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from api.permissions import HasRole
from core.api.inputs import Text
from core.api.schema import ApiSchema
from stats.dimensions import ALL, COARSE_LABELS, Period
from stats.selectors import (
    FINAL,
    PRELIMINARY,
    Figure,
    RevisionNote,
    Row,
    Table,
    dashboard_build,
    default_period,
    period_label,
    selection_build,
)

PERIOD_PATTERN = r"^(19|20)[0-9]{2}(-Q[1-4])?$"
PRELIMINARY_SMALL = "preliminary_small"
WITHHELD = "withheld"


class AssociationHost(BasePermission):
    """Only the association's host has the board's statistics: elsewhere a signed-in user gets the 404 of
    any missing page. Who is not signed in is left to HasRole (401)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        tenant = getattr(request, "tenant", None)
        if request.user and request.user.is_authenticated and not getattr(tenant, "is_association", False):
            raise NotFound(_("Not found."))
        return True


class StatsQuerySerializer(serializers.Serializer[Any]):
    period = serializers.RegexField(
        PERIOD_PATTERN,
        required=False,
        help_text="A year (2026) or a quarter (2026-Q1). Default: the period that closed last.",
    )
    municipality = Text(max_length=63, help_text="One municipality, by the first part of its address.")
    county = Text(max_length=100, help_text="The municipalities of one county, e.g. Jönköpings län.")
    age = serializers.ChoiceField(
        choices=[(ALL, "All ages"), *[(key, str(label)) for key, label in COARSE_LABELS.items()]],
        required=False,
        allow_blank=True,
        help_text="Children 0–12, youth 13–25 or adults 26+ (people's figures only).",
    )


class FigureSerializer(serializers.Serializer[Any]):
    value = serializers.FloatField(
        allow_null=True,
        help_text="In the unit the column names (volunteer hours in hours). null when not shown.",
    )
    status = serializers.ChoiceField(
        choices=[(FINAL, FINAL), (PRELIMINARY, PRELIMINARY)],
        help_text="final: a closed period's published figure, kept as it is; preliminary: the open month's.",
    )
    perturbed = serializers.BooleanField(
        help_text="A count of people, perturbed by at most ±2 (small counts never exactly); sessions held and "
        "volunteer hours are exact."
    )
    suppressed = serializers.BooleanField(help_text="Not shown (value null).")
    suppression = serializers.ChoiceField(
        choices=[(PRELIMINARY_SMALL, PRELIMINARY_SMALL), (WITHHELD, WITHHELD)],
        allow_null=True,
        help_text="preliminary_small: a preliminary figure under 12; withheld: kept back so that a small "
        "figure cannot be worked out from the others.",
    )
    text = serializers.CharField(
        help_text="As the dashboard shows it: – for zero, <12 for a small preliminary figure, .. withheld, * "
        "when a sum leaves some out."
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "partial" cannot be a class attribute: it is a Serializer property.
        fields = super().get_fields()
        fields["partial"] = serializers.BooleanField(
            help_text="A sum over municipalities that leaves out figures suppressed in some of them."
        )
        return fields


class LabelledSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "label" cannot be a class attribute: it is a Field property.
        fields = super().get_fields()
        fields["label"] = serializers.CharField()
        return fields


class ColumnSerializer(LabelledSerializer):
    pass


class StatsRowSerializer(LabelledSerializer):
    figures = serializers.DictField(child=FigureSerializer(), help_text="By column key.")


class StatsTableSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = StatsRowSerializer(many=True)
    total = StatsRowSerializer(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class RevisionSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    revision = serializers.IntegerField(help_text="2 for the first revision after publication, and so on.")
    reason = serializers.CharField()
    day = serializers.DateField()
    changed = serializers.IntegerField(help_text="Figures whose value the revision changed.")


class StatsSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    period_label = serializers.CharField()
    preliminary = serializers.BooleanField(
        help_text="The period has not closed: only its months so far, the open one preliminary."
    )
    closes_on = serializers.DateField(help_text="When the period's figures are published and kept.")
    revisions = RevisionSerializer(many=True, help_text="Revisions of the period's published figures.")
    description = serializers.CharField()
    municipality = serializers.CharField(allow_null=True)
    county = serializers.CharField(allow_blank=True)
    age = serializers.CharField(allow_blank=True)
    totals = serializers.DictField(child=FigureSerializer())
    tables = StatsTableSerializer(many=True)


def figure_data(figure: Figure) -> dict[str, Any]:
    suppressed = not figure.shown
    reason = PRELIMINARY_SMALL if figure.status == PRELIMINARY else WITHHELD
    return {
        # Figure.number is None for a figure not shown: the database never handed its value out.
        "value": figure.number,
        "status": figure.status,
        "perturbed": figure.perturbed,
        "suppressed": suppressed,
        "suppression": reason if suppressed else None,
        "partial": figure.partial,
        "text": figure.text,
    }


def revision_data(note: RevisionNote) -> dict[str, Any]:
    return {
        "municipality": note.municipality,
        "revision": note.revision,
        "reason": note.reason,
        "day": note.day,
        "changed": note.changed,
    }


def row_data(row: Row) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "figures": {key: figure_data(figure) for key, figure in row.figures.items()},
    }


def table_data(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": str(table.title),
        "columns": [{"key": key, "label": label} for key, label in table.columns],
        "rows": [row_data(row) for row in table.rows],
        "total": row_data(table.total) if table.total else None,
        "note": str(table.note),
    }


class StatsView(APIView):
    read_roles = frozenset({Role.BOARD})
    permission_classes = [AssociationHost, HasRole]
    schema = ApiSchema()

    @extend_schema(
        summary="The board's statistics (association host only)",
        description=(
            "Published figures, as on the board's dashboard: totals, the municipalities compared, month by "
            "month, by gender, age band, group, arena and category. Board members only. Counts of people are "
            "perturbed by at most ±2 with the cell-key method (small counts are never exact); a closed "
            "period's figures are kept as published, corrections make logged revisions; an open period shows "
            "its months so far, preliminary figures under 12 as null. On a municipality's host: 404."
        ),
        parameters=[StatsQuerySerializer],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        period = Period.parse(given["period"]) if given.get("period") else default_period()
        try:
            selection = selection_build(
                period=period,
                municipality_slug=given.get("municipality", "").strip(),
                county=given.get("county", "").strip(),
                age=given.get("age") or ALL,
            )
        except ValueError:
            raise NotFound(_("No such municipality.")) from None
        dashboard = dashboard_build(actor=cast(User, request.user), selection=selection)
        answer = StatsSerializer(
            {
                "period": period.key,
                "period_label": period_label(period),
                "preliminary": dashboard.preliminary,
                "closes_on": dashboard.closes_on,
                "revisions": [revision_data(note) for note in dashboard.revisions],
                "description": dashboard.selection.description,
                "municipality": selection.municipality.schema_name if selection.municipality else None,
                "county": selection.county,
                "age": selection.age,
                "totals": {key: figure_data(figure) for key, figure in dashboard.totals.figures.items()},
                "tables": [table_data(table) for table in dashboard.tables],
            }
        )
        return Response(answer.data)
