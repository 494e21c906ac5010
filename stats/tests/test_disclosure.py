"""The cell-key table and the audit: what a published figure can stand for, and no figure under 10 pinned by
the sums between figures, however the noise falls."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from stats import publication
from stats.cellkey import (
    KEY_SPACE,
    MAX_PERTURBATION,
    P_TABLE,
    perturbation,
    perturbed,
    record_key_function,
    support,
    truths_for,
)
from stats.dimensions import ALL, GENDER_VALUES, Period, PeriodKind
from stats.disclosure import PROTECT_BELOW, coverage_equations, order_relations, structural_equations
from stats.metrics import CellCounter, CellKey
from stats.models import PublishedCell, PublishedCellHistory
from stats.publication import key_of, publication_refresh
from stats.selectors import dashboard_build, selection_build
from stats.tests import attacker
from tenants.models import Municipality

YEAR = 2020
TODAY = dt.date(2026, 12, 7)


def key_for(count: int, noise: int) -> int:
    """A cell key that draws ``noise`` for ``count``: the middle of its share of the key space."""
    row = P_TABLE[min(count, max(P_TABLE))]
    total, below = sum(row.values()), 0
    for value, weight in row.items():
        if value == noise:
            return ((2 * below + weight) * KEY_SPACE) // (2 * total)
        below += weight
    raise ValueError(noise)


# --- The table --------------------------------------------------------------------------------------------


def test_zero_stays_zero_and_nothing_moves_by_more_than_2() -> None:
    keys = random.Random(1)
    for _ in range(2000):
        key = keys.getrandbits(32)
        assert perturbed(0, key) == 0
        for count in range(0, 60):
            assert abs(perturbation(count, key)) <= MAX_PERTURBATION
            assert perturbed(count, key) >= 0


def test_every_row_of_the_table_has_mean_zero_and_the_keys_draw_it() -> None:
    for row in P_TABLE.values():
        assert sum(noise * weight for noise, weight in row.items()) == 0
    drawn = Counter(perturbation(7, random.Random(n).getrandbits(32)) for n in range(20_000))
    for noise, weight in P_TABLE[max(P_TABLE)].items():
        assert drawn[noise] / 20_000 == pytest.approx(weight / 100, abs=0.015)


def test_the_same_key_gives_the_same_figure_and_the_table_read_backwards_is_exact() -> None:
    key = key_for(12, 2)
    assert perturbed(12, key) == perturbed(12, key) == 14
    for published in range(0, 40):
        for count in range(0, 45):
            assert (count in truths_for(published)) == (published in support(count))
    assert truths_for(0) == {0, 1, 2}  # a zero may be a small figure drawn to zero
    assert truths_for(1) == {1, 2, 3}  # and anything shown is someone
    assert all(len(truths_for(published)) >= 3 for published in range(0, 40))
    # Small counts move more often than large ones.
    assert P_TABLE[1][0] < P_TABLE[2][0] < P_TABLE[max(P_TABLE)][0]


def test_record_keys_depend_on_the_secret_and_the_record_only() -> None:
    first, again, other = (record_key_function(secret) for secret in (b"a" * 32, b"a" * 32, b"b" * 32))
    assert first(("person", 17)) == again(("person", 17)) != other(("person", 17))
    assert first(("person", 17)) != first(("person", 18)) != first(("attendance", 3, 18))
    assert all(0 <= first(("person", n)) < KEY_SPACE for n in range(100))


# --- The audit --------------------------------------------------------------------------------------------


def published_knowledge_pins(
    tenant: Municipality, year: int, counter: CellCounter
) -> list[tuple[CellKey, int]]:
    """An independent attacker on a published year (``stats.tests.attacker``'s narrowing, not the audit's):
    every value the board was shown of each figure of a closed period, read back through the table, every
    sum and "at most" between figures, zeros included. Returns true figures under 10 left with one value."""
    knowledge = attacker.Knowledge()
    closed = {
        Period(row.period_kind, row.period)
        for row in PublishedCell.objects.filter(tenant=tenant, period__year=year, status="final")
    }
    shown: dict[CellKey, list[tuple[int | None, int]]] = {}
    rows = [
        *PublishedCell.objects.filter(tenant=tenant, period__year=year, status="final"),
        *PublishedCellHistory.objects.filter(tenant=tenant, period__year=year),
    ]
    for row in rows:
        shown.setdefault(key_of(row), []).append((row.value, row.true_value))
    equations = structural_equations(counter.values, complete=True) + coverage_equations(counter)
    cells = {key for key in counter.values} | set(shown)
    for parent, children in equations:
        cells.update((parent, *children))
    truth = {}
    for key in cells:
        if Period(key.period_kind, key.period) not in closed or key.metric == "participant_minutes":
            continue
        var = (0, tenant.schema_name, key)
        truth[var] = counter.values.get(key, 0)
        for value, then in shown.get(key, [(0, 0)]):
            if value is not None:
                allowed = frozenset(t + truth[var] - then for t in truths_for(value))
                knowledge.learn(var, attacker.Domain(min(allowed), max(allowed), allowed))
    for parent, children in equations:
        if all((0, tenant.schema_name, member) in truth for member in (parent, *children)):
            knowledge.equal((0, tenant.schema_name, parent), [(0, tenant.schema_name, c) for c in children])
    for small, large in order_relations(counter.values):
        if (0, tenant.schema_name, small) in truth and (0, tenant.schema_name, large) in truth:
            knowledge.at_most((0, tenant.schema_name, small), (0, tenant.schema_name, large))
    assert knowledge.propagate()
    assert not attacker.outside(knowledge, truth)
    return [
        (var[2], value)
        for var, value in truth.items()
        if value < PROTECT_BELOW and knowledge.domain(var).values() == [value]
    ]


def _pinning_counter() -> CellCounter:
    """Women (1) and men (9) make a total of 10; with the total drawn 2 down, men 2 up and women 1 up, the
    women's figure is pinned: at most 8 + 2 - (11 - 2) = 1, and a published 2 is someone."""
    counter = CellCounter()
    total = CellKey(PeriodKind.YEAR, dt.date(YEAR, 1, 1), "participants")
    for key, value, noise in (
        (total, 10, -2),
        (total._replace(gender="woman"), 1, 1),
        (total._replace(gender="man"), 9, 2),
    ):
        counter.values[key] = value
        counter.cell_keys[key] = key_for(value, noise)
    return counter


@pytest.mark.django_db
def test_without_the_audit_the_sums_pin_a_small_figure() -> None:
    counter = _pinning_counter()
    knowledge = attacker.Knowledge()
    total = CellKey(PeriodKind.YEAR, dt.date(YEAR, 1, 1), "participants")
    for key, value in counter.values.items():
        allowed = truths_for(perturbed(value, counter.cell_keys[key]))
        knowledge.learn((0, "x", key), attacker.Domain(min(allowed), max(allowed), allowed))
    for gender in ("other", "not_stated"):
        knowledge.learn((0, "x", total._replace(gender=gender)), attacker.Domain(0, 2, truths_for(0)))
    knowledge.equal((0, "x", total), [(0, "x", total._replace(gender=g)) for g in GENDER_VALUES])
    assert knowledge.propagate()
    assert knowledge.domain((0, "x", total._replace(gender="woman"))).values() == [1]


@pytest.mark.django_db
def test_the_audit_draws_a_pinned_figure_and_its_sums_again(varnamo: Municipality) -> None:
    counter = _pinning_counter()
    report = publication_refresh(tenant=varnamo, year=YEAR, counter=counter, today=TODAY)
    assert report.redrawn > 0 and report.withheld == 0
    assert report.published[Period(PeriodKind.YEAR, dt.date(YEAR, 1, 1))] == 3
    assert published_knowledge_pins(varnamo, YEAR, counter) == []
    for row in PublishedCell.objects.filter(tenant=varnamo, period__year=YEAR):
        assert abs(row.value - row.true_value) <= MAX_PERTURBATION


@pytest.mark.django_db
def test_a_figure_that_cannot_be_freed_is_withheld(varnamo: Municipality, monkeypatch) -> None:
    monkeypatch.setattr(publication, "MAX_REPAIRS", 0)
    counter = _pinning_counter()
    report = publication_refresh(tenant=varnamo, year=YEAR, counter=counter, today=TODAY)
    assert report.withheld > 0
    withheld = PublishedCell.objects.filter(tenant=varnamo, period__year=YEAR, value__isnull=True)
    assert withheld.exists()
    assert published_knowledge_pins(varnamo, YEAR, counter) == []
    board = dashboard_build(
        actor=None,
        selection=selection_build(
            period=Period(PeriodKind.YEAR, dt.date(YEAR, 1, 1)), municipality_slug="varnamo"
        ),
    )
    texts = {row.key: row.figures["participants"].text for row in board.table("gender").rows}
    assert ".." in [*texts.values(), board.totals.figures["participants"].text]


def test_coarse_groups_split_a_total_only_where_bands_exist() -> None:
    """People of unknown age have no coarse group: women are not the women of the three groups added up."""
    year = CellKey(PeriodKind.YEAR, dt.date(YEAR, 1, 1), "participants")
    values = {
        year: 3,
        year._replace(age_band="adults"): 2,
        year._replace(age_band="unknown"): 1,
        year._replace(gender="woman"): 3,
        year._replace(gender="woman", age_band="adults"): 2,
    }
    families = {(parent, children) for parent, children in structural_equations(values, complete=True)}
    assert any(
        parent == year and year._replace(age_band="unknown") in children for parent, children in families
    )
    assert not any(
        parent == year._replace(gender="woman") and len(children) == 4 for parent, children in families
    )
    assert all(
        key.gender == ALL or key.age_band != "unknown" for _p, children in families for key in children
    )
