"""
AutoML: tuning a detector without anomaly labels
================================================

Anomaly labels are rare, and the test labels of a benchmark must never steer a choice.
``kb automl anomaly-detection`` therefore scores candidate detectors on *injected*
anomalies when the training part has no labels of its own: seeded spikes, level
shifts, noise bursts and flat segments, each scaled by the series' own robust spread.
The candidates are the catalog's detectors and scalers inside the task's organism
(``anomaly.pipeline``), found from their metadata.

This example searches a detector for UCR anomaly series 135 (a physiological signal
with one labelled anomaly in its test part). Its training part is normal, so the
search fits each candidate on the first 60% of it and scores the last 40% with three
differently seeded injections. The labelled anomaly is looked at only at the end.
"""

# %%
# What the search scores on
# -------------------------
# :func:`automl.data.load_task_data` gives the split the search uses: the dataset's
# normal training part, and the test part with its labels, which the search never
# reads. :func:`automl.injection.inject_anomalies` makes one validation copy; the search
# makes three, with seeds 0, 1 and 2.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import mlflow
import numpy as np

from automl import Settings, run_search
from automl.data import load_task_data
from automl.evaluation import VALIDATION_SHARE
from automl.injection import inject_anomalies
from automl.report import format_outcome
from catalog import build_component

data = load_task_data("anomaly-detection", {"dataset": "dataset.ucr-anomaly-135"})
(train, _), (test, test_labels) = data.train, data.test
cut = int(len(train) * (1 - VALIDATION_SHARE))
injected, injected_labels = inject_anomalies(train.iloc[cut:], seed=0)
print(f"training part {len(train)} points (no labels), test part {len(test)} points")
print(f"validation copy: {int(injected_labels.sum())} injected anomalous points")

# %%
# Run a small study
# -----------------
# The default objective is VUS-PR; here ``metric="auc-pr"`` (``--metric auc-pr``), the
# point-wise area under the precision-recall curve, which is threshold-free too and
# much faster to compute. The study (Optuna, SQLite) and the runs (MLflow, SQLite) go to
# a temporary folder; the experiment is created first with its artifact folder there,
# since a local MLflow store otherwise puts the winner's model under ``./mlruns``.
workdir = tempfile.TemporaryDirectory()
folder = Path(workdir.name)
tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
mlflow.MlflowClient(tracking_uri).create_experiment(
    "automl", artifact_location=(folder / "artifacts").as_uri()
)
settings = Settings(
    task="anomaly-detection",
    source={"dataset": "dataset.ucr-anomaly-135"},
    metric="auc-pr",
    trials=6,
    trial_timeout=20,
    seed=0,
    storage=f"sqlite:///{folder / 'automl.db'}",
    tracking_uri=tracking_uri,
    progress=False,
)
outcome = run_search(settings)
print(format_outcome(outcome))
print(outcome.evaluation)

# %%
# The winner on the real anomaly
# ------------------------------
# Only now do we read the test labels: the winner, refitted on the whole training
# part, scores the test part, and the labelled anomaly should stand out. The organism's
# defaults are scored the same way, for comparison only: the choice was made before, on
# the injected copies.
AUCPR = build_component({"id": "metric.auc-pr"})
candidates = {
    "winner": build_component(outcome.best_pipeline),
    "organism defaults": build_component({"id": "anomaly.pipeline"}),
}
scores = {name: np.asarray(p.fit(train).anomaly_score(test)) for name, p in candidates.items()}
for name, values in scores.items():
    print(f"{name}: test AUC-PR {AUCPR(test_labels, values):.3f}")

anomaly = np.flatnonzero(test_labels)[[0, -1]]
fig, axes = plt.subplots(4, 1, figsize=(9, 9), layout="constrained")
axes[0].plot(injected.to_numpy(), linewidth=0.7, color="black")
where = np.flatnonzero(injected_labels)
axes[0].plot(where, injected.to_numpy()[where], ".", color="tab:red", label="injected")
axes[0].set_title("one validation copy: the last 40% of the training part, seed 0")
axes[0].legend(loc="upper right")
axes[1].plot(test.to_numpy(), linewidth=0.5, color="black")
axes[1].set_title("test part, labelled anomaly shaded (never seen by the search)")
for ax, (name, values) in zip(axes[2:], scores.items(), strict=True):
    ax.plot(values, linewidth=0.7, color="tab:green")
    ax.set_title(f"scores of the {name} (test AUC-PR {AUCPR(test_labels, values):.3f})")
for ax in axes[1:]:
    ax.axvspan(*anomaly, color="tab:red", alpha=0.3)
axes[3].set_xlabel("time point")
plt.show()

workdir.cleanup()

# %%
# Conclusion
# ----------
# Injected anomalies are a proxy: they reward detectors that find spikes, shifts,
# bursts and stuck values of the series' own size, and a real anomaly can be of
# another kind. UCR series 135's anomaly is a change in the shape of one beat, which
# the organism's default detector (windows of one period) is built for; compare the
# two test scores above before trusting a winner chosen on injected anomalies alone.
# The proxy lets a search compare candidates without a single label and without
# touching the test part; when the training part has labels of its own, AutoML scores
# on them instead. Either way, judge the winner once, on data the search never saw.
