"""What a benchmark run is asked to do, read from the environment (every variable is optional)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from ivplatform.env import env_bool, env_int, env_list

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent


@dataclass(frozen=True)
class BenchConfig:
    # Municipalities to build; the association is built besides them.
    tenants: int = 300
    # Drop the benchmark database and build it again even if it has the right shape.
    rebuild: bool = False
    # Run only these figures (by registered name); empty runs all of them.
    figures: tuple[str, ...] = ()
    # Loopback ports the benchmark's servers may use, the first free one each time: first_port to +6.
    first_port: int = 8104
    # Web workers under load: as many as cores, like production.
    workers: int = os.cpu_count() or 2
    # Concurrent users of the load figure, and how long it runs.
    users: int = 50
    load_seconds: int = 30
    # Parallel connections while cloning tenant schemas.
    build_workers: int = os.cpu_count() or 2
    output_dir: Path = BENCH_DIR

    def __post_init__(self) -> None:
        if self.tenants < 1:
            raise ImproperlyConfigured(f"BENCH_TENANTS must be at least 1, not {self.tenants}.")
        if not 1024 <= self.first_port <= 65535 - 6:
            raise ImproperlyConfigured(
                f"BENCH_PORT must be a port from 1024 to 65529, not {self.first_port}."
            )
        for name, value in (
            ("BENCH_WORKERS", self.workers),
            ("BENCH_USERS", self.users),
            ("BENCH_LOAD_SECONDS", self.load_seconds),
            ("BENCH_BUILD_WORKERS", self.build_workers),
        ):
            if value < 1:
                raise ImproperlyConfigured(f"{name} must be at least 1, not {value}.")

    @property
    def ports(self) -> range:
        return range(self.first_port, self.first_port + 7)

    @classmethod
    def from_env(cls) -> BenchConfig:
        defaults = cls()
        return cls(
            tenants=env_int("BENCH_TENANTS", defaults.tenants),
            rebuild=env_bool("BENCH_REBUILD", False),
            figures=tuple(env_list("BENCH_FIGURES")),
            first_port=env_int("BENCH_PORT", defaults.first_port),
            workers=env_int("BENCH_WORKERS", defaults.workers),
            users=env_int("BENCH_USERS", defaults.users),
            load_seconds=env_int("BENCH_LOAD_SECONDS", defaults.load_seconds),
            build_workers=env_int("BENCH_BUILD_WORKERS", defaults.build_workers),
        )
