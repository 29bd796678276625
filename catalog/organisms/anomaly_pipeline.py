"""End-to-end anomaly detection: impute, scale, score, threshold, report events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly.thresholds import anomalous_ranges
from catalog.atoms.anomaly.windows import resolve_window
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
        "anomaly.mahalanobis",
        "threshold.pot",
    ],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class AnomalyPipeline(BaseDetector):
    """From a raw series with gaps to a table of anomalous events, with data-driven defaults.

    ``fit`` fills missing values with the imputer, fits the scaler on the filled
    training series, fits the detector on the scaled series, normalises the detector's
    training scores and fits the threshold on them. ``anomaly_score`` applies the fitted
    steps to a new series; ``predict`` thresholds the scores into 0/1 labels;
    ``events`` groups the flagged points into ranges and reports, for each, its first
    and last time stamp and its highest score. Every step is a catalog component and
    can be swapped. Fit on a stretch of mostly normal behaviour.

    The defaults are decided from the training series at fit time and recorded on the
    fitted pipeline:

    - **detector** (``detector_``): Hotelling's T-squared
      (:class:`~catalog.atoms.anomaly.covariance.MahalanobisDetector`) of sliding
      windows whose length ``window_`` is the series' dominant period (``window``; 1,
      single time points, when it has none). On one channel it catches anomalous shapes
      (TSB-AD's Sub-PCA/Sub-MCD family); on several channels it is the multivariate
      control chart, which weighs channels by how they move together, and with a window
      the dynamic one (Ku, Storer & Georgakis, 1995: lagged values for autocorrelated
      processes; the period is that of the standardised channels' mean).
    - **scores** (``normalize=True``): ``(score - score_center_) / score_scale_``, the
      median and the normal-consistent MAD of the training scores (their standard
      deviation if the MAD is 0, and 1 if both are), so a score is "robust deviations
      above typical" on every series and thresholds carry across series.
    - **calibration** (``calibration_``): the scores above are learned from training
      scores the detector did not fit (two-fold cross-fitting over the halves of the
      training series), as a detector scores its own training windows too low.
    - **threshold** (``threshold_``, fitted on ``calibration_scores_``): peaks over
      threshold
      (:class:`~catalog.atoms.anomaly.pot.PeaksOverThreshold`), the score that normal
      training scores exceed with probability 1e-3 by an extreme-value fit of their
      tail; no share of anomalies is assumed.

    The defaults before 0.2 are ``AnomalyPipeline(detector=RobustZScoreDetector(),
    threshold=QuantileThreshold(q=0.99), normalize=False, calibration="in-sample")``.

    Parameters
    ----------
    imputer : BaseSeriesTransformer or None, default=None
        Fills NaN; ``None`` means ``preprocessing.interpolate`` (linear, ends filled).
    scaler : BaseSeriesTransformer or None, default=None
        Rescales the filled series; ``None`` means a standard scaler.
    detector : BaseDetector or None, default=None
        Scores the scaled series; ``None`` means ``anomaly.mahalanobis`` with the window
        chosen from the data (see above).
    threshold : BaseThreshold or None, default=None
        Turns (normalised) scores into labels; ``None`` means ``threshold.pot`` with its
        defaults (risk 1e-3).
    window : int or "auto", default="auto"
        Window of the default detector: ``"auto"`` for the dominant period of the
        training series (1, single points, when it has none), or a length (``window=1``
        on several channels gives the behaviour of 0.2.0). Ignored when ``detector`` is
        given.
    normalize : bool, default=True
        Whether ``anomaly_score`` returns robust z-scores of the detector's scores
        against its training scores (``False``: the detector's raw scores).
    calibration : str, default="cross-fit"
        Which training scores the normalisation and the threshold learn from:
        ``"cross-fit"`` fits the detector on each half of the training series and
        scores the other half (scores of normal points the model did not see; falls
        back to in-sample when a half is too short for the detector, see
        ``calibration_``), ``"in-sample"`` scores the training series with the detector
        fitted on it (the behaviour before 0.2; a detector's own training windows score
        low, so the threshold flags more).

    Returns
    -------
    AnomalyPipeline
        ``fit`` returns the fitted pipeline; ``anomaly_score`` one float per point,
        ``predict`` 0/1 labels and ``events`` a ``DataFrame`` with the columns
        ``start``, ``end`` (index labels, end inclusive), ``n_points`` and
        ``peak_score``.

    See Also
    --------
    catalog.atoms.anomaly.windows.resolve_window : how ``"auto"`` picks the window.

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
    >>> pipeline.window_  # no cycle in this noise: single points are scored
    1
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
        window: int | str = "auto",
        normalize: bool = True,
        calibration: str = "cross-fit",
    ) -> None:
        self.imputer = imputer
        self.scaler = scaler
        self.detector = detector
        self.threshold = threshold
        self.window = window
        self.normalize = normalize
        self.calibration = calibration

    def fit(self, y: Any, X: Any = None) -> AnomalyPipeline:
        from catalog import get_component
        from catalog.atoms.anomaly.pot import PeaksOverThreshold
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
        if not isinstance(self.normalize, bool | np.bool_):
            raise ValueError(f"normalize must be True or False, found {self.normalize!r}")
        if self.calibration not in ("cross-fit", "in-sample"):
            raise ValueError(
                f"calibration must be 'cross-fit' or 'in-sample', found {self.calibration!r}"
            )
        data = check_series(y, allow_nan=True)
        self.imputer_ = (
            clone(self.imputer)
            if self.imputer is not None
            else get_component("preprocessing.interpolate")()
        )
        self.scaler_ = clone(self.scaler) if self.scaler is not None else StandardScaler()
        scaled = self.scaler_.fit_transform(self.imputer_.fit_transform(data))
        self.detector_ = (
            clone(self.detector) if self.detector is not None else self._default_detector(scaled)
        )
        self.threshold_ = (
            clone(self.threshold) if self.threshold is not None else PeaksOverThreshold()
        )
        self.detector_.fit(scaled)
        raw, self.calibration_ = self._calibration_scores(scaled)
        self.score_center_, self.score_scale_ = _robust_location_scale(raw)
        if not self.normalize:
            self.score_center_, self.score_scale_ = 0.0, 1.0
        self.window_ = getattr(self.detector_, "window_", getattr(self.detector_, "window", None))
        self.calibration_scores_ = self._normalized(raw)
        self.threshold_.fit(self.calibration_scores_)
        return self

    def _calibration_scores(self, scaled: Any) -> tuple[np.ndarray, str]:
        """Training scores of points the scoring model did not learn, and how they were got.

        A detector scores the windows it was fitted on lower than new normal ones (a
        covariance or a forest fitted to them), so thresholds learned from its in-sample
        scores flag too much. Cross-fitting on the two halves of the training series
        (fit on one, score the other) gives out-of-sample scores of normal data; a
        series too short for that falls back to the in-sample scores.
        """
        if self.calibration == "in-sample":
            return np.asarray(self.detector_.anomaly_score(scaled), dtype=float), "in-sample"
        half = len(scaled) // 2
        halves = (scaled.iloc[:half], scaled.iloc[half:])
        try:
            scores = [
                np.asarray(clone(self.detector_).fit(fit_on).anomaly_score(score_on), float)
                for fit_on, score_on in (halves, halves[::-1])
            ]
        except ValueError:  # a half is shorter than the detector needs
            return np.asarray(self.detector_.anomaly_score(scaled), dtype=float), "in-sample"
        return np.concatenate(scores[::-1]), "cross-fit"

    def _default_detector(self, scaled: Any) -> BaseDetector:
        from catalog.atoms.anomaly.covariance import MahalanobisDetector

        values = np.asarray(scaled, dtype=float)
        return MahalanobisDetector(window=resolve_window(self.window, values, fallback=1))

    def _normalized(self, raw: np.ndarray) -> np.ndarray:
        return (raw - self.score_center_) / self.score_scale_

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        data = check_series(y, allow_nan=True, min_length=1)
        raw = self.detector_.anomaly_score(self.scaler_.transform(self.imputer_.transform(data)))
        return self._normalized(np.asarray(raw, dtype=float))

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


def _robust_location_scale(scores: np.ndarray) -> tuple[float, float]:
    """Median and normal-consistent MAD of scores; the deviation, then 1, if the MAD is 0."""
    from scipy.stats import median_abs_deviation

    center = float(np.median(scores))
    for scale in (median_abs_deviation(scores, scale="normal"), np.std(scores)):
        # a spread below float noise around the centre is no spread
        if np.isfinite(scale) and scale > 1e-9 * max(1.0, abs(center)):
            return center, float(scale)
    return center, 1.0
