"""Point-forecast error metrics."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.base import BaseMetric
from catalog.validation import check_series, series_values

__all__ = [
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanAbsoluteScaledError",
    "RootMeanSquaredError",
    "SymmetricMeanAbsolutePercentageError",
]


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


@component(
    id="metric.rmse",
    name="Root mean squared error",
    level="atom",
    kind="metric",
    tasks=["forecasting"],
    summary="Square root of the mean squared forecast error, in the units of the series.",
    tags=["evaluation"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/accuracy.html"],
    since="0.1.0",
)
class RootMeanSquaredError(BaseMetric):
    """Root mean squared error between a forecast and the truth (lower is better).

    Wraps :func:`sklearn.metrics.root_mean_squared_error`; with several channels the
    RMSE of each channel is averaged. Large errors weigh more than with MAE.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` is ``sqrt(mean((y_true - y_pred) ** 2))``.

    See Also
    --------
    sklearn.metrics.root_mean_squared_error : the function applied.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.8. https://otexts.com/fpp3/accuracy.html

    Examples
    --------
    >>> from catalog.atoms.forecasting.metrics import RootMeanSquaredError
    >>> RootMeanSquaredError()([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 6.0])
    1.0
    """

    greater_is_better = False
    prediction = "values"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import root_mean_squared_error

        truth, pred = _aligned(y_true, y_pred)
        return float(root_mean_squared_error(truth, pred))


@component(
    id="metric.mape",
    name="Mean absolute percentage error",
    level="atom",
    kind="metric",
    tasks=["forecasting"],
    summary="Mean of |error| / |truth|, as a fraction: scale-free, undefined near zero.",
    tags=["evaluation", "scale-free", "interpretable"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/accuracy.html"],
    since="0.1.0",
)
class MeanAbsolutePercentageError(BaseMetric):
    """Mean absolute percentage error, as a fraction (0.05 means 5 %; lower is better).

    Wraps :func:`sklearn.metrics.mean_absolute_percentage_error`. It divides by the
    truth, so it explodes when the series comes near zero; use MASE there.

    Returns
    -------
    float
        ``metric(y_true, y_pred)`` is ``mean(|y_true - y_pred| / |y_true|)``.

    See Also
    --------
    sklearn.metrics.mean_absolute_percentage_error : the function applied.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.8. https://otexts.com/fpp3/accuracy.html

    Examples
    --------
    >>> from catalog.atoms.forecasting.metrics import MeanAbsolutePercentageError
    >>> MeanAbsolutePercentageError()([100.0, 200.0], [110.0, 220.0])
    0.1
    """

    greater_is_better = False
    prediction = "values"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        from sklearn.metrics import mean_absolute_percentage_error

        truth, pred = _aligned(y_true, y_pred)
        return float(mean_absolute_percentage_error(truth, pred))


@component(
    id="metric.smape",
    name="Symmetric mean absolute percentage error",
    level="atom",
    kind="metric",
    tasks=["forecasting"],
    summary="Mean of 2|error| / (|truth| + |forecast|), between 0 and 2: the M3/M4 measure.",
    tags=["evaluation", "scale-free", "benchmark"],
    capabilities=["univariate", "multivariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1016/j.ijforecast.2019.04.014"],
    since="0.1.0",
)
class SymmetricMeanAbsolutePercentageError(BaseMetric):
    """Symmetric MAPE as a fraction between 0 and 2 (lower is better).

    ``mean(2 |y_true - y_pred| / (|y_true| + |y_pred|))``, the sMAPE of the M4
    competition (without its factor 100). A point where truth and forecast are both 0
    counts as no error. scikit-learn has no sMAPE, hence the formula here.

    Returns
    -------
    float
        The symmetric MAPE over all points (and channels).

    References
    ----------
    .. [1] Makridakis, S., Spiliotis, E. and Assimakopoulos, V. (2020). The M4
       competition: 100,000 time series and 61 forecasting methods. IJF 36(1).
       https://doi.org/10.1016/j.ijforecast.2019.04.014

    Examples
    --------
    >>> from catalog.atoms.forecasting.metrics import SymmetricMeanAbsolutePercentageError
    >>> SymmetricMeanAbsolutePercentageError()([100.0, 0.0], [300.0, 0.0])
    0.5
    """

    greater_is_better = False
    prediction = "values"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        truth, pred = _aligned(y_true, y_pred)
        denominator = np.abs(truth) + np.abs(pred)
        ratio = np.divide(
            2 * np.abs(truth - pred), denominator, out=np.zeros_like(truth), where=denominator > 0
        )
        return float(ratio.mean())


@component(
    id="metric.mase",
    name="Mean absolute scaled error",
    level="atom",
    kind="metric",
    tasks=["forecasting"],
    summary="MAE divided by the in-sample MAE of the seasonal naive forecast: scale-free.",
    tags=["evaluation", "scale-free", "benchmark"],
    capabilities=["univariate", "multivariate", "seasonal"],
    search_space={"sp": {"type": "categorical", "choices": [1, 4, 7, 12, 24, 52]}},
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1016/j.ijforecast.2006.03.001"],
    since="0.1.0",
)
class MeanAbsoluteScaledError(BaseMetric):
    """Mean absolute scaled error of Hyndman and Koehler (lower is better; 1 = naive).

    The MAE of the forecast divided by the mean absolute ``sp``-step difference of the
    training series, i.e. the in-sample MAE of the seasonal naive forecast. Below 1 the
    forecast beats that baseline. The training series is required and is passed as
    context: ``metric(y_true, y_pred, y_train=y_train)``; ``sp=...`` in the context
    overrides the constructor's ``sp``.

    Parameters
    ----------
    sp : int, default=1
        Seasonal period of the naive scaling forecast (1 = random walk).

    Returns
    -------
    float
        ``MAE(y_true, y_pred) / mean(|y_train[t] - y_train[t - sp]|)``, over all channels.

    Raises
    ------
    ValueError
        If ``y_train`` is not given, is not longer than ``sp``, or is constant at lag
        ``sp`` (the scale would be 0).

    References
    ----------
    .. [1] Hyndman, R.J. and Koehler, A.B. (2006). Another look at measures of forecast
       accuracy. IJF 22(4). https://doi.org/10.1016/j.ijforecast.2006.03.001

    Examples
    --------
    >>> from catalog.atoms.forecasting.metrics import MeanAbsoluteScaledError
    >>> mase = MeanAbsoluteScaledError(sp=1)
    >>> mase([5.0, 6.0], [5.5, 5.0], y_train=[1.0, 3.0, 5.0, 7.0])
    0.375
    """

    greater_is_better = False
    prediction = "values"

    def __init__(self, sp: int = 1) -> None:
        self.sp = sp

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        truth, pred = _aligned(y_true, y_pred)
        sp = context.get("sp", self.sp)
        if not isinstance(sp, int | np.integer) or isinstance(sp, bool) or sp < 1:
            raise ValueError(f"sp must be a positive int, found {sp!r}")
        if context.get("y_train") is None:
            raise ValueError(
                "MASE needs the training series to scale the errors; pass it as "
                "metric(y_true, y_pred, y_train=y_train)"
            )
        train = series_values(check_series(context["y_train"], name="y_train", min_length=sp + 1))
        if train.shape[1] != truth.shape[1]:
            raise ValueError(
                f"y_train has {train.shape[1]} channels but y_true has {truth.shape[1]}"
            )
        scale = np.abs(train[sp:] - train[:-sp]).mean()
        if scale == 0:
            raise ValueError(
                f"y_train does not change at lag sp={sp}, so the MASE scale is 0; use MAE"
            )
        return float(np.abs(truth - pred).mean() / scale)
