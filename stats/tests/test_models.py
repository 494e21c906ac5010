"""The rollup holds counts and fixed vocabularies only: no names, no ids of people, no free text."""

from __future__ import annotations

from typing import Any

import pytest

from activities.models import Project
from people.models import Person
from stats.dimensions import (
    AGE_VALUES,
    ALL,
    ARENA_VALUES,
    CATEGORY_VALUES,
    FUNDER_VALUES,
    GENDER_VALUES,
    GROUP_VALUES,
    STAGE_VALUES,
    Hidden,
    PeriodKind,
)
from stats.metrics import METRICS
from stats.models import RollupCell, cut_of
from stats.services import tenant_recompute
from stats.tests.scenario import network_build
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

EXPECTED_COLUMNS = {
    "cut",
    "id",
    "tenant_id",
    "period_kind",
    "period",
    "metric",
    "gender",
    "age_band",
    "person_group",
    "category",
    "arena",
    "funder",
    "project",
    "stage",
    "value",
    "hidden",
}


def test_rollup_has_only_count_and_dimension_columns() -> None:
    assert {field.column for field in RollupCell._meta.concrete_fields} == EXPECTED_COLUMNS


def test_every_rollup_value_comes_from_a_fixed_vocabulary(varnamo: Municipality) -> None:
    with varnamo:
        network = network_build(seed=7, people=40, sessions=30)
        person_ids = {person.pk for person in network.people}
        names = {person.first_name for person in network.people}
        project_ids = set(Project.objects.values_list("id", flat=True))
        assert Person.objects.count() >= 40
    tenant_recompute(tenant=varnamo)
    rows: list[dict[str, Any]] = [dict(row) for row in RollupCell.objects.filter(tenant=varnamo).values()]
    assert rows
    allowed: dict[str, set[Any]] = {
        "period_kind": set(PeriodKind.values),
        "metric": set(METRICS),
        "gender": {ALL, *GENDER_VALUES},
        "age_band": set(AGE_VALUES),
        "person_group": {ALL, *GROUP_VALUES},
        "category": {ALL, *CATEGORY_VALUES},
        "arena": {ALL, *ARENA_VALUES},
        "funder": {ALL, *FUNDER_VALUES},
        "stage": {ALL, *STAGE_VALUES},
        "hidden": set(Hidden.values),
    }
    for row in rows:
        assert row["cut"] == cut_of(row)
        for column, values in allowed.items():
            assert row[column] in values, (column, row[column])
        # Project ids are the municipality's projects, never people; no text anywhere.
        assert row["project"] == 0 or row["project"] in project_ids
        assert row["value"] > 0
        assert not names & {str(value) for value in row.values()}
    # A person's id may coincide with a count; it must never stand in an id-like column.
    assert not {row["project"] for row in rows} & (person_ids - project_ids - {0})
