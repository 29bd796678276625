"""The throwaway PostgreSQL server: it answers, gives independent databases, holds Optuna."""

from __future__ import annotations

import _postgres
import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")

pytestmark = pytest.mark.slow


def _scalar(url: str, query: str):
    with psycopg.connect(_postgres.libpq_url(url)) as connection:
        return connection.execute(query).fetchone()[0]


def test_server_answers_as_postgresql(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert "PostgreSQL" in _scalar(postgres_url, "SELECT version()")


def test_create_database_gives_a_database_that_stores_a_table(postgres_url: str) -> None:
    url = _postgres.create_database(postgres_url, "fixture_roundtrip")
    assert url.endswith("/fixture_roundtrip")
    with psycopg.connect(_postgres.libpq_url(url)) as connection:
        connection.execute("CREATE TABLE runs (id integer PRIMARY KEY, score real)")
        connection.execute("INSERT INTO runs VALUES (1, 0.5), (2, 0.25)")
    assert _scalar(url, "SELECT current_database()") == "fixture_roundtrip"
    assert _scalar(url, "SELECT sum(score) FROM runs") == pytest.approx(0.75)


def test_databases_are_independent(postgres_url: str) -> None:
    first = _postgres.create_database(postgres_url, "fixture_first")
    second = _postgres.create_database(postgres_url, "fixture_second")
    with psycopg.connect(_postgres.libpq_url(first)) as connection:
        connection.execute("CREATE TABLE only_here (x integer)")
    table = "SELECT to_regclass('only_here') IS NOT NULL"
    assert _scalar(first, table) is True
    assert _scalar(second, table) is False


def test_optuna_rdb_storage_records_a_trial(postgres_url: str) -> None:
    optuna = pytest.importorskip("optuna", reason="optuna is not installed")
    url = _postgres.create_database(postgres_url, "fixture_optuna")
    storage = optuna.storages.RDBStorage(url)
    study = optuna.create_study(study_name="scale-out", storage=storage, direction="minimize")
    study.optimize(lambda trial: (trial.suggest_float("x", -1.0, 1.0) - 0.5) ** 2, n_trials=2)
    storage.engine.dispose()

    reloaded = optuna.load_study(study_name="scale-out", storage=url)
    assert [trial.state.name for trial in reloaded.trials] == ["COMPLETE", "COMPLETE"]
    assert reloaded.best_value == min(trial.value for trial in reloaded.trials)
