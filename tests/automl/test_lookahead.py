"""No look-ahead: whatever a search fits has only seen the past of its fold, never the test.

The probe (``forecasting.lookahead-probe``, written into the catalog by the fixture)
records the last time stamp of every series it is fitted on. A real study runs it as one
of its trials; every fit must end before the fold it forecasts, and nothing the search
or the final refit fits may reach the held-out test months.
"""

from __future__ import annotations

import optuna
import pytest

from automl import Settings, run_search
from catalog.datasets.forecasting import AirlineDataset

pytestmark = pytest.mark.slow

HOLDOUT, HORIZON = 36, 12


def test_every_fit_ends_before_its_folds_cutoff_and_the_test_part(tmp_path, probe_component):
    y = AirlineDataset().load()
    storage = f"sqlite:///{tmp_path / 'automl.db'}"
    settings = Settings(
        task="forecasting",
        source={"dataset": "dataset.airline", "holdout": HOLDOUT},
        trials=1,
        horizon=HORIZON,
        storage=storage,
        study="probe",
        tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
        progress=False,
        refit=False,  # the refit fits the search part, which the folds already bound
        folder=str(tmp_path),
    )
    run_search(settings)  # trial 0: the organism's defaults
    study = optuna.load_study(study_name="probe", storage=storage)
    study.enqueue_trial(
        {
            "forecaster": "forecasting.lookahead-probe",
            "transformer": "passthrough",
            "forecasting.lookahead-probe:offset": 0.0,
        }
    )
    outcome = run_search(Settings(**{**settings.__dict__, "trials": 2, "resume": True}))
    assert outcome.n_trials == 2 and outcome.remaining == 0
    folds = outcome.evaluation["folds"]
    assert folds == 5  # 108 months: five 12-month folds fit after two years of training

    fitted = probe_component.FITTED_UNTIL
    assert len(fitted) >= folds, "the probe's trial did not run its folds"
    search = len(y) - HOLDOUT
    first_test = [search - (folds - k) * HORIZON for k in range(folds)]
    for fold, last_seen in enumerate(fitted[:folds]):
        assert last_seen < y.index[first_test[fold]], f"fold {fold} saw its own test months"
        assert last_seen == y.index[first_test[fold] - 1]  # expanding: all the past, no more
    test_start = y.index[search]
    assert all(stamp < test_start for stamp in fitted), "a fit reached the held-out test part"
    probe_trial = next(t for t in study.get_trials() if t.number == 1)
    assert probe_trial.user_attrs["pipeline"]["params"]["forecaster"]["id"] == (
        "forecasting.lookahead-probe"
    )
    assert len(probe_trial.user_attrs["fold_scores"]) == folds
