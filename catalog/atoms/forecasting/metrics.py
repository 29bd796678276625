"""Point-forecast error metrics."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.base import BaseMetric
from catalog.validation import check_series, series_values

__all__ = ["MeanAbsoluteError"]


def _aligned(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    truth = series_values(check_series(y_true, name="y_true", min_length=1))
    pred = series_values(check_series(y_pred, name="y_pred", min_length=1))
    if truth.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, found {truth.shape} and {pred.shape}"
        )
    return truth, pred


@component(
    id="metric.mae",
    name="Mean absolute error",
    level="atom",
    kind="metric",
    tasks=["forecasting"],
    summary="Mean of the absolute forecast errors, in the units of the series.",
    tags=["evaluation", "interpretable"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/accuracy.html"],
    since="0.1.0",
)
class MeanAbsoluteError(BaseMetric):
    """Mean absolute error between a forecast and the truth (lower is better).

    Wraps :func:`sklearn.metrics.mean_absolute_error`; with several channels the errors
    are averaged over all of them.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` is the mean of ``|y_true - y_pred|``.

    See Also
    --------
    sklearn.metrics.mean_absolute_error : the function applied.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.8. https://otexts.com/fpp3/accuracy.html

    Examples
    --------
    >>> from catalog.atoms.forecasting.metrics import MeanAbsoluteError
    >>> MeanAbsoluteError()([1.0, 2.0, 3.0], [1.5, 2.0, 2.0])
    0.5
    """

    greater_is_better = False
    prediction = "values"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import mean_absolute_error

        truth, pred = _aligned(y_true, y_pred)
        return float(mean_absolute_error(truth, pred))
