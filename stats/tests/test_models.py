"""The rollup and the published figures hold counts, cell keys and fixed vocabularies only: no names, no ids
of people, no free text."""

from __future__ import annotations

import pytest

from core.models import Person, Project
from stats.cellkey import KEY_SPACE
from stats.dimensions import (
    AGE_VALUES,
    ALL,
    ARENA_VALUES,
    CATEGORY_VALUES,
    FUNDER_VALUES,
    GENDER_VALUES,
    GROUP_VALUES,
    STAGE_VALUES,
    PeriodKind,
)
from stats.metrics import METRICS
from stats.models import PublishedCell, RollupCell, cut_of
from stats.services import tenant_recompute
from stats.tests.scenario import network_build

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
}


def test_rollup_has_only_count_key_and_dimension_columns() -> None:
    assert {field.column for field in RollupCell._meta.concrete_fields} == EXPECTED_COLUMNS | {"cell_key"}
    assert {field.column for field in PublishedCell._meta.concrete_fields} == EXPECTED_COLUMNS | {
        "status",
        "revision",
        "true_value",
    }


def test_every_rollup_value_comes_from_a_fixed_vocabulary(varnamo) -> None:
    with varnamo:
        network = network_build(seed=7, people=40, sessions=30)
        person_ids = {person.pk for person in network.people}
        names = {person.first_name for person in network.people}
        project_ids = set(Project.objects.values_list("id", flat=True))
        assert Person.objects.count() >= 40
    tenant_recompute(tenant=varnamo)
    rows = list(RollupCell.objects.filter(tenant=varnamo).values())
    assert rows
    allowed = {
        "period_kind": set(PeriodKind.values),
        "metric": set(METRICS),
        "gender": {ALL, *GENDER_VALUES},
        "age_band": set(AGE_VALUES),
        "person_group": {ALL, *GROUP_VALUES},
        "category": {ALL, *CATEGORY_VALUES},
        "arena": {ALL, *ARENA_VALUES},
        "funder": {ALL, *FUNDER_VALUES},
        "stage": {ALL, *STAGE_VALUES},
    }
    for row in rows:
        assert row["cut"] == cut_of(row)
        for column, values in allowed.items():
            assert row[column] in values, (column, row[column])
        # Project ids are the municipality's projects, never people; no text anywhere.
        assert row["project"] == 0 or row["project"] in project_ids
        assert row["value"] > 0
        assert 0 <= row["cell_key"] < KEY_SPACE
        assert not names & {str(value) for value in row.values()}
    # A person's id may coincide with a count; it must never stand in an id-like column.
    assert not {row["project"] for row in rows} & (person_ids - project_ids - {0})
