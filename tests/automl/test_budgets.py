"""Budgets and failures: a trial past its time limit or raising is recorded with its
reason and never ends the study; known drivers reach the candidates that use them."""

from __future__ import annotations

import numpy as np
import optuna
import pandas as pd
import pytest

from automl import Settings, run_search

pytestmark = pytest.mark.slow


def _settings(tmp_path, **changes) -> Settings:
    base = dict(
        task="forecasting",
        source={"dataset": "dataset.airline"},
        trials=2,
        storage=f"sqlite:///{tmp_path / 'automl.db'}",
        tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
        progress=False,
        refit=False,
        folder=str(tmp_path),
        study="s",
    )
    return Settings(**{**base, **changes})


def test_trials_past_their_time_limit_fail_with_the_reason_and_the_study_goes_on(tmp_path):
    outcome = run_search(_settings(tmp_path, trial_timeout=0.05))
    assert outcome.n_trials == 2 and outcome.n_failed == 2 and outcome.remaining == 0
    assert outcome.best_value is None and outcome.top == []
    study = optuna.load_study(study_name="s", storage=f"sqlite:///{tmp_path / 'automl.db'}")
    for trial in study.trials:
        assert "time limit of 0.05 s" in trial.user_attrs["error"]


def test_a_failing_candidate_is_recorded_with_its_reason(tmp_path):
    # a series with negative values: a log transform cannot fit it
    index = pd.period_range("2000-01", periods=120, freq="M")
    rng = np.random.default_rng(0)
    y = pd.Series(np.cumsum(rng.normal(size=120)) - 30, index=index)
    path = tmp_path / "negative.csv"
    y.rename("value").rename_axis("time").reset_index().assign(
        time=lambda d: d["time"].astype(str)
    ).to_csv(path, index=False)
    settings = _settings(tmp_path, source={"path": str(path)}, trials=1)
    run_search(settings)
    storage = settings.storage
    study = optuna.load_study(study_name="s", storage=storage)
    study.enqueue_trial({"forecaster": "forecasting.naive", "transformer": "preprocessing.log"})
    outcome = run_search(Settings(**{**settings.__dict__, "trials": 2, "resume": True}))
    assert outcome.n_trials == 2 and outcome.n_complete == 1 and outcome.n_failed == 1
    failed = next(
        t
        for t in optuna.load_study(study_name="s", storage=storage).trials
        if t.state == optuna.trial.TrialState.FAIL
    )
    assert "ValueError" in failed.user_attrs["error"]
    assert failed.user_attrs["pipeline"]["params"]["transformer"]["id"] == "preprocessing.log"


def test_known_drivers_reach_the_forecasters_that_use_them(tmp_path):
    index = pd.date_range("2020-01-06", periods=156, freq="W-MON")
    rng = np.random.default_rng(1)
    price = rng.normal(10, 2, size=156)
    sales = 200 - 8 * price + rng.normal(0, 1, size=156)
    table = pd.DataFrame({"time": index.strftime("%Y-%m-%d"), "value": sales, "price": price})
    path = tmp_path / "sales.csv"
    table.to_csv(path, index=False)
    settings = _settings(
        tmp_path, source={"path": str(path), "exog_columns": ["price"]}, trials=1, refit=True
    )
    first = run_search(settings)
    study = optuna.load_study(study_name="s", storage=settings.storage)
    study.enqueue_trial(
        {
            "forecaster": "forecasting.reduction",
            "transformer": "passthrough",
            "forecasting.reduction:window_length": 4,
        }
    )
    outcome = run_search(Settings(**{**settings.__dict__, "trials": 2, "resume": True}))
    scores = {row["components"]: row["score"] for row in outcome.top}
    with_drivers = scores["forecasting.pipeline > forecasting.reduction"]
    # sales are a function of price: the regression on the drivers beats the organism's
    # combination, which cannot see them
    assert with_drivers < 0.5 * first.best_value
    assert outcome.best_pipeline["params"]["forecaster"]["id"] == "forecasting.reduction"
    assert outcome.test_score is not None and outcome.test_score < first.best_value
