"""Anomaly detection on data nobody tuned to: SKAB (34 multivariate series) and the catalog's data.

SKAB, on its leaderboard's protocol: per series, fit on the first 400 rows (normal) and
label the rest; F1, false-alarm rate (FAR) and missed-alarm rate (MAR) over all test rows
of the 34 series pooled. Rows: ``anomaly.pipeline`` with its defaults (and with the
0.2.0 point-wise window), then every multivariate detector of the catalog with its
defaults inside the same pipeline (scaler, score normalisation, cross-fitted calibration
and threshold of the defaults), then ``anomaly.pca-spc`` at its own statistical control
limits and with the leaderboard's two T-squared rules (reproduced), and flagging every
row, beside the published leaderboard figures (``../shared/BENCHMARKS.md``). Every row
also gives the share of rows it flags on normal data: SKAB's anomaly-free recording and
Daphnet. The catalog's labelled univariate datasets:
VUS-PR, range-F1 at the pipeline's own threshold and the share of points flagged, fitted on
the dataset's training split when it has one (UCR 135) and on its first quarter
otherwise (the anomaly project's temporal split); Daphnet (multivariate, no anomaly): the
false-alarm rate. Then fit times, and the first call of the numba-compiled matrix profile
in a fresh process.

Run: ``python bench/gen_anomaly.py`` (``--quick``: 6 SKAB series, 3 detectors).
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from catalog import all_components
from catalog.atoms.anomaly.metrics import VolumeUnderPRSurface
from catalog.atoms.anomaly.pca_control_chart import PCAControlChartDetector
from catalog.atoms.anomaly.range_metrics import RangeF1
from catalog.organisms.anomaly_pipeline import AnomalyPipeline

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SKAB = DATA / "skab"
TRAIN_ROWS = 400
# Published SKAB outlier detection, F1 / FAR / MAR (waico/SKAB leaderboard README;
# shared/BENCHMARKS.md gives the F1).
PUBLISHED = {
    "Conv-AE": (0.78, 0.1355, 0.2802),
    "MSET": (0.78, 0.3973, 0.1413),
    "T-squared+Q (PCA)": (0.76, 0.2662, 0.2492),
    "T-squared": (0.66, 0.1921, 0.4260),
    "Isolation forest": (0.29, 0.0256, 0.8289),
}
QUICK_DETECTORS = ("anomaly.mahalanobis", "anomaly.isolation-forest", "anomaly.robust-zscore")


def skab_series(quick: bool) -> list[tuple[str, pd.DataFrame, np.ndarray]]:
    """The 34 labelled SKAB series (not the anomaly-free recording): name, channels, labels."""
    if not SKAB.is_dir():
        raise SystemExit(f"SKAB is missing: expected it at {SKAB} (see shared/data/README.md).")
    files = sorted(p for p in SKAB.glob("*/*.csv") if p.parent.name != "anomaly-free")
    if quick:
        files = files[::6]
    series = []
    for path in files:
        table = pd.read_csv(path, sep=";", index_col="datetime", parse_dates=True)
        labels = table.pop("anomaly").to_numpy(dtype=int)
        table = table.drop(columns=["changepoint"])
        series.append((f"{path.parent.name}/{path.stem}", table, labels))
    return series


def binary_scores(truth: np.ndarray, flags: np.ndarray) -> tuple[float, float, float]:
    """F1, false-alarm rate and missed-alarm rate of pooled 0/1 labels."""
    tp = int(((flags == 1) & (truth == 1)).sum())
    fp = int(((flags == 1) & (truth == 0)).sum())
    fn = int(((flags == 0) & (truth == 1)).sum())
    tn = int(((flags == 0) & (truth == 0)).sum())
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, fp / max(fp + tn, 1), fn / max(fn + tp, 1)


class _BeyondLimit:
    """Flags points whose control-chart score is above ``factor`` times its limit."""

    def __init__(self, chart: PCAControlChartDetector, factor: float = 1.0) -> None:
        self.chart, self.factor = chart, factor

    def fit(self, y: pd.DataFrame) -> _BeyondLimit:
        self.chart.fit(y)
        return self

    def predict(self, y: pd.DataFrame) -> np.ndarray:
        return (self.chart.anomaly_score(y) > self.factor).astype(int)


class _FlagEverything:
    """The trivial labeller: every row is an anomaly."""

    def fit(self, y: pd.DataFrame) -> _FlagEverything:
        return self

    def predict(self, y: pd.DataFrame) -> np.ndarray:
        return np.ones(len(y), dtype=int)


def skab_methods(quick: bool) -> list[tuple[str, object]]:
    """``anomaly.pipeline`` with defaults, each multivariate detector inside it, then the
    control charts at their statistical limits (ours, and the leaderboard's rules)."""
    methods: list[tuple[str, object]] = [
        ("anomaly.pipeline (defaults)", lambda: AnomalyPipeline()),
        ("anomaly.pipeline (window=1, the 0.2.0 default)", lambda: AnomalyPipeline(window=1)),
    ]
    for component_id, cls in all_components(
        task="anomaly-detection", kind="model", capability="multivariate"
    ):
        if quick and component_id not in QUICK_DETECTORS:
            continue
        kwargs = {"random_state": 0} if "random_state" in inspect.signature(cls).parameters else {}
        methods.append(
            (
                f"pipeline + {component_id}",
                lambda cls=cls, kw=kwargs: AnomalyPipeline(detector=cls(**kw)),
            )
        )
    methods += [
        (
            "anomaly.pca-spc at its control limits (85%, alpha .001)",
            lambda: _BeyondLimit(PCAControlChartDetector()),
        ),
        (
            "T-squared+Q, leaderboard settings (85%, alpha .001, median of 5)",
            lambda: _BeyondLimit(PCAControlChartDetector(smoothing=5)),
        ),
        (
            "T-squared, leaderboard rule (all channels, median of 5, 2 x limit)",
            lambda: _BeyondLimit(PCAControlChartDetector(n_components=None, smoothing=5), 2.0),
        ),
        ("flag every row", lambda: _FlagEverything()),
    ]
    return methods


def anomaly_free_recording() -> pd.DataFrame:
    """SKAB's normal-only recording (9,405 rows), channels only."""
    table = pd.read_csv(
        SKAB / "anomaly-free" / "anomaly-free.csv", sep=";", index_col="datetime", parse_dates=True
    )
    return table.drop(columns=["anomaly", "changepoint"], errors="ignore")


def daphnet() -> pd.DataFrame:
    """The catalog's multivariate recording with no labelled anomaly."""
    from catalog import get_component

    series, _ = get_component("dataset.daphnet-s06r02e0")().load()
    return series


def run_skab(quick: bool) -> None:
    series = skab_series(quick)
    normal = anomaly_free_recording()
    walking = daphnet()
    print(f"## SKAB: {len(series)} series, fit on the first {TRAIN_ROWS} rows, label the rest\n")
    print(
        "Normal data, share of rows flagged: SKAB's anomaly-free recording fitted on its "
        f"first {TRAIN_ROWS} rows (the protocol) and on its first quarter; Daphnet fitted "
        "on its first quarter.\n"
    )
    print(
        "| method | F1 | FAR | MAR | share flagged | anomaly-free (400 / quarter) "
        "| Daphnet | fit s/series (mean) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, make in skab_methods(quick):
        truths, flags, fit_seconds = [], [], []
        for _, table, labels in series:
            start = time.perf_counter()
            model = make().fit(table.iloc[:TRAIN_ROWS])
            fit_seconds.append(time.perf_counter() - start)
            flags.append(model.predict(table.iloc[TRAIN_ROWS:]))
            truths.append(labels[TRAIN_ROWS:])
        truth, flag = np.concatenate(truths), np.concatenate(flags)
        f1, far, mar = binary_scores(truth, flag)
        quarter, walk_quarter = len(normal) // 4, len(walking) // 4
        free_400 = make().fit(normal.iloc[:TRAIN_ROWS]).predict(normal.iloc[TRAIN_ROWS:]).mean()
        free_quarter = make().fit(normal.iloc[:quarter]).predict(normal.iloc[quarter:]).mean()
        walk = make().fit(walking.iloc[:walk_quarter]).predict(walking.iloc[walk_quarter:]).mean()
        print(
            f"| {name} | {f1:.3f} | {far:.3f} | {mar:.3f} | {flag.mean():.3f} "
            f"| {free_400:.3f} / {free_quarter:.3f} | {walk:.3f} | {np.mean(fit_seconds):.2f} |"
        )
    for name, (f1, far, mar) in PUBLISHED.items():
        print(f"| {name} (published) | {f1:.2f} | {far:.3f} | {mar:.3f} | | | | |")
    share = np.concatenate([labels[TRAIN_ROWS:] for _, _, labels in series]).mean()
    print(
        f"\nShare of anomalous test rows: {share:.3f} (flagging every row gives F1 "
        f"{2 * share / (1 + share):.3f}): read F1 with FAR and the normal-data columns.\n"
    )


def univariate_cases() -> list[tuple[str, object, object, np.ndarray]]:
    """(name, training series, scored series, labels) of each labelled catalog dataset."""
    cases = []
    for component_id, cls in all_components(task="anomaly-detection", kind="dataset"):
        if "split" in inspect.signature(cls).parameters:
            train, _ = cls(split="train").load()
            test, labels = cls().load()
        else:
            series, labels = cls().load()
            cut = len(series) // 4
            train, test, labels = series.iloc[:cut], series.iloc[cut:], labels[cut:]
        cases.append((component_id, train, test, np.asarray(labels)))
    return cases


def run_catalog_datasets() -> None:
    vus, range_f1 = VolumeUnderPRSurface(), RangeF1()
    print("## Catalog datasets, anomaly.pipeline with defaults\n")
    print(
        "| dataset | train / scored points | window_ | VUS-PR | range-F1 | share flagged | fit s |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, train, test, labels in univariate_cases():
        start = time.perf_counter()
        model = AnomalyPipeline().fit(train)
        seconds = time.perf_counter() - start
        scores = model.anomaly_score(test)
        flags = model.threshold_.predict(scores)
        if labels.any():
            quality = f"{vus(labels, scores):.3f} | {range_f1(labels, flags):.3f}"
        else:
            quality = "(no anomaly) | (no anomaly)"
        print(
            f"| {name} | {len(train)} / {len(test)} | {model.window_} | {quality} "
            f"| {flags.mean():.3f} | {seconds:.1f} |"
        )
    print()


NUMBA_PROBE = """
import time
import numpy as np
start = time.perf_counter()
from catalog.atoms.anomaly.matrix_profile import MatrixProfileDetector
y = np.sin(np.linspace(0, 60, 600))
MatrixProfileDetector(window=20).fit(y).anomaly_score(y)
print(f"{time.perf_counter() - start:.1f}")
"""


def run_numba_first_call() -> None:
    import stumpy

    cache = Path(stumpy.__file__).parent / "__pycache__"
    cached = any(cache.glob("*.nbi"))
    print("## First call of numba components in a fresh process\n")
    for attempt in (1, 2):
        done = subprocess.run(
            [sys.executable, "-c", NUMBA_PROBE], capture_output=True, text=True, check=True
        )
        state = "cache present" if cached or attempt == 2 else "no cache yet (compiles)"
        print(f"- anomaly.matrix-profile, process {attempt} ({state}): {done.stdout.strip()} s")
    print()


def run(quick: bool = False) -> None:
    """Print every table; ``quick`` runs 6 SKAB series and 3 detectors."""
    warnings.filterwarnings("ignore")
    run_skab(quick)
    run_catalog_datasets()
    run_numba_first_call()


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
