"""Reads for pathways (lotsning): access helper, lists, a household at a glance, monthly counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from matching.models import Pathway, PathwayStage, PathwayStageChange
from matching.models.pathways import PATHWAY_ARENAS
from matching.selectors.matching import can_manage_matching
from partners.models import Partner
from people.models import Household, Person


def _require_manager(user: User) -> None:
    if not can_manage_matching(user):
        raise Http404


def get_pathway_for_user(user: User, pk: int) -> Pathway:
    _require_manager(user)
    try:
        return Pathway.objects.select_related("person__household", "partner", "coordinator").get(pk=pk)
    except Pathway.DoesNotExist:
        raise Http404 from None


def pathways_for_user(
    *, actor: User, arena: str | None = None, stage: str | None = None
) -> QuerySet[Pathway]:
    _require_manager(actor)
    pathways = Pathway.objects.select_related("person__household", "partner")
    if arena:
        pathways = pathways.filter(arena=arena)
    if stage:
        pathways = pathways.filter(stage=stage)
    return pathways.order_by("-stage_on", "-id")


def pathway_history(pathway: Pathway) -> QuerySet[PathwayStageChange]:
    return pathway.stage_changes.select_related("recorded_by").order_by("changed_on", "id")


def _with_pathways(people: QuerySet[Person]) -> QuerySet[Person]:
    ordered = Pathway.objects.select_related("partner").order_by("-stage_on", "-id")
    return people.prefetch_related(Prefetch("pathways", queryset=ordered, to_attr="pathway_list"))


def pathways_for_household(household: Household) -> QuerySet[Person]:
    """Every member of ``household``, adults first, each with ``pathway_list`` (newest first).

    Two queries whatever the size of the family. For ``templates/matching/pathways/_household_pathways.html``.
    """
    members = household.members.filter(erased_at__isnull=True).order_by(
        "household_role", "birth_year", "first_name", "id"
    )
    return _with_pathways(members)


def household_pathways_context(household: Household, actor: User) -> dict[str, Any]:
    """The household page's pathway panel (``people.extensions``): each member's pathway at a glance, for
    those who guide them; volunteers do not see pathways."""
    if not actor.has_role(Role.ADMIN, Role.COORDINATOR):
        return {"household_pathways": None}
    return {"household_pathways": pathways_for_household(household)}


def pathways_for_person(person: Person) -> QuerySet[Person]:
    """The same shape for a person without a household: a one-row list."""
    return _with_pathways(Person.objects.filter(pk=person.pk))


def pathway_partners() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True).order_by("name", "id")


@dataclass(frozen=True)
class PathwayMonthCount:
    """For one month, arena and stage: how many pathways reached the stage during the month (``entered``)
    and how many were at that stage on the month's last day (``at_month_end``)."""

    month: dt.date
    arena: str
    stage: str
    entered: int
    at_month_end: int


def pathway_counts_by_month(*, first_month: dt.date, last_month: dt.date) -> list[PathwayMonthCount]:
    """Pathways by arena and stage per month, from the dated stage history: one SQL query, every
    combination of month × arena × stage present (zeros included), for the statistics rollup.

    Aggregates only, no personal data, the current tenant's schema: no acting user (see
    ``match_counts_by_month``).
    """
    if last_month < first_month:
        raise ValueError("last_month is before first_month")
    pathways = Pathway._meta.db_table
    changes = PathwayStageChange._meta.db_table
    # The only values put into the text are our own table names; the dates are parameters.
    sql = f"""
        WITH months AS (
            SELECT month::date AS month_start,
                   (month + interval '1 month' - interval '1 day')::date AS month_end
            FROM generate_series(%s::date, %s::date, interval '1 month') AS month
        ),
        arenas AS (SELECT unnest(%s::text[]) AS arena),
        stages AS (SELECT unnest(%s::text[]) AS stage),
        stage_at_end AS (
            SELECT m.month_start, p.arena, latest.stage
            FROM months m
            CROSS JOIN {pathways} p
            CROSS JOIN LATERAL (
                SELECT c.stage FROM {changes} c
                WHERE c.pathway_id = p.id AND c.changed_on <= m.month_end
                ORDER BY c.changed_on DESC, c.id DESC LIMIT 1
            ) latest
        ),
        entered AS (
            SELECT m.month_start, p.arena, c.stage, count(*) AS n
            FROM months m
            JOIN {changes} c ON c.changed_on BETWEEN m.month_start AND m.month_end
            JOIN {pathways} p ON p.id = c.pathway_id
            GROUP BY 1, 2, 3
        ),
        at_end AS (
            SELECT month_start, arena, stage, count(*) AS n FROM stage_at_end GROUP BY 1, 2, 3
        )
        SELECT m.month_start, a.arena, s.stage, coalesce(e.n, 0), coalesce(t.n, 0)
        FROM months m CROSS JOIN arenas a CROSS JOIN stages s
        LEFT JOIN entered e ON e.month_start = m.month_start AND e.arena = a.arena AND e.stage = s.stage
        LEFT JOIN at_end t ON t.month_start = m.month_start AND t.arena = a.arena AND t.stage = s.stage
        ORDER BY m.month_start, a.arena, s.stage
    """  # noqa: S608
    params: list[Any] = [
        first_month.replace(day=1),
        last_month.replace(day=1),
        [arena.value for arena in PATHWAY_ARENAS],
        list(PathwayStage.values),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [PathwayMonthCount(*row) for row in rows]
