"""Anomaly-detection metrics on points and on scores: precision, recall, F1, AUC-PR, VUS-PR.

Point-adjusted F1 is deliberately absent: it counts a whole anomalous range as found
when a single point of it is flagged, and Kim et al. (AAAI 2022) show that a random
score then matches the state of the art. Use the range-based metrics of
:mod:`catalog.atoms.anomaly.range_metrics` or VUS-PR instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.atoms.anomaly._common import check_binary_labels, check_positive_int, check_scores
from catalog.base import BaseMetric

__all__ = [
    "AveragePrecision",
    "PointF1",
    "PointPrecision",
    "PointRecall",
    "VolumeUnderPRSurface",
    "aligned_labels",
]


def aligned_labels(y_true: Any, y_pred: Any, prediction: str) -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(labels, predictions)`` of equal length.

    ``prediction="labels"`` requires 0/1 predictions, ``"scores"`` any finite scores;
    score-based metrics also require at least one anomaly in ``y_true``.
    """
    truth = check_binary_labels(y_true, name="y_true")
    if prediction == "labels":
        pred: np.ndarray = check_binary_labels(y_pred, name="y_pred")
    else:
        pred = check_scores(y_pred, name="y_pred")
    if len(truth) != len(pred):
        raise ValueError(
            f"y_true and y_pred must have one value per point of the same series, found "
            f"lengths {len(truth)} and {len(pred)}"
        )
    if prediction == "scores" and not truth.any():
        raise ValueError(
            "y_true holds no anomaly, so a ranking of scores cannot be judged; evaluate on a "
            "series with at least one labelled anomaly"
        )
    return truth, pred


@component(
    id="metric.point-precision",
    name="Point-wise precision",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Share of the points flagged as anomalous that are labelled anomalous.",
    tags=["evaluation", "point-anomaly", "interpretable"],
    capabilities=["univariate"],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class PointPrecision(BaseMetric):
    """Point-wise precision of 0/1 anomaly labels (higher is better).

    Wraps :func:`sklearn.metrics.precision_score`: every point counts on its own, so a
    long anomaly weighs more than a short one. 0 when nothing is flagged.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` in ``[0, 1]``.

    See Also
    --------
    catalog.atoms.anomaly.range_metrics.RangePrecision : precision over ranges.

    Examples
    --------
    >>> from catalog.atoms.anomaly.metrics import PointPrecision
    >>> PointPrecision()([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    """

    greater_is_better = True
    prediction = "labels"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import precision_score

        truth, pred = aligned_labels(y_true, y_pred, "labels")
        return float(precision_score(truth, pred, zero_division=0.0))


@component(
    id="metric.point-recall",
    name="Point-wise recall",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Share of the labelled anomalous points that are flagged.",
    tags=["evaluation", "point-anomaly", "interpretable"],
    capabilities=["univariate"],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class PointRecall(BaseMetric):
    """Point-wise recall of 0/1 anomaly labels (higher is better).

    Wraps :func:`sklearn.metrics.recall_score`; 0 when the series has no anomaly.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` in ``[0, 1]``.

    Examples
    --------
    >>> from catalog.atoms.anomaly.metrics import PointRecall
    >>> PointRecall()([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    """

    greater_is_better = True
    prediction = "labels"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import recall_score

        truth, pred = aligned_labels(y_true, y_pred, "labels")
        return float(recall_score(truth, pred, zero_division=0.0))


@component(
    id="metric.point-f1",
    name="Point-wise F1",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Harmonic mean of point-wise precision and recall of anomaly labels.",
    tags=["evaluation", "point-anomaly", "interpretable"],
    capabilities=["univariate"],
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1609/aaai.v36i7.20680"],
    since="0.1.0",
)
class PointF1(BaseMetric):
    """Point-wise F1 score of 0/1 anomaly labels (higher is better).

    Wraps :func:`sklearn.metrics.f1_score`, every point counted on its own. There is
    deliberately no *point-adjusted* F1 in the catalog: point adjustment marks a whole
    labelled range as detected when any one of its points is flagged, and Kim et al.
    [1]_ show that a random anomaly score then reaches the state of the art on the
    usual benchmarks. Report range-based F1 (``metric.range-f1``) or VUS-PR
    (``metric.vus-pr``) next to this one.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` in ``[0, 1]``.

    References
    ----------
    .. [1] Kim, S., Choi, K., Choi, H.-S., Lee, B. and Yoon, S. (2022). Towards a
       rigorous evaluation of time-series anomaly detection. AAAI.
       https://doi.org/10.1609/aaai.v36i7.20680

    Examples
    --------
    >>> from catalog.atoms.anomaly.metrics import PointF1
    >>> PointF1()([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    """

    greater_is_better = True
    prediction = "labels"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import f1_score

        truth, pred = aligned_labels(y_true, y_pred, "labels")
        return float(f1_score(truth, pred, zero_division=0.0))


@component(
    id="metric.auc-pr",
    name="Area under the precision-recall curve",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Average precision of anomaly scores over all thresholds, point-wise.",
    tags=["evaluation", "point-anomaly"],
    capabilities=["univariate"],
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1145/1143844.1143874"],
    since="0.1.0",
)
class AveragePrecision(BaseMetric):
    """Area under the point-wise precision-recall curve of anomaly scores.

    Wraps :func:`sklearn.metrics.average_precision_score`, which needs no threshold.
    A random score gets about the share of anomalous points, which is small on most
    series, so unlike ROC AUC it is not flattered by the many normal points [1]_.

    Returns
    -------
    float
        ``metric(y_true, scores)`` in ``[0, 1]``, higher is better.

    References
    ----------
    .. [1] Davis, J. and Goadrich, M. (2006). The relationship between precision-recall
       and ROC curves. ICML. https://doi.org/10.1145/1143844.1143874

    Examples
    --------
    >>> from catalog.atoms.anomaly.metrics import AveragePrecision
    >>> AveragePrecision()([0, 0, 1, 0], [0.1, 0.2, 0.9, 0.3])
    1.0
    """

    greater_is_better = True
    prediction = "scores"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import average_precision_score

        truth, scores = aligned_labels(y_true, y_pred, "scores")
        return float(average_precision_score(truth, scores))


@component(
    id="metric.vus-pr",
    name="Volume under the PR surface (VUS-PR)",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Range-aware area under precision-recall curves, averaged over label buffers.",
    tags=["evaluation", "range-based", "subsequence-anomaly"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.14778/3551793.3551830"],
    since="0.1.0",
)
class VolumeUnderPRSurface(BaseMetric):
    """VUS-PR: the range-based PR AUC averaged over buffer sizes around the labels.

    Wraps aeon's ``range_pr_vus_score`` (Paparrizos et al., VLDB 2022 [1]_): each
    labelled range is widened by soft slopes of ``0 .. max_buffer_size`` points, so a
    detection just before or after the label earns partial credit, and the
    precision-recall area is averaged over those widths. It needs no threshold and is
    the headline metric of the TSB-AD benchmark. Buffers longer than the series
    inflate the score: keep ``max_buffer_size`` well below the series length.

    Parameters
    ----------
    max_buffer_size : int, default=500
        Largest buffer (in points) added around each labelled range.

    Returns
    -------
    float
        ``metric(y_true, scores)`` in ``[0, 1]``, higher is better.

    References
    ----------
    .. [1] Paparrizos, J., Boniol, P., Palpanas, T., Tsay, R.S., Elmore, A. and
       Franklin, M.J. (2022). Volume under the surface: a new accuracy evaluation
       measure for time-series anomaly detection. PVLDB 15(11), 2774-2787.
       https://doi.org/10.14778/3551793.3551830

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.metrics import VolumeUnderPRSurface
    >>> y_true = np.zeros(200, dtype=int)
    >>> y_true[100:110] = 1
    >>> perfect = y_true.astype(float)
    >>> round(VolumeUnderPRSurface(max_buffer_size=20)(y_true, perfect), 3)
    0.891
    """

    greater_is_better = True
    prediction = "scores"

    def __init__(self, max_buffer_size: int = 500) -> None:
        self.max_buffer_size = max_buffer_size

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from aeon.benchmarking.metrics.anomaly_detection import range_pr_vus_score

        check_positive_int(self.max_buffer_size, "max_buffer_size", minimum=0)
        truth, scores = aligned_labels(y_true, y_pred, "scores")
        return float(range_pr_vus_score(truth, scores, max_buffer_size=self.max_buffer_size))
