"""
Isolation forest on a series with spikes
========================================

An isolation forest scores a point by how easily random trees separate it from the
others. This example runs the catalog's ``anomaly.isolation-forest`` detector on a
1,000-point excerpt of the Yahoo S5 benchmark with 7 labelled point anomalies.

Fed the raw values one point at a time (``window=1``), the forest compares each point
with *every* value of the series, so a spike that stays within the overall range of a
drifting series looks normal. (The detector's default, ``window="auto"``, scores windows
as long as the series' dominant period instead: it looks for abnormal shapes, and a
one-point spike weighs little in a window of 12.)
Removing the local level first (a rolling median of past values only, so nothing leaks
from the future) gives the forest the context it lacks.
"""

# %%
# Load the series
# ---------------
# The data ships inside sktime's wheel; the catalog's dataset component returns the
# series and its 0/1 labels.
import matplotlib.pyplot as plt
import numpy as np

from catalog import get_component
from catalog.atoms.anomaly.isolation_forest import IsolationForestDetector

series, labels = get_component("dataset.yahoo-s5-excerpt")().load()
print(f"{len(series)} points, anomalies at {np.flatnonzero(labels).tolist()}")

# %%
# The naive approach: the forest on raw values
# --------------------------------------------
# We score every point and summarise the scores with the area under the
# precision-recall curve (AUC-PR), which needs no threshold: 1.0 means every anomaly
# scores above every normal point; a random score gets the share of anomalies (0.007).
AUCPR = get_component("metric.auc-pr")
raw_scores = IsolationForestDetector(window=1, random_state=0).fit(series).anomaly_score(series)
print(f"raw values:       AUC-PR {AUCPR()(labels, raw_scores):.3f}")

# %%
# Give the forest local context
# -----------------------------
# Subtract the median of the previous 25 points. The rolling window looks only
# backwards, so the transformation could run online without seeing the future.
level = series.rolling(25, min_periods=1).median()
residual = series - level
point_forest = IsolationForestDetector(window=1, random_state=0)
residual_scores = point_forest.fit(residual).anomaly_score(residual)
print(f"minus local level: AUC-PR {AUCPR()(labels, residual_scores):.3f}")

# %%
# Compare with a trivial baseline
# -------------------------------
# A robust z-score (distance to the rolling median in units of the rolling median
# absolute deviation) is the simplest detector with local context. Any detector must
# be compared with it on the same series.
baseline = get_component("anomaly.robust-zscore")(window=25)
baseline_scores = baseline.fit(series).anomaly_score(series)
print(f"robust z-score:    AUC-PR {AUCPR()(labels, baseline_scores):.3f}")

# %%
# From scores to labels
# ---------------------
# A threshold turns scores into labels. The k-sigma threshold flags scores more than
# ``k`` standard deviations above their mean; it is fitted on the scores alone, without
# the labels. Range-based precision and recall then count how many labelled anomalies
# are found and how many flagged ranges are false.
threshold = get_component("threshold.k-sigma")(k=5.0).fit(residual_scores)
predicted = threshold.predict(residual_scores)
precision = get_component("metric.range-precision")()(labels, predicted)
recall = get_component("metric.range-recall")()(labels, predicted)
print(
    f"flagged {int(predicted.sum())} points: range precision {precision:.2f}, recall {recall:.2f}"
)

# %%
# Look at the scores
# ------------------
fig, axes = plt.subplots(3, 1, figsize=(9, 6), sharex=True, layout="constrained")
axes[0].plot(series.to_numpy(), linewidth=0.8)
axes[0].plot(
    np.flatnonzero(labels),
    series.to_numpy()[labels > 0],
    "o",
    color="tab:red",
    label="labelled anomaly",
)
axes[0].legend(loc="upper left")
axes[0].set_title("Yahoo S5 excerpt")
axes[1].plot(raw_scores, linewidth=0.8, color="tab:orange")
axes[1].set_title("isolation forest on raw values")
axes[2].plot(residual_scores, linewidth=0.8, color="tab:green")
axes[2].axhline(threshold.threshold_, color="black", linestyle="--", linewidth=0.8)
axes[2].set_title("isolation forest on the series minus its local level (k-sigma threshold)")
axes[2].set_xlabel("time point")
plt.show()

# %%
# Conclusion
# ----------
# The isolation forest knows nothing about time: it ranks values (``window=1``), or
# windows of values (``window > 1``; by default a window of the dominant period). Give
# it the context it needs (here, the distance to the local level, computed from the
# past only), evaluate its scores with a threshold-free measure, and always compare it
# with a trivial detector such as the robust z-score.
