"""Figures, volume builders and load mix contributions register themselves and are found by name."""

from __future__ import annotations

import pytest

from bench import figures, load, volumes
from bench.report import AtMost, Figure


def test_the_figures_of_the_foundation_are_found_in_order() -> None:
    names = [registered.name for registered in figures.discover()]
    for expected in ("provisioning", "routing", "migrate_schemas", "http-load", "memory"):
        assert expected in names
    orders = [registered.order for registered in figures.discover()]
    assert orders == sorted(orders)


def test_a_second_figure_with_a_taken_name_is_refused() -> None:
    figures.discover()
    with pytest.raises(ValueError, match="routing"):
        figures.figure(name="routing")(lambda ctx: Figure(name="x", ours=1, unit="", target=AtMost(1)))


def test_one_figure_or_several_become_rows() -> None:
    one = Figure(name="one", ours=1, unit="s", target=AtMost(2))
    assert figures.as_list(one) == [one]
    assert figures.as_list([one, one]) == [one, one]


def test_the_accounts_volume_builder_is_found_and_runs_per_tenant() -> None:
    builders = {builder.name: builder for builder in volumes.discover()}
    assert builders["accounts"].scope == "tenant"


def test_a_second_volume_builder_with_a_taken_name_is_refused() -> None:
    volumes.discover()
    with pytest.raises(ValueError, match="accounts"):
        volumes.tenant_volumes(name="accounts", version="1")(lambda tenant: 0)


def test_the_load_mix_has_staff_and_public_pages() -> None:
    figures.discover()
    names = [contribution.name for contribution in load.contributions()]
    assert names[:2] == ["staff pages", "public pages"]
