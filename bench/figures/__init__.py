"""The figures: one module each, registering a ``measure`` function.

A figure module looks like::

    from bench.figures import figure
    from bench.report import AtMost, Figure

    @figure(name="people-list", order=60)
    def measure(ctx: BenchContext) -> Figure:
        ...
        return Figure(name="People list at 20,000", ours=..., baseline=..., unit="ms", target=AtMost(300))

``measure`` may return one Figure or several (one per row). Figures run by ``order``; ``BENCH_FIGURES``
picks some by name. A figure that raises becomes a "not measured" row instead of stopping the run.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from bench.report import Figure

if TYPE_CHECKING:
    from bench.context import BenchContext

Measure = Callable[["BenchContext"], Figure | Sequence[Figure]]
M = TypeVar("M", bound=Measure)


@dataclass(frozen=True)
class RegisteredFigure:
    name: str
    order: int
    measure: Measure


_FIGURES: dict[str, RegisteredFigure] = {}


def figure(*, name: str, order: int = 100) -> Callable[[M], M]:
    def decorator(measure: M) -> M:
        existing = _FIGURES.get(name)
        if existing is not None and existing.measure is not measure:
            raise ValueError(f"Two figures are named {name!r}.")
        _FIGURES[name] = RegisteredFigure(name=name, order=order, measure=measure)
        return measure

    return decorator


def discover() -> list[RegisteredFigure]:
    """Import every module of this package (each registers itself) and return the figures in order."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(_FIGURES.values(), key=lambda registered: (registered.order, registered.name))


def as_list(measured: Figure | Sequence[Figure]) -> list[Figure]:
    return [measured] if isinstance(measured, Figure) else list(measured)
