"""``python -m bench`` (``make bench``): see README's "Benchmarks" and docs/scaling.md."""

from __future__ import annotations

import os
import sys
import warnings


def main() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # Noise, not news: WhiteNoise finds no collected static files (it serves them from the apps), and
    # platformdirs has no XDG_RUNTIME_DIR in root shells.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    warnings.filterwarnings("ignore", module="platformdirs")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    # Resolve the benchmark database once (starting the embedded server if needed) and hand the URL to
    # every child process, so gunicorn and migrate_schemas use exactly this database.
    from bench.database import bench_database_url

    os.environ["BENCH_DATABASE_URL"] = bench_database_url()

    import django

    django.setup()

    from bench.config import BenchConfig
    from bench.runner import run

    results = run(BenchConfig.from_env(), log=lambda line: print(line, flush=True))
    return 0 if all(result.met for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
