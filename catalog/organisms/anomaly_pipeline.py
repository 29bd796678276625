"""End-to-end anomaly detection: impute, scale, score, threshold, report events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly.thresholds import anomalous_ranges
from catalog.base import BaseDetector, BaseSeriesTransformer, BaseThreshold
from catalog.validation import check_series

__all__ = ["AnomalyPipeline"]


@component(
    id="anomaly.pipeline",
    name="Anomaly detection pipeline",
    level="organism",
    kind="pipeline",
    tasks=["anomaly-detection"],
    summary="Imputes and scales a series, scores it, thresholds the scores and lists the events.",
    tags=["imputation", "scaling", "thresholding", "point-anomaly", "subsequence-anomaly"],
    capabilities=["univariate", "multivariate", "missing-values"],
    composes=[
        "preprocessing.interpolate",
        "preprocessing.standard-scaler",
        "anomaly.robust-zscore",
        "threshold.quantile",
    ],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class AnomalyPipeline(BaseDetector):
    """From a raw series with gaps to a table of anomalous events.

    ``fit`` fills missing values with the imputer, fits the scaler on the filled
    training series, fits the detector on the scaled series and the threshold on the
    detector's training scores. ``anomaly_score`` applies the fitted steps to a new
    series; ``predict`` thresholds the scores into 0/1 labels; ``events`` groups the
    flagged points into ranges and reports, for each, its first and last time stamp
    and its highest score. Every step is a catalog component and can be swapped.

    Parameters
    ----------
    imputer : BaseSeriesTransformer or None, default=None
        Fills NaN; ``None`` means ``preprocessing.interpolate`` (linear, ends filled).
    scaler : BaseSeriesTransformer or None, default=None
        Rescales the filled series; ``None`` means a standard scaler.
    detector : BaseDetector or None, default=None
        Scores the scaled series; ``None`` means ``anomaly.robust-zscore``.
    threshold : BaseThreshold or None, default=None
        Turns scores into labels; ``None`` means ``threshold.quantile`` with ``q=0.99``.

    Returns
    -------
    AnomalyPipeline
        ``fit`` returns the fitted pipeline; ``anomaly_score`` one float per point,
        ``predict`` 0/1 labels and ``events`` a ``DataFrame`` with the columns
        ``start``, ``end`` (index labels, end inclusive), ``n_points`` and
        ``peak_score``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from catalog.organisms.anomaly_pipeline import AnomalyPipeline
    >>> rng = np.random.default_rng(0)
    >>> index = pd.date_range("2024-01-01", periods=700, freq="h")
    >>> y = pd.Series(10 + rng.normal(0, 1, 700), index=index)
    >>> y.iloc[100] = np.nan
    >>> y.iloc[620:623] += 8.0
    >>> pipeline = AnomalyPipeline().fit(y.iloc[:500])
    >>> pipeline.events(y.iloc[500:])[["start", "end", "n_points"]]
                    start                 end  n_points
    0 2024-01-26 20:00:00 2024-01-26 22:00:00         3
    """

    def __init__(
        self,
        imputer: BaseSeriesTransformer | None = None,
        scaler: BaseSeriesTransformer | None = None,
        detector: BaseDetector | None = None,
        threshold: BaseThreshold | None = None,
    ) -> None:
        self.imputer = imputer
        self.scaler = scaler
        self.detector = detector
        self.threshold = threshold

    def fit(self, y: Any, X: Any = None) -> AnomalyPipeline:
        from catalog import get_component
        from catalog.atoms.anomaly.thresholds import QuantileThreshold
        from catalog.atoms.anomaly.zscore import RobustZScoreDetector
        from catalog.atoms.shared.scaling import StandardScaler

        for name, value, base in (
            ("imputer", self.imputer, BaseSeriesTransformer),
            ("scaler", self.scaler, BaseSeriesTransformer),
            ("detector", self.detector, BaseDetector),
            ("threshold", self.threshold, BaseThreshold),
        ):
            if value is not None and not isinstance(value, base):
                raise ValueError(
                    f"{name} must be a catalog {base.__name__}, found {type(value).__name__}; "
                    "pick one with `kb catalog list`"
                )
        data = check_series(y, allow_nan=True)
        self.imputer_ = (
            clone(self.imputer)
            if self.imputer is not None
            else get_component("preprocessing.interpolate")()
        )
        self.scaler_ = clone(self.scaler) if self.scaler is not None else StandardScaler()
        self.detector_ = (
            clone(self.detector) if self.detector is not None else RobustZScoreDetector()
        )
        self.threshold_ = (
            clone(self.threshold) if self.threshold is not None else QuantileThreshold(q=0.99)
        )
        scaled = self.scaler_.fit_transform(self.imputer_.fit_transform(data))
        self.threshold_.fit(self.detector_.fit(scaled).anomaly_score(scaled))
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        data = check_series(y, allow_nan=True, min_length=1)
        return self.detector_.anomaly_score(self.scaler_.transform(self.imputer_.transform(data)))

    def predict(self, y: Any) -> np.ndarray:
        """0/1 label per point: 1 where the score passes the threshold."""
        check_is_fitted(self)
        return self.threshold_.predict(self.anomaly_score(y))

    def events(self, y: Any) -> pd.DataFrame:
        """One row per anomalous range: ``start``, ``end``, ``n_points``, ``peak_score``."""
        check_is_fitted(self)
        data = check_series(y, allow_nan=True, min_length=1)
        scores = self.anomaly_score(data)
        ranges = anomalous_ranges(self.threshold_.predict(scores))
        return pd.DataFrame(
            {
                "start": [data.index[start] for start, _ in ranges],
                "end": [data.index[end] for _, end in ranges],
                "n_points": [end - start + 1 for start, end in ranges],
                "peak_score": [float(scores[start : end + 1].max()) for start, end in ranges],
            }
        )
