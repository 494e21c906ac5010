"""The benchmark's database is its own: named apart from the development and test databases."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from bench.database import bench_database_name, bench_database_url, drop_database, with_database_name


def test_the_name_is_replaced_and_everything_else_kept() -> None:
    assert (
        with_database_name("postgres://iv:secret@db:5432/ivplatform?sslmode=require", "ivplatform_bench")
        == "postgres://iv:secret@db:5432/ivplatform_bench?sslmode=require"
    )
    assert (
        with_database_name("postgresql://postgres:@/ivplatform?host=/srv/.data/postgres", "ivplatform_bench")
        == "postgresql://postgres:@/ivplatform_bench?host=/srv/.data/postgres"
    )


def test_the_default_name_and_an_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_DATABASE_NAME", raising=False)
    assert bench_database_name() == "ivplatform_bench"
    monkeypatch.setenv("BENCH_DATABASE_NAME", "bench_two")
    assert bench_database_name() == "bench_two"
    monkeypatch.setenv("BENCH_DATABASE_NAME", "bench; DROP")
    with pytest.raises(ImproperlyConfigured, match="BENCH_DATABASE_NAME"):
        bench_database_name()


@pytest.mark.parametrize("name", ["ivplatform", "test_ivplatform", "postgres"])
def test_a_name_that_could_be_real_data_is_refused(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("BENCH_DATABASE_NAME", name)
    with pytest.raises(ImproperlyConfigured, match="must contain 'bench'"):
        bench_database_name()


def test_a_database_url_naming_the_bench_database_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ivplatform_bench")
    with pytest.raises(ImproperlyConfigured, match="would overwrite"):
        bench_database_url()


def test_only_the_bench_database_can_ever_be_dropped() -> None:
    with pytest.raises(ImproperlyConfigured, match="Refusing to drop 'ivplatform'"):
        drop_database("postgres://postgres@127.0.0.1:5432/ivplatform")
    with pytest.raises(ImproperlyConfigured, match="Refusing to drop 'test_ivplatform'"):
        drop_database("postgres://postgres@127.0.0.1:5432/test_ivplatform")
