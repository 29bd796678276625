"""Range-based precision, recall and F1 for anomaly labels (Tatbul et al., NeurIPS 2018)."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.anomaly.metrics import aligned_labels
from catalog.base import BaseMetric

__all__ = ["RangeF1", "RangePrecision", "RangeRecall"]

_CARDINALITIES = ("reciprocal", "one")
_BIASES = ("flat", "front", "middle", "back")


def _check_options(metric: BaseMetric, alphas: dict[str, float], biases: dict[str, str]) -> None:
    for name, alpha in alphas.items():
        if not isinstance(alpha, int | float) or not 0 <= alpha <= 1:
            raise ValueError(f"{name} must be a number in [0, 1], found {alpha!r}")
    cardinality = metric.cardinality  # type: ignore[attr-defined]
    if cardinality not in _CARDINALITIES:
        raise ValueError(f"cardinality must be one of {_CARDINALITIES}, found {cardinality!r}")
    for name, bias in biases.items():
        if bias not in _BIASES:
            raise ValueError(f"{name} must be one of {_BIASES}, found {bias!r}")


@component(
    id="metric.range-precision",
    name="Range-based precision",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Precision of predicted anomalous ranges, weighing overlap, position and splitting.",
    tags=["evaluation", "range-based", "subsequence-anomaly"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    maturity="experimental",
    owner="atomkb",
    references=["https://papers.nips.cc/paper/7462-precision-and-recall-for-time-series"],
    since="0.1.0",
)
class RangePrecision(BaseMetric):
    """Range-based precision of 0/1 anomaly labels (Tatbul et al., NeurIPS 2018).

    Each predicted range earns the share of it that overlaps labelled ranges, weighted
    by position (``bias``) and divided by how many labelled ranges it is split across
    (``cardinality``); the metric is the mean over predicted ranges. Wraps aeon's
    ``range_precision``.

    Parameters
    ----------
    alpha : float, default=0.0
        Weight of the existence reward (credit for touching a range at all), in
        ``[0, 1]``; 0 rewards overlap only.
    cardinality : str, default="reciprocal"
        ``"reciprocal"`` divides the credit of a range split across several labelled
        ranges by their number; ``"one"`` does not penalise fragmentation.
    bias : str, default="flat"
        Which part of a range matters most: ``"flat"``, ``"front"``, ``"middle"`` or
        ``"back"``.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` in ``[0, 1]``, higher is better.

    References
    ----------
    .. [1] Tatbul, N., Lee, T.J., Zdonik, S., Alam, M. and Gottschlich, J. (2018).
       Precision and recall for time series. NeurIPS.
       https://papers.nips.cc/paper/7462-precision-and-recall-for-time-series

    Examples
    --------
    >>> from catalog.atoms.anomaly.range_metrics import RangePrecision
    >>> y_true = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> RangePrecision()(y_true, [0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    0.5
    """

    greater_is_better = True
    prediction = "labels"

    def __init__(
        self, alpha: float = 0.0, cardinality: str = "reciprocal", bias: str = "flat"
    ) -> None:
        self.alpha = alpha
        self.cardinality = cardinality
        self.bias = bias

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from aeon.benchmarking.metrics.anomaly_detection import range_precision

        _check_options(self, {"alpha": self.alpha}, {"bias": self.bias})
        truth, pred = aligned_labels(y_true, y_pred, "labels")
        return float(
            range_precision(
                truth, pred, alpha=self.alpha, cardinality=self.cardinality, bias=self.bias
            )
        )


@component(
    id="metric.range-recall",
    name="Range-based recall",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Recall of labelled anomalous ranges, weighing existence, overlap and position.",
    tags=["evaluation", "range-based", "subsequence-anomaly"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    search_space={"alpha": {"type": "float", "low": 0.0, "high": 1.0}},
    maturity="experimental",
    owner="atomkb",
    references=["https://papers.nips.cc/paper/7462-precision-and-recall-for-time-series"],
    since="0.1.0",
)
class RangeRecall(BaseMetric):
    """Range-based recall of 0/1 anomaly labels (Tatbul et al., NeurIPS 2018).

    Each labelled range earns ``alpha`` for being touched at all (existence reward)
    plus ``1 - alpha`` times the weighted share of it that is flagged; the metric is
    the mean over labelled ranges. Wraps aeon's ``range_recall``.

    Parameters
    ----------
    alpha : float, default=0.0
        Weight of the existence reward, in ``[0, 1]``: 0 rewards overlap only, 1 only
        whether each range is touched.
    cardinality : str, default="reciprocal"
        ``"reciprocal"`` divides the credit of a labelled range detected in several
        pieces by their number; ``"one"`` does not penalise fragmentation.
    bias : str, default="flat"
        Which part of a range matters most: ``"flat"``, ``"front"``, ``"middle"`` or
        ``"back"`` (``"front"`` rewards early detection).

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` in ``[0, 1]``, higher is better.

    References
    ----------
    .. [1] Tatbul, N., Lee, T.J., Zdonik, S., Alam, M. and Gottschlich, J. (2018).
       Precision and recall for time series. NeurIPS.
       https://papers.nips.cc/paper/7462-precision-and-recall-for-time-series

    Examples
    --------
    >>> from catalog.atoms.anomaly.range_metrics import RangeRecall
    >>> y_true = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> RangeRecall()(y_true, [0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    0.25
    """

    greater_is_better = True
    prediction = "labels"

    def __init__(
        self, alpha: float = 0.0, cardinality: str = "reciprocal", bias: str = "flat"
    ) -> None:
        self.alpha = alpha
        self.cardinality = cardinality
        self.bias = bias

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from aeon.benchmarking.metrics.anomaly_detection import range_recall

        _check_options(self, {"alpha": self.alpha}, {"bias": self.bias})
        truth, pred = aligned_labels(y_true, y_pred, "labels")
        return float(
            range_recall(
                truth, pred, alpha=self.alpha, cardinality=self.cardinality, bias=self.bias
            )
        )


@component(
    id="metric.range-f1",
    name="Range-based F1",
    level="atom",
    kind="metric",
    tasks=["anomaly-detection"],
    summary="Harmonic mean of range-based precision and recall of anomaly labels.",
    tags=["evaluation", "range-based", "subsequence-anomaly"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    search_space={"r_alpha": {"type": "float", "low": 0.0, "high": 1.0}},
    maturity="experimental",
    owner="atomkb",
    references=[
        "https://papers.nips.cc/paper/7462-precision-and-recall-for-time-series",
        "https://doi.org/10.1609/aaai.v36i7.20680",
    ],
    since="0.1.0",
)
class RangeF1(BaseMetric):
    """Range-based F1 of 0/1 anomaly labels (Tatbul et al., NeurIPS 2018).

    The harmonic mean of :class:`RangePrecision` and :class:`RangeRecall`, computed by
    aeon's ``range_f_score`` with ``beta=1``; with the defaults (no existence reward) it
    equals ``2PR / (P + R)`` of those two metrics with their defaults. This is the
    thresholded headline metric of the catalog instead of the *point-adjusted* F1,
    which counts a whole labelled range as found when one of its points is flagged and
    lets a random score reach the state of the art (Kim et al., AAAI 2022 [2]_).

    Parameters
    ----------
    p_alpha : float, default=0.0
        Existence-reward weight of the precision part, in ``[0, 1]``.
    r_alpha : float, default=0.0
        Existence-reward weight of the recall part, in ``[0, 1]`` (aeon's own default
        is 0.5, which credits touching a range at all).
    cardinality : str, default="reciprocal"
        ``"reciprocal"`` penalises ranges detected in several pieces; ``"one"`` not.
    p_bias : str, default="flat"
        Positional bias of the precision part: ``"flat"``, ``"front"``, ``"middle"``
        or ``"back"``.
    r_bias : str, default="flat"
        Positional bias of the recall part, same choices.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` in ``[0, 1]``, higher is better.

    References
    ----------
    .. [1] Tatbul, N., Lee, T.J., Zdonik, S., Alam, M. and Gottschlich, J. (2018).
       Precision and recall for time series. NeurIPS.
       https://papers.nips.cc/paper/7462-precision-and-recall-for-time-series
    .. [2] Kim, S., Choi, K., Choi, H.-S., Lee, B. and Yoon, S. (2022). Towards a
       rigorous evaluation of time-series anomaly detection. AAAI.
       https://doi.org/10.1609/aaai.v36i7.20680

    Examples
    --------
    >>> from catalog.atoms.anomaly.range_metrics import RangeF1
    >>> y_true = [0, 0, 1, 1, 0, 0, 0, 1, 0, 0]
    >>> round(RangeF1()(y_true, [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]), 4)
    0.3333
    """

    greater_is_better = True
    prediction = "labels"

    def __init__(
        self,
        p_alpha: float = 0.0,
        r_alpha: float = 0.0,
        cardinality: str = "reciprocal",
        p_bias: str = "flat",
        r_bias: str = "flat",
    ) -> None:
        self.p_alpha = p_alpha
        self.r_alpha = r_alpha
        self.cardinality = cardinality
        self.p_bias = p_bias
        self.r_bias = r_bias

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from aeon.benchmarking.metrics.anomaly_detection import range_f_score

        _check_options(
            self,
            {"p_alpha": self.p_alpha, "r_alpha": self.r_alpha},
            {"p_bias": self.p_bias, "r_bias": self.r_bias},
        )
        truth, pred = aligned_labels(y_true, y_pred, "labels")
        return float(
            range_f_score(
                truth,
                pred,
                beta=1,
                p_alpha=self.p_alpha,
                r_alpha=self.r_alpha,
                cardinality=self.cardinality,
                p_bias=self.p_bias,
                r_bias=self.r_bias,
            )
        )
