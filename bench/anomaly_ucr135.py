"""Anomaly detectors on UCR anomaly series 135 (InternalBleeding16), next to TSB-AD.

Every detector is fitted on the anomaly-free training part shipped with aeon (1,200
points) and scores the 7,501-point test part (one labelled anomaly, 4187-4198). For
each it prints VUS-PR (aeon, buffers up to 500 points and up to one period), AUC-PR,
range-F1 of the 12 highest scores (the number of labelled points; an oracle count, as
in UCR-style evaluations), whether the highest score falls within 100 points of the
anomaly (the UCR archive's own scoring), and the time to fit and score.

TSB-AD's VUS-PR for the same series comes from a 1,875-point training part, its own
window sizes and its own VUS implementation, so compare orders of magnitude, not
decimals. Run: ``python bench/anomaly_ucr135.py``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.signal import find_peaks
from statsmodels.tsa.stattools import acf

from catalog.atoms.anomaly.density import LocalOutlierFactorDetector
from catalog.atoms.anomaly.isolation_forest import IsolationForestDetector
from catalog.atoms.anomaly.kernel import OneClassSVMDetector
from catalog.atoms.anomaly.matrix_profile import MatrixProfileDetector
from catalog.atoms.anomaly.metrics import AveragePrecision, VolumeUnderPRSurface
from catalog.atoms.anomaly.range_metrics import RangeF1
from catalog.atoms.anomaly.thresholds import TopKThreshold
from catalog.atoms.anomaly.zscore import RobustZScoreDetector, RollingZScoreDetector
from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
from catalog.datasets.anomaly import UCRAnomaly135Dataset
from catalog.molecules.anomaly_forecast_residual import ForecastResidualDetector
from catalog.molecules.anomaly_scaled_isolation_forest import ScaledIsolationForestDetector
from catalog.organisms.anomaly_pipeline import AnomalyPipeline

# TSB-AD VUS-PR on this series (see shared/BENCHMARKS.md); keys are TSB-AD's names.
TSB_AD = {
    "KShapeAD": 0.884,
    "SAND": 0.791,
    "Sub-LOF": 0.647,
    "KMeansAD": 0.528,
    "MatrixProfile": 0.344,
    "IForest": 0.039,
    "LOF": 0.015,
}


def period(train: np.ndarray) -> int:
    """First autocorrelation peak of the training part: the window of every detector."""
    correlations = acf(train, nlags=min(500, len(train) // 2), fft=True)
    peaks, _ = find_peaks(correlations)
    return int(peaks[0]) if len(peaks) else 100


def detectors(p: int) -> list[tuple[str, str, object]]:
    """(name, TSB-AD counterpart or '', detector) for every detector compared."""
    return [
        ("isolation forest, window 1", "IForest", IsolationForestDetector(random_state=0)),
        (f"isolation forest, window {p}", "", IsolationForestDetector(window=p, random_state=0)),
        (
            f"scaled isolation forest, window {p}",
            "",
            ScaledIsolationForestDetector(window=p, random_state=0),
        ),
        ("LOF, window 1", "LOF", LocalOutlierFactorDetector(window=1)),
        (f"LOF, window {p}", "Sub-LOF", LocalOutlierFactorDetector(window=p)),
        (f"one-class SVM, window {p}", "", OneClassSVMDetector(window=p)),
        (f"matrix profile self-join, window {p}", "MatrixProfile", MatrixProfileDetector(p)),
        (
            f"matrix profile join with train, window {p}",
            "",
            MatrixProfileDetector(p, join="train"),
        ),
        (f"rolling z-score, window {p}", "", RollingZScoreDetector(window=p)),
        (f"robust z-score, window {p}", "", RobustZScoreDetector(window=p)),
        (
            f"forecast residual, seasonal naive sp={p}",
            "",
            ForecastResidualDetector(
                forecaster=SeasonalNaiveForecaster(sp=p), window=p, min_history=p
            ),
        ),
        ("anomaly.pipeline (defaults)", "", AnomalyPipeline()),
        (
            f"anomaly.pipeline + LOF window {p}",
            "",
            AnomalyPipeline(detector=LocalOutlierFactorDetector(window=p)),
        ),
    ]


def main() -> None:
    train, _ = UCRAnomaly135Dataset(split="train").load()
    test, labels = UCRAnomaly135Dataset().load()
    p = period(train.to_numpy())
    anomaly = np.flatnonzero(labels)
    n_anomalous = len(anomaly)
    vus_500 = VolumeUnderPRSurface(max_buffer_size=500)
    vus_period = VolumeUnderPRSurface(max_buffer_size=p)
    auc_pr, range_f1 = AveragePrecision(), RangeF1()
    print(
        f"UCR anomaly 135: train {len(train)} points, test {len(test)} points, anomaly "
        f"{anomaly[0]}-{anomaly[-1]}; period (window) {p}"
    )
    start = time.perf_counter()
    MatrixProfileDetector(window=8).fit(train.iloc[:64]).anomaly_score(train.iloc[:64])
    print(
        f"stumpy JIT compilation (once per process, not in the table): "
        f"{time.perf_counter() - start:.1f} s\n"
    )
    header = (
        "| detector | VUS-PR (buf<=500) | VUS-PR (buf<=period) | AUC-PR | range-F1 (top-12) "
        "| top-1 hit | seconds | TSB-AD VUS-PR |"
    )
    print(header)
    print("|---|---|---|---|---|---|---|---|")
    for name, counterpart, detector in detectors(p):
        start = time.perf_counter()
        scores = detector.fit(train).anomaly_score(test)
        seconds = time.perf_counter() - start
        flagged = TopKThreshold(k=n_anomalous).fit(scores).predict(scores)
        peak = int(np.argmax(scores))
        hit = anomaly[0] - 100 <= peak <= anomaly[-1] + 100
        reference = f"{TSB_AD[counterpart]:.3f} ({counterpart})" if counterpart else ""
        print(
            f"| {name} | {vus_500(labels, scores):.3f} | {vus_period(labels, scores):.3f} "
            f"| {auc_pr(labels, scores):.3f} | {range_f1(labels, flagged):.3f} "
            f"| {'yes' if hit else f'no ({peak})'} | {seconds:.1f} | {reference} |"
        )
    for counterpart in ("KShapeAD", "SAND", "KMeansAD"):
        print(f"| (TSB-AD only) | | | | | | | {TSB_AD[counterpart]:.3f} ({counterpart}) |")


if __name__ == "__main__":
    main()
