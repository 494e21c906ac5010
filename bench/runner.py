"""One benchmark run: build (or reuse) the database, measure every figure, write the results."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from datetime import datetime

from django.conf import settings

from bench import figures
from bench.build import build
from bench.config import BenchConfig
from bench.context import BenchContext
from bench.plan import plan_tenants
from bench.report import (
    Figure,
    RunInfo,
    failed_figure,
    load_average,
    ratio_text,
    render_markdown,
    with_unit,
    write_results,
)
from bench.schemas import use_public_schema


def run(config: BenchConfig, *, log: Callable[[str], None] = print) -> list[Figure]:
    started_at = datetime.now().astimezone()
    load_before = load_average()
    started = time.perf_counter()
    registered = figures.discover()
    unknown = set(config.figures) - {item.name for item in registered}
    if unknown:
        names = ", ".join(item.name for item in registered)
        raise SystemExit(f"BENCH_FIGURES names unknown figures {sorted(unknown)}; known: {names}.")
    chosen = [item for item in registered if not config.figures or item.name in config.figures]

    log(f"Benchmark: {config.tenants} municipalities, database {settings.DATABASES['default']['NAME']!r}")
    report = build(config.tenants, rebuild=config.rebuild, workers=config.build_workers, log=log)
    ctx = BenchContext(config=config, plan=plan_tenants(config.tenants), log=log)

    results: list[Figure] = []
    for item in chosen:
        log(f"Measuring {item.name} …")
        step = time.perf_counter()
        try:
            measured = figures.as_list(item.measure(ctx))
        except Exception as exc:  # one broken figure must not hide the others
            log(traceback.format_exc())
            measured = [failed_figure(item.name, exc)]
        finally:
            use_public_schema()
        for result in measured:
            verdict = "met" if result.met else "NOT MET"
            log(f"  → {result.name}: {_short(result)} [{verdict}]")
        log(f"  ({time.perf_counter() - step:.1f} s)")
        results.extend(measured)

    info = RunInfo(
        tenants=config.tenants,
        started=started_at,
        seconds=time.perf_counter() - started,
        build_seconds=report.seconds,
        database_reused=report.reused,
        load_before=load_before,
        load_after=load_average(),
    )
    markdown, data = write_results(results, info, config.output_dir)
    log("")
    log(render_markdown(results, info))
    log(f"Wrote {markdown} and {data} in {info.seconds:.0f} s.")
    return results


def _short(figure: Figure) -> str:
    if figure.error:
        return f"not measured ({figure.error})"
    text = with_unit(figure.ours, figure.unit)
    if figure.baseline is not None:
        text += f" vs {with_unit(figure.baseline, figure.unit)}"
    if figure.ratio is not None:
        text += f" (ratio {ratio_text(figure.ratio)})"
    return text
