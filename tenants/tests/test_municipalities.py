"""The data file of Sweden's municipalities: complete, consistent, and read the Swedish way."""

from __future__ import annotations

from tenants.municipalities import all_municipalities, municipalities_by_county, municipality_by_code


def test_there_are_exactly_290_unique_municipalities() -> None:
    municipalities = all_municipalities()
    assert len(municipalities) == 290
    assert len({m.code for m in municipalities}) == 290
    assert len({m.name for m in municipalities}) == 290


def test_there_are_exactly_21_counties_each_with_its_own_code() -> None:
    counties = {(m.county_code, m.county) for m in all_municipalities()}
    assert len(counties) == 21
    assert len({code for code, _ in counties}) == 21
    assert all(county.endswith(" län") for _, county in counties)


def test_every_code_is_four_digits_starting_with_its_county_code() -> None:
    for municipality in all_municipalities():
        assert len(municipality.code) == 4
        assert municipality.code.isdigit()
        assert municipality.code.startswith(municipality.county_code)
        assert municipality.population > 1000


def test_known_municipalities_are_where_they_belong() -> None:
    gnosjo = municipality_by_code("0617")
    assert gnosjo is not None
    assert gnosjo.name == "Gnosjö"
    assert gnosjo.county == "Jönköpings län"
    assert municipality_by_code("0180").name == "Stockholm"  # type: ignore[union-attr]
    assert municipality_by_code("2584").name == "Kiruna"  # type: ignore[union-attr]
    assert municipality_by_code("9999") is None
    county_sizes = {county: len(members) for county, members in municipalities_by_county()}
    assert county_sizes["Västra Götalands län"] == 49
    assert county_sizes["Skåne län"] == 33
    assert county_sizes["Gotlands län"] == 1


def test_municipalities_are_sorted_with_a_a_o_after_z() -> None:
    names = [
        m.name
        for county, members in municipalities_by_county()
        if county == "Stockholms län"
        for m in members
    ]
    assert names.index("Vaxholm") < names.index("Värmdö") < names.index("Österåker")
    assert names[-1] == "Österåker"
