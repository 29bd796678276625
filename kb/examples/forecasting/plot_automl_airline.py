"""
AutoML: searching forecasting pipelines for the airline series
==============================================================

``kb automl forecasting --dataset dataset.airline`` lets Optuna compose forecasting
pipelines from the catalog: the candidates are the catalog's forecasters and invertible
transformers, found from their metadata, each with the ``search_space`` its metadata
declares. This example runs the same search from Python with a tiny budget, reads the
table of the best pipelines, and checks the winner on the year the search never saw.

The search is honest by construction: the last 12 months are kept out of it, every
trial is scored by an expanding-window backtest (three folds of 12 months) inside the
rest, and trial 0 is always the catalog's forecasting organism with its defaults, so
the winner is never worse, on the search's own folds, than doing nothing clever.
"""

# %%
# The data the search sees, and the part it never sees
# ----------------------------------------------------
# :func:`automl.data.load_task_data` is the split the search itself uses: for a
# forecasting dataset, the last horizon (one season, 12 months) is the test part.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import mlflow
import optuna

from automl import Settings, run_search
from automl.data import load_task_data
from automl.report import format_outcome
from catalog import build_component

data = load_task_data("forecasting", {"dataset": "dataset.airline"})
(y_train, _), (y_test, _) = data.train, data.test
print(f"search on {y_train.index[0]} to {y_train.index[-1]} ({len(y_train)} months)")
print(f"never searched on: {y_test.index[0]} to {y_test.index[-1]}")

# %%
# Run a small study
# -----------------
# The study (Optuna, SQLite) and the runs (MLflow, SQLite) go to a temporary folder;
# ``kb automl`` would write ``automl.db`` and ``mlflow.db`` in the working folder. The
# experiment is created first with its artifact folder in the same place: a local MLflow
# store otherwise puts the winner's model under ``./mlruns``. Four trials and a time
# limit of 30 s per trial keep this example quick; a real search runs 30 or more.
workdir = tempfile.TemporaryDirectory()
folder = Path(workdir.name)
tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
mlflow.MlflowClient(tracking_uri).create_experiment(
    "automl", artifact_location=(folder / "artifacts").as_uri()
)
settings = Settings(
    task="forecasting",
    source={"dataset": "dataset.airline"},
    trials=4,
    trial_timeout=30,
    seed=0,
    storage=f"sqlite:///{folder / 'automl.db'}",
    tracking_uri=tracking_uri,
    progress=False,
)
outcome = run_search(settings)
print(format_outcome(outcome))

# %%
# The trials, one by one
# ----------------------
# Every trial is in the study, with the pipeline it tried and its backtest score; the
# same numbers are in MLflow, one nested run per trial under the study's run.
study = optuna.load_study(study_name=outcome.study, storage=outcome.storage)
for trial in study.trials:
    pipeline = trial.user_attrs.get("pipeline", {})
    forecaster = pipeline.get("params", {}).get("forecaster", {"id": "organism default"})
    value = "-" if trial.value is None else f"{trial.value:.3f}"
    print(f"trial {trial.number}: {trial.state.name:<8} MASE {value:>6}  {forecaster['id']}")

# %%
# The winner on the held-out year
# -------------------------------
# The winner was refitted on all the search data and logged to MLflow as a model
# (``runs:/<run id>/model``, with its signature and an input example). Its pipeline spec
# is in the outcome too: build it from the catalog, fit it on the search data and
# forecast the 12 held-out months.
winner = build_component(outcome.best_pipeline).fit(y_train)
forecast = winner.predict(len(y_test))

fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
recent = y_train.iloc[-48:]
ax.plot(recent.index.to_timestamp(), recent.to_numpy(), color="black", label="searched on")
ax.plot(y_test.index.to_timestamp(), y_test.to_numpy(), color="grey", label="held out")
ax.plot(
    y_test.index.to_timestamp(),
    forecast.to_numpy(),
    color="tab:blue",
    label=f"winner (test MASE {outcome.test_score:.2f})",
)
ax.axvline(y_test.index[0].to_timestamp(), color="grey", linestyle=":")
ax.set_ylabel("passengers (thousands)")
ax.set_title("Airline passengers: the AutoML winner on the year it never saw")
ax.legend(loc="upper left")
plt.show()

workdir.cleanup()

# %%
# Conclusion
# ----------
# The search is only as good as its evaluation: the backtest folds lie inside the
# training part, and the held-out year is scored once, by the winner, after the
# search. With four trials the organism's defaults are hard to beat; give a real
# search ``--trials 50`` and ``--timeout``, and read the trials in MLflow or
# optuna-dashboard. See the guide "Finding a pipeline with AutoML" for resuming,
# workers and the project mode.
