"""Forecasting by reduction: a scikit-learn regressor on lagged values, applied recursively."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone, is_regressor
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.forecasting.naive import univariate
from catalog.base import BaseForecaster, forecast_horizon, future_index
from catalog.validation import check_exogenous, check_future_exogenous

__all__ = ["ReductionForecaster", "default_regressor"]


def default_regressor(regressor: Any) -> Any:
    """A fresh copy of ``regressor``, or a ridge regression when it is None."""
    if regressor is None:
        from sklearn.linear_model import Ridge

        return Ridge(alpha=1.0)
    if not is_regressor(regressor):
        raise ValueError(
            f"regressor must be a scikit-learn regressor (fit/predict, "
            f"_estimator_type='regressor'), found {type(regressor).__name__}"
        )
    return clone(regressor)


@component(
    id="forecasting.reduction",
    name="Recursive reduction forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Any scikit-learn regressor on the last window of values, forecasting step by step.",
    tags=["reduction", "machine-learning", "lag-features"],
    capabilities=["univariate", "exogenous"],
    search_space={"window_length": {"type": "int", "low": 2, "high": 52, "log": True}},
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1007/978-3-642-36318-4_3"],
    since="0.1.0",
)
class ReductionForecaster(BaseForecaster):
    """Turn forecasting into regression: predict ``y[t]`` from ``y[t-L] .. y[t-1]``.

    ``fit`` cuts the series into windows of ``window_length`` values (with
    :func:`numpy.lib.stride_tricks.sliding_window_view`), each followed by the value to
    predict, and fits the regressor on them. ``predict`` is recursive: each forecast
    becomes the newest input of the next step. Trees cannot extrapolate a trend; detrend
    or difference the series first (e.g. in ``forecasting.pipeline``).

    With exogenous variables, ``fit(y, X)`` appends the row of ``X`` at the time of the
    value to predict to each window, and ``predict(fh, X)`` takes the rows of ``X`` for
    the future steps ``1..max(fh)``, one per recursive step.

    Parameters
    ----------
    regressor : sklearn regressor or None, default=None
        Any scikit-learn regressor, cloned at fit; ``None`` means
        :class:`sklearn.linear_model.Ridge` with ``alpha=1``.
    window_length : int, default=12
        Number of past values the regressor sees.

    Returns
    -------
    ReductionForecaster
        ``fit`` returns the fitted forecaster (``regressor_`` holds the fitted
        regressor); ``predict`` returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Ben Taieb, S., Bontempi, G., Atiya, A.F. and Sorjamaa, A. (2012). Machine
       learning strategies for time series forecasting. Business Intelligence, LNBIP 138.
       https://doi.org/10.1007/978-3-642-36318-4_3

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import LinearRegression
    >>> from catalog.atoms.forecasting.reduction import ReductionForecaster
    >>> y = pd.Series([float(v) for v in range(20)])
    >>> model = ReductionForecaster(LinearRegression(), window_length=3).fit(y)
    >>> model.predict(3).round(6).tolist()
    [20.0, 21.0, 22.0]

    An exogenous variable known in advance (a promotion flag) enters each step:

    >>> promo = pd.DataFrame({"promo": [0.0, 1.0] * 12})
    >>> sales = pd.Series(10.0 + 5.0 * promo["promo"].to_numpy()[:20])
    >>> model = ReductionForecaster(LinearRegression(), window_length=2)
    >>> model.fit(sales, X=promo.iloc[:20]).predict(4, X=promo.iloc[20:]).round(6).tolist()
    [10.0, 15.0, 10.0, 15.0]
    """

    def __init__(self, regressor: Any = None, window_length: int = 12) -> None:
        self.regressor = regressor
        self.window_length = window_length

    def fit(self, y: Any, X: Any = None) -> ReductionForecaster:
        data = univariate(y)
        window = self.window_length
        if not isinstance(window, int | np.integer) or isinstance(window, bool) or window < 1:
            raise ValueError(f"window_length must be a positive int, found {window!r}")
        if len(data) < window + 2:
            raise ValueError(
                f"y needs at least window_length + 2 = {window + 2} points to learn from "
                f"two windows, found {len(data)}; shorten window_length"
            )
        exog = check_exogenous(X, data.index)
        self.exog_columns_ = None if exog is None else list(exog.columns)
        values = data.to_numpy()
        features = np.lib.stride_tricks.sliding_window_view(values, window)[:-1]
        if exog is not None:
            features = np.hstack([features, exog.to_numpy()[window:]])
        self.regressor_ = default_regressor(self.regressor).fit(features, values[window:])
        self.last_window_ = values[-window:].copy()
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        horizon = int(steps.max())
        future = future_index(self.index_, np.arange(1, horizon + 1))
        exog = check_future_exogenous(X, future, self.exog_columns_, owner=type(self).__name__)
        exog_rows = np.empty((horizon, 0)) if exog is None else exog.to_numpy()
        history = list(self.last_window_)
        path = []
        for step in range(horizon):
            window = np.asarray(history[-self.window_length :])
            inputs = np.concatenate([window, exog_rows[step]])[np.newaxis, :]
            path.append(float(np.ravel(self.regressor_.predict(inputs))[0]))
            history.append(path[-1])
        values = np.asarray(path)[steps - 1]
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)
