"""Classification metrics: accuracy, balanced accuracy, macro F1 and log loss."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.base import BaseMetric

__all__ = ["Accuracy", "BalancedAccuracy", "LogLoss", "MacroF1"]


def _labels(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    truth, pred = np.asarray(y_true), np.asarray(y_pred)
    for name, labels in (("y_true", truth), ("y_pred", pred)):
        if labels.ndim != 1 or len(labels) == 0:
            raise ValueError(
                f"{name} must be a non-empty 1-D array of labels, found {labels.shape}"
            )
    if len(truth) != len(pred):
        raise ValueError(
            f"y_true and y_pred must have one label per case each, found {len(truth)} and "
            f"{len(pred)}; pass predictions for the same cases"
        )
    return truth, pred


@component(
    id="metric.accuracy",
    name="Accuracy",
    level="atom",
    kind="metric",
    tasks=["classification"],
    summary="Share of cases whose predicted label is right.",
    tags=["evaluation", "interpretable", "benchmark"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class Accuracy(BaseMetric):
    """Accuracy: the share of correctly labelled cases (higher is better).

    Wraps :func:`sklearn.metrics.accuracy_score`. The measure of the UCR and UEA
    benchmarks; misleading when one class dominates (see ``metric.balanced-accuracy``).

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` is in [0, 1].

    See Also
    --------
    sklearn.metrics.accuracy_score : the function applied.

    Examples
    --------
    >>> from catalog.atoms.classification.metrics import Accuracy
    >>> Accuracy()(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.75
    """

    greater_is_better = True
    prediction = "labels"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import accuracy_score

        return float(accuracy_score(*_labels(y_true, y_pred)))


@component(
    id="metric.balanced-accuracy",
    name="Balanced accuracy",
    level="atom",
    kind="metric",
    tasks=["classification"],
    summary="Mean recall over the classes: accuracy that is fair to rare classes.",
    tags=["evaluation", "interpretable"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/ICPR.2010.764"],
    since="0.1.0",
)
class BalancedAccuracy(BaseMetric):
    """Balanced accuracy: the recall of each class, averaged (higher is better).

    Wraps :func:`sklearn.metrics.balanced_accuracy_score`. A classifier that always
    answers the majority class scores ``1 / n_classes``, however imbalanced the data.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` is in [0, 1].

    See Also
    --------
    sklearn.metrics.balanced_accuracy_score : the function applied.

    References
    ----------
    .. [1] Brodersen, K.H. et al. (2010). The balanced accuracy and its posterior
       distribution. ICPR. https://doi.org/10.1109/ICPR.2010.764

    Examples
    --------
    >>> from catalog.atoms.classification.metrics import BalancedAccuracy
    >>> BalancedAccuracy()(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    0.5
    """

    greater_is_better = True
    prediction = "labels"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import balanced_accuracy_score

        return float(balanced_accuracy_score(*_labels(y_true, y_pred)))


@component(
    id="metric.macro-f1",
    name="Macro F1 score",
    level="atom",
    kind="metric",
    tasks=["classification"],
    summary="F1 score of each class, averaged with equal weight per class.",
    tags=["evaluation"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class MacroF1(BaseMetric):
    """Macro-averaged F1: the harmonic mean of precision and recall per class, averaged.

    Wraps :func:`sklearn.metrics.f1_score` with ``average="macro"``; a class that is
    never predicted counts as F1 = 0 (``zero_division=0``).

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` is in [0, 1].

    See Also
    --------
    sklearn.metrics.f1_score : the function applied.

    Examples
    --------
    >>> from catalog.atoms.classification.metrics import MacroF1
    >>> round(MacroF1()(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 4)
    0.7333
    """

    greater_is_better = True
    prediction = "labels"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import f1_score

        truth, pred = _labels(y_true, y_pred)
        return float(f1_score(truth, pred, average="macro", zero_division=0))


@component(
    id="metric.log-loss",
    name="Log loss",
    level="atom",
    kind="metric",
    tasks=["classification"],
    summary="Mean negative log-probability given to the true class (cross-entropy).",
    tags=["evaluation"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class LogLoss(BaseMetric):
    """Log loss (cross-entropy) of class probabilities (lower is better).

    Wraps :func:`sklearn.metrics.log_loss`. ``y_pred`` holds one row of class
    probabilities per case, as returned by ``predict_proba``; its columns follow the
    ``labels`` passed as context (a classifier's ``classes_``), or else the sorted
    unique labels of ``y_true``. Probabilities are clipped away from 0 and 1 by
    scikit-learn, so a confident mistake costs much but not infinitely.

    Returns
    -------
    float
        ``metric(y_true, y_pred, labels=...)`` is at least 0.

    See Also
    --------
    sklearn.metrics.log_loss : the function applied.

    Examples
    --------
    >>> from catalog.atoms.classification.metrics import LogLoss
    >>> round(LogLoss()(["a", "b"], [[0.9, 0.1], [0.2, 0.8]]), 4)
    0.1643
    >>> round(LogLoss()(["a", "a"], [[0.9, 0.1], [0.8, 0.2]], labels=["a", "b"]), 4)
    0.1643
    """

    greater_is_better = False
    prediction = "proba"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import log_loss

        truth = np.asarray(y_true)
        proba = np.asarray(y_pred, dtype=float)
        if truth.ndim != 1 or proba.ndim != 2 or len(truth) != len(proba):
            raise ValueError(
                f"y_true must be 1-D labels and y_pred a 2-D array with one row of class "
                f"probabilities per case, found shapes {truth.shape} and {proba.shape}; "
                "pass the output of predict_proba"
            )
        if np.isnan(proba).any():
            raise ValueError("y_pred contains NaN; pass finite class probabilities")
        labels = np.asarray(context.get("labels", np.unique(truth)))
        if proba.shape[1] != len(labels):
            raise ValueError(
                f"y_pred has {proba.shape[1]} columns but there are {len(labels)} labels "
                f"({', '.join(map(str, labels))}); pass labels=classifier.classes_"
            )
        if len(np.unique(labels)) != len(labels):
            raise ValueError(f"labels must be distinct, found {labels.tolist()}")
        unknown = set(np.unique(truth)) - set(labels.tolist())
        if unknown:
            raise ValueError(
                f"y_true holds labels {sorted(map(str, unknown))} missing from labels; "
                "pass labels=classifier.classes_"
            )
        if (proba < 0).any() or not np.allclose(proba.sum(axis=1), 1.0, atol=1e-6):
            raise ValueError(
                "y_pred rows must be probabilities (non-negative, summing to 1); "
                "pass the output of predict_proba"
            )
        order = np.argsort(labels)  # scikit-learn expects the columns in sorted label order
        return float(log_loss(truth, proba[:, order], labels=labels[order]))
