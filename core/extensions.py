"""Extension points: how a lower app lets the apps above it add to its rules and pages.

The apps stand in layers (ARCHITECTURE.md): an app imports only the apps below it. Sometimes a lower app's
rule or page needs what a higher app knows: a volunteer sees the people in the activities they lead, and a
person's page shows their activities. The lower app then declares an ``ExtensionPoint`` and the higher app
adds to it in its ``AppConfig.ready()``. Whoever reads the lower app finds every extension point in its
``extensions.py``; ``grep <point>.add`` finds who contributes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class ExtensionPoint(Generic[F]):
    """An ordered set of callables with one signature, added once each at start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, F] = {}

    def add(self, item: F) -> F:
        # Keyed by qualified name: an app's ready() that runs twice (tests, reloads) adds nothing twice.
        self._items[f"{item.__module__}.{item.__qualname__}"] = item
        return item

    def __iter__(self) -> Iterator[F]:
        return iter(self._items.values())

    def __repr__(self) -> str:
        return f"ExtensionPoint({self.name!r}, {len(self._items)} added)"
