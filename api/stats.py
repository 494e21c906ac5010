"""GET /api/v1/stats/ on the association's host: the board's dashboard as data.

The same answer as the board's statistics page (stats.selectors.dashboard_build on the rollup, with the same
filters), never anything about a person: figures hidden on the page (fewer than 5, or hidden so that a small
one cannot be worked out) are null here with the reason, never their value. Municipalities have no such
page (their staff see their own figures in funder reports), so on their hosts the endpoint does not exist.
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

from accounts.models import User
from accounts.roles import Role
from api.permissions import HasRole
from api.resources.inputs.fields import Text
from api.resources.schema import ApiSchema
from stats.dimensions import ALL, COARSE_LABELS, Hidden, Period
from stats.selectors import (
    Figure,
    Row,
    Table,
    dashboard_build,
    period_label,
    periods_available,
    selection_build,
)

PERIOD_PATTERN = r"^(19|20)[0-9]{2}(-Q[1-4])?$"
SUPPRESSION = {Hidden.SMALL: "fewer_than_5", Hidden.COMPLEMENT: "complementary"}


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
        help_text="A year (2026) or a quarter (2026-Q1). Default: the current year.",
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
        help_text="In the unit the column names (volunteer hours in hours). null when suppressed.",
    )
    suppressed = serializers.BooleanField(help_text="Hidden to protect the people behind small numbers.")
    suppression = serializers.ChoiceField(
        choices=[(reason, reason) for reason in SUPPRESSION.values()],
        allow_null=True,
        help_text="fewer_than_5: a small figure; complementary: hidden so that a small one cannot be "
        "worked out from the others.",
    )
    text = serializers.CharField(help_text="As the dashboard shows it: <5, .., – for zero, * when partial.")

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


class StatsSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    period_label = serializers.CharField()
    description = serializers.CharField()
    municipality = serializers.CharField(allow_null=True)
    county = serializers.CharField(allow_blank=True)
    age = serializers.CharField(allow_blank=True)
    totals = serializers.DictField(child=FigureSerializer())
    tables = StatsTableSerializer(many=True)


def figure_data(figure: Figure) -> dict[str, Any]:
    suppressed = figure.hidden != Hidden.SHOWN
    return {
        # Figure.number is None for a hidden figure: the rollup never handed its value out.
        "value": None if suppressed else figure.number,
        "suppressed": suppressed,
        "suppression": SUPPRESSION.get(Hidden(figure.hidden)) if suppressed else None,
        "partial": figure.partial,
        "text": figure.text,
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
            "Aggregated figures from the statistics rollup, as on the board's dashboard: totals, the "
            "municipalities compared, month by month, by gender, age band, group, arena and category. "
            "Board members only. Figures of fewer than 5 people, and those that would give one away, are "
            "suppressed: null with the reason, never the number. On a municipality's host: 404."
        ),
        parameters=[StatsQuerySerializer],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        period = Period.parse(given["period"]) if given.get("period") else periods_available()[0]
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
                "description": dashboard.selection.description,
                "municipality": selection.municipality.schema_name if selection.municipality else None,
                "county": selection.county,
                "age": selection.age,
                "totals": {key: figure_data(figure) for key, figure in dashboard.totals.figures.items()},
                "tables": [table_data(table) for table in dashboard.tables],
            }
        )
        return Response(answer.data)
