"""Thresholds: from anomaly scores to 0/1 labels and anomalous ranges."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_binary_labels, check_positive_int, check_scores
from catalog.base import BaseThreshold

__all__ = ["KSigmaThreshold", "QuantileThreshold", "TopKThreshold", "anomalous_ranges"]


def anomalous_ranges(labels: Any) -> list[tuple[int, int]]:
    """The runs of consecutive 1s in 0/1 labels, as ``(start, end)`` with ``end`` inclusive.

    Parameters
    ----------
    labels : array-like of 0/1
        One label per point.

    Returns
    -------
    list of tuple of int
        Start and end position of each anomalous range, in order.

    Examples
    --------
    >>> from catalog.atoms.anomaly.thresholds import anomalous_ranges
    >>> anomalous_ranges([0, 1, 1, 0, 0, 1])
    [(1, 2), (5, 5)]
    """
    values = check_binary_labels(labels, name="labels")
    edges = np.diff(np.concatenate(([0], values, [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True)]


class _Threshold(BaseThreshold):
    """Labels points whose score exceeds ``threshold_`` (learned in ``fit``)."""

    def fit(self, scores: Any, y: Any = None) -> _Threshold:
        self._check_params()
        self.threshold_ = float(self._threshold(check_scores(scores)))
        return self

    def predict(self, scores: Any) -> np.ndarray:
        check_is_fitted(self)
        return (check_scores(scores) > self.threshold_).astype(int)

    def ranges(self, scores: Any) -> list[tuple[int, int]]:
        """Anomalous ranges ``(start, end)`` (end inclusive) of ``predict(scores)``."""
        return anomalous_ranges(self.predict(scores))

    def _check_params(self) -> None:
        pass

    def _threshold(self, scores: np.ndarray) -> float:
        raise NotImplementedError


@component(
    id="threshold.quantile",
    name="Quantile threshold",
    level="atom",
    kind="postprocessor",
    tasks=["anomaly-detection"],
    summary="Flags scores above a quantile of the training scores, e.g. the top 1 percent.",
    tags=["thresholding", "fast", "interpretable"],
    capabilities=["univariate"],
    search_space={"q": {"type": "float", "low": 0.9, "high": 0.9999}},
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class QuantileThreshold(_Threshold):
    """Label as anomalous every score above the ``q`` quantile of the training scores.

    ``fit`` computes the threshold with :func:`numpy.quantile` on the scores it is
    given (usually the detector's scores on training data); ``predict`` labels 1 every
    score strictly above it. Use it when the expected share of anomalies is known.

    Parameters
    ----------
    q : float, default=0.99
        Quantile of the training scores used as threshold, in ``(0, 1)``.

    Returns
    -------
    QuantileThreshold
        ``fit`` returns the fitted threshold; ``predict`` returns 0/1 labels and
        ``ranges`` the anomalous ranges ``(start, end)``, end inclusive.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.thresholds import QuantileThreshold
    >>> scores = np.array([0.1, 0.2, 0.1, 0.3, 5.0, 4.0, 0.2, 0.1, 0.2, 0.3])
    >>> threshold = QuantileThreshold(q=0.8).fit(scores)
    >>> threshold.predict(scores).tolist()
    [0, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    >>> threshold.ranges(scores)
    [(4, 5)]
    """

    def __init__(self, q: float = 0.99) -> None:
        self.q = q

    def _check_params(self) -> None:
        if not isinstance(self.q, int | float) or not 0 < self.q < 1:
            raise ValueError(f"q must be a float in (0, 1), found {self.q!r}")

    def _threshold(self, scores: np.ndarray) -> float:
        return float(np.quantile(scores, self.q))


@component(
    id="threshold.k-sigma",
    name="k-sigma threshold",
    level="atom",
    kind="postprocessor",
    tasks=["anomaly-detection"],
    summary="Flags scores more than k standard deviations above the mean training score.",
    tags=["thresholding", "statistical", "fast", "interpretable"],
    capabilities=["univariate"],
    search_space={"k": {"type": "float", "low": 1.0, "high": 10.0}},
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class KSigmaThreshold(_Threshold):
    """Label as anomalous every score above ``mean + k * std`` of the training scores.

    The classic three-sigma rule: with roughly Gaussian scores on normal data, ``k=3``
    flags about one point in a thousand. Heavy-tailed scores make it flag more;
    :class:`QuantileThreshold` fixes the share of flagged points instead.

    Parameters
    ----------
    k : float, default=3.0
        Number of standard deviations above the mean, > 0.

    Returns
    -------
    KSigmaThreshold
        ``fit`` returns the fitted threshold; ``predict`` returns 0/1 labels and
        ``ranges`` the anomalous ranges ``(start, end)``, end inclusive.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.thresholds import KSigmaThreshold
    >>> scores = np.r_[np.zeros(50), 10.0, np.zeros(49)]
    >>> KSigmaThreshold(k=3.0).fit(scores).ranges(scores)
    [(50, 50)]
    """

    def __init__(self, k: float = 3.0) -> None:
        self.k = k

    def _check_params(self) -> None:
        if not isinstance(self.k, int | float) or self.k <= 0:
            raise ValueError(f"k must be a positive number, found {self.k!r}")

    def _threshold(self, scores: np.ndarray) -> float:
        return float(scores.mean() + self.k * scores.std())


@component(
    id="threshold.top-k",
    name="Top-k threshold",
    level="atom",
    kind="postprocessor",
    tasks=["anomaly-detection"],
    summary="Flags the k highest scores of each scored series, whatever their value.",
    tags=["thresholding", "fast"],
    capabilities=["univariate"],
    search_space={"k": {"type": "int", "low": 1, "high": 1000, "log": True}},
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class TopKThreshold(_Threshold):
    """Label as anomalous the ``k`` highest scores of the series being labelled.

    Unlike the other thresholds it learns no value: ``predict`` ranks the scores it is
    given, so exactly ``k`` points are flagged (ties broken by position). It suits
    benchmarks where the number of anomalous points is known, such as the UCR anomaly
    archive with one anomaly per series; ``threshold_`` holds the k-th highest score
    seen by ``fit``, for information.

    Parameters
    ----------
    k : int, default=10
        Number of points to flag (all points if the series is shorter).

    Returns
    -------
    TopKThreshold
        ``fit`` returns the threshold; ``predict`` returns 0/1 labels and ``ranges``
        the anomalous ranges ``(start, end)``, end inclusive.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.thresholds import TopKThreshold
    >>> scores = np.array([0.1, 0.9, 0.8, 0.2, 0.7])
    >>> TopKThreshold(k=2).fit(scores).predict(scores).tolist()
    [0, 1, 1, 0, 0]
    """

    def __init__(self, k: int = 10) -> None:
        self.k = k

    def __sklearn_tags__(self) -> Tags:
        """Stateless: ``predict`` ranks the scores it is given; it needs no fit."""
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def _check_params(self) -> None:
        check_positive_int(self.k, "k")

    def _threshold(self, scores: np.ndarray) -> float:
        return float(np.sort(scores)[::-1][min(self.k, len(scores)) - 1])

    def predict(self, scores: Any) -> np.ndarray:
        self._check_params()  # stateless: predict may run without fit
        values = check_scores(scores)
        labels = np.zeros(len(values), dtype=int)
        labels[np.argsort(-values, kind="stable")[: self.k]] = 1
        return labels
