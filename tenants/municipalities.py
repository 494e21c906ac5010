"""Sweden's 290 municipalities and their counties, from ``tenants/data/municipalities.csv``.

The list is small and never changes while the process runs, so it is read once and kept.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"


@dataclass(frozen=True)
class SwedishMunicipality:
    code: str  # kommunkod, four digits; the first two are the county's code
    name: str
    county_code: str
    county: str
    population: int  # approximate, see tenants/data/README.md


@cache
def all_municipalities() -> tuple[SwedishMunicipality, ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [
            SwedishMunicipality(
                code=row["code"],
                name=row["name"],
                county_code=row["county_code"],
                county=row["county"],
                population=int(row["population"]),
            )
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(rows, key=lambda municipality: municipality.code))


@cache
def _by_code() -> dict[str, SwedishMunicipality]:
    return {municipality.code: municipality for municipality in all_municipalities()}


def municipality_by_code(code: str) -> SwedishMunicipality | None:
    return _by_code().get(code)


def municipalities_by_county() -> list[tuple[str, list[SwedishMunicipality]]]:
    """Counties in code order (Stockholms län first, as official lists go), municipalities by name."""
    counties: dict[str, list[SwedishMunicipality]] = {}
    for municipality in all_municipalities():
        counties.setdefault(municipality.county, []).append(municipality)
    return [
        (county, sorted(members, key=lambda m: swedish_sort_key(m.name)))
        for county, members in counties.items()
    ]


_SWEDISH_ORDER = str.maketrans({"å": "{a", "ä": "{b", "ö": "{c"})


def swedish_sort_key(text: str) -> str:
    """Sort as Swedish does: å, ä and ö after z (code point order would put ä before å)."""
    return text.lower().translate(_SWEDISH_ORDER)
