"""The cell-key method: a fixed random key per record, a cell's key from its contributors, a fixed noise table.

As the Australian Bureau of Statistics' TableBuilder and the ONS's 2021 Census do it (docs/statistics.md):

- Every record (a person, an attendance, a household, a match, a pathway, a pathway step) gets a *record key*:
  a keyed hash of what the record is (``("person", 17)``), with a secret of its municipality, as an integer
  in [0, 2³²). It is computed in the municipality's own schema while counting; only sums of keys leave it.
- A cell's *cell key* is the sum of its contributors' record keys modulo 2³². The same people in a cell give
  the same key, whatever table, filter or day the cell is shown in.
- The published figure is the count plus a perturbation looked up in ``P_TABLE`` by the count and the cell
  key. So the same contributors always give the same published figure, and asking again, or from another
  table, averages nothing away.

The table: zero stays zero (no one is never shown as someone); nothing moves by more than
``MAX_PERTURBATION`` (2); small counts move more often than large ones (half of the 2s, 3s and 4s, more than
half of the 1s, which may also become 0); every row has mean zero, so sums stay unbiased. ``truths_for`` is
the table read backwards: what a published figure can stand for. It is public knowledge (it is documented),
so the audit (``stats.disclosure``) and the attacker test reason with exactly it.

A small figure may be published as itself, but no one can know when: every published value stands for at
least three possible true ones, and the audit sees to it that the sums between figures never narrow that
down to one. (A table in which 1 to 4 are never published as themselves was tried first: its holes, "a
published 2 is never a true 2", are information too, and across the several cuts of one small total they
pinned a quarter of the small figures of a 40-person network, which then had to be withheld. See
docs/statistics.md.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from functools import cache

KEY_BITS = 32
KEY_SPACE = 1 << KEY_BITS
MAX_PERTURBATION = 2
# Counts from this one on share the last row of the table.
SMALL_LIMIT = 5

# Perturbation → weight (of 100) per true count. Small counts move more often; every count moves by 2 rarely
# (the rarer the extremes, the rarer an audit repair; see stats.disclosure).
P_TABLE: dict[int, dict[int, int]] = {
    0: {0: 100},
    1: {-1: 30, 0: 45, 1: 20, 2: 5},
    2: {-2: 7, -1: 18, 0: 50, 1: 18, 2: 7},
    3: {-2: 7, -1: 18, 0: 50, 1: 18, 2: 7},
    4: {-2: 7, -1: 18, 0: 50, 1: 18, 2: 7},
    SMALL_LIMIT: {-2: 3, -1: 12, 0: 70, 1: 12, 2: 3},
}

RecordKey = Callable[[Hashable], int]


def _row(count: int) -> dict[int, int]:
    return P_TABLE[min(count, SMALL_LIMIT)]


def perturbation(count: int, cell_key: int) -> int:
    """The noise added to ``count`` for a cell with this key: the row of the count, the key's position in it."""
    if count < 0:
        raise ValueError(count)
    row = _row(count)
    position = (cell_key % KEY_SPACE) * sum(row.values()) >> KEY_BITS
    for noise, weight in row.items():
        if position < weight:
            return noise
        position -= weight
    raise AssertionError("unreachable: the weights cover the key space")


def perturbed(count: int, cell_key: int) -> int:
    return count + perturbation(count, cell_key)


def support(count: int) -> frozenset[int]:
    """Every figure a true ``count`` can be published as."""
    return frozenset(count + noise for noise, weight in _row(count).items() if weight)


@cache
def truths_for(published: int) -> frozenset[int]:
    """Every true count that can be published as ``published``: the table read backwards."""
    return frozenset(
        count
        for count in range(max(0, published - MAX_PERTURBATION), published + MAX_PERTURBATION + 1)
        if published in support(count)
    )


def redraw(cell_key: int, attempt: int) -> int:
    """Another key for the same cell, for the audit's repairs: fixed for a given attempt, so a repair is as
    repeatable as the first draw."""
    if attempt == 0:
        return cell_key
    salt = int.from_bytes(hashlib.blake2b(f"redraw:{attempt}".encode(), digest_size=8).digest(), "big")
    return (cell_key + salt) % KEY_SPACE


def record_key_function(secret: bytes) -> RecordKey:
    """Record keys of one municipality: a keyed BLAKE2b of the record's identity, the first 32 bits."""

    def record_key(unit: Hashable) -> int:
        digest = hashlib.blake2b(repr(unit).encode(), key=secret, digest_size=8).digest()
        return int.from_bytes(digest, "big") % KEY_SPACE

    return record_key
