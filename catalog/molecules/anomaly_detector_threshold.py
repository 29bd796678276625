"""Any detector plus a threshold: scores, 0/1 labels and anomalous ranges in one object."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly.thresholds import anomalous_ranges
from catalog.base import BaseDetector, BaseThreshold

__all__ = ["ThresholdedDetector"]


@component(
    id="anomaly.detector-threshold",
    name="Thresholded detector",
    level="molecule",
    kind="pipeline",
    tasks=["anomaly-detection"],
    summary="Any detector followed by a threshold: labels and anomalous ranges from scores.",
    tags=["thresholding", "point-anomaly", "subsequence-anomaly"],
    capabilities=["univariate", "multivariate"],
    composes=["anomaly.robust-zscore", "threshold.quantile"],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class ThresholdedDetector(BaseDetector):
    """Chain an anomaly detector and a threshold fitted on its training scores.

    ``fit`` fits the detector on the training series and the threshold on the
    detector's scores of that series. ``anomaly_score`` gives the detector's scores,
    ``predict`` the 0/1 labels of the threshold and ``events`` the anomalous ranges.

    Parameters
    ----------
    detector : BaseDetector or None, default=None
        Any catalog detector; ``None`` means ``anomaly.robust-zscore`` with its defaults.
    threshold : BaseThreshold or None, default=None
        Any catalog threshold; ``None`` means ``threshold.quantile`` with ``q=0.99``.

    Returns
    -------
    ThresholdedDetector
        ``fit`` returns the fitted pipeline; ``anomaly_score`` one float per point,
        ``predict`` 0/1 labels and ``events`` a list of ``(start, end)`` positions,
        end inclusive.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.thresholds import KSigmaThreshold
    >>> from catalog.molecules.anomaly_detector_threshold import ThresholdedDetector
    >>> rng = np.random.default_rng(0)
    >>> train = 10 + rng.normal(0, 1, 500)
    >>> test = 10 + rng.normal(0, 1, 200)
    >>> test[120:123] += 8.0
    >>> model = ThresholdedDetector(threshold=KSigmaThreshold(k=5.0)).fit(train)
    >>> model.events(test)
    [(120, 122)]
    """

    def __init__(
        self, detector: BaseDetector | None = None, threshold: BaseThreshold | None = None
    ) -> None:
        self.detector = detector
        self.threshold = threshold

    def fit(self, y: Any, X: Any = None) -> ThresholdedDetector:
        from catalog.atoms.anomaly.thresholds import QuantileThreshold
        from catalog.atoms.anomaly.zscore import RobustZScoreDetector

        for name, value, base in (
            ("detector", self.detector, BaseDetector),
            ("threshold", self.threshold, BaseThreshold),
        ):
            if value is not None and not isinstance(value, base):
                raise ValueError(
                    f"{name} must be a catalog {base.__name__}, found {type(value).__name__}; "
                    "pick one with `kb catalog list`"
                )
        self.detector_ = (
            clone(self.detector) if self.detector is not None else RobustZScoreDetector()
        )
        self.threshold_ = (
            clone(self.threshold) if self.threshold is not None else QuantileThreshold(q=0.99)
        )
        self.threshold_.fit(self.detector_.fit(y).anomaly_score(y))
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        return self.detector_.anomaly_score(y)

    def predict(self, y: Any) -> np.ndarray:
        """0/1 label per point: 1 where the score passes the threshold."""
        check_is_fitted(self)
        return self.threshold_.predict(self.anomaly_score(y))

    def events(self, y: Any) -> list[tuple[int, int]]:
        """Anomalous ranges ``(start, end)`` as positions, end inclusive."""
        return anomalous_ranges(self.predict(y))
