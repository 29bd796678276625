"""A regressor on lag, rolling-window and calendar features, forecasting recursively."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component, get_component
from catalog.atoms.forecasting.naive import univariate
from catalog.atoms.forecasting.reduction import default_regressor
from catalog.base import BaseForecaster, forecast_horizon, future_index

__all__ = ["LagRegressionForecaster"]


@component(
    id="forecasting.lag-regression",
    name="Lag-feature regression forecaster",
    level="molecule",
    kind="pipeline",
    tasks=["forecasting"],
    summary="A scikit-learn regressor on lag, rolling and calendar features, step by step.",
    tags=["reduction", "machine-learning", "lag-features", "calendar", "window"],
    capabilities=["univariate"],
    composes=["features.lag", "features.rolling-window", "features.calendar"],
    search_space={
        "lags": {"type": "int", "low": 1, "high": 36},
        "rolling_window": {"type": "int", "low": 0, "high": 24},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1007/978-3-642-36318-4_3"],
    since="0.1.0",
)
class LagRegressionForecaster(BaseForecaster):
    """Forecasting as regression on features of the past and of the calendar.

    The features of time ``t`` are the lags ``y[t-1] .. y[t-lags]`` (``features.lag``),
    the mean and deviation of the ``rolling_window`` values before ``t``
    (``features.rolling-window``) and the calendar of ``t`` (``features.calendar``);
    rows without a full history are dropped. ``predict`` is recursive: a row for the
    next time point is built with a placeholder value, which no feature reads, the
    regressor forecasts it, and the forecast is fed back. The feature builders are
    looked up with :func:`catalog.get_component` at fit.

    Parameters
    ----------
    regressor : sklearn regressor or None, default=None
        Any scikit-learn regressor, cloned at fit; ``None`` means ridge regression.
    lags : int, default=12
        Number of lags (1..lags).
    rolling_window : int, default=12
        Window of the rolling mean and deviation; 0 leaves them out.
    calendar : tuple of str, default=("month",)
        Calendar attributes, one-hot encoded when cyclical; empty for none (needed
        for a series with an integer index).

    Returns
    -------
    LagRegressionForecaster
        ``fit`` returns the fitted forecaster (``regressor_``, ``feature_names_``);
        ``predict`` returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Ben Taieb, S., Bontempi, G., Atiya, A.F. and Sorjamaa, A. (2012). Machine
       learning strategies for time series forecasting. Business Intelligence, LNBIP 138.
       https://doi.org/10.1007/978-3-642-36318-4_3

    Examples
    --------
    >>> from catalog.molecules.forecasting_lag_regression import LagRegressionForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=60)
    >>> model = LagRegressionForecaster(lags=3, rolling_window=0).fit(y)
    >>> model.feature_names_[:4]
    ['y_lag_1', 'y_lag_2', 'y_lag_3', 'month_1']
    >>> len(model.predict(6))
    6
    """

    def __init__(
        self,
        regressor: Any = None,
        lags: int = 12,
        rolling_window: int = 12,
        calendar: tuple[str, ...] = ("month",),
    ) -> None:
        self.regressor = regressor
        self.lags = lags
        self.rolling_window = rolling_window
        self.calendar = calendar

    def _builders(self, data: pd.Series) -> list[Any]:
        if not isinstance(self.lags, int | np.integer) or self.lags < 1:
            raise ValueError(f"lags must be a positive int, found {self.lags!r}")
        if not isinstance(self.rolling_window, int | np.integer) or self.rolling_window < 0:
            raise ValueError(
                f"rolling_window must be an int >= 0 (0 = none), found {self.rolling_window!r}"
            )
        builders = [get_component("features.lag")(lags=int(self.lags))]
        if self.rolling_window:
            rolling = get_component("features.rolling-window")
            builders.append(rolling(window=int(self.rolling_window), statistics=("mean", "std")))
        if self.calendar:
            builders.append(get_component("features.calendar")(attributes=tuple(self.calendar)))
        return [builder.fit(data) for builder in builders]

    def _design(self, data: pd.Series) -> pd.DataFrame:
        return pd.concat([builder.transform(data) for builder in self.builders_], axis=1)

    def fit(self, y: Any, X: Any = None) -> LagRegressionForecaster:
        data = univariate(y)
        self.builders_ = self._builders(data)
        self.history_length_ = max(int(self.lags), int(self.rolling_window) + 1) + 2
        design = self._design(data)
        usable = design.notna().all(axis=1).to_numpy()
        if usable.sum() < 2:
            raise ValueError(
                f"y has {len(data)} points, too few for lags={self.lags} and "
                f"rolling_window={self.rolling_window}; pass a longer series or fewer lags"
            )
        self.feature_names_ = list(design.columns)
        self.regressor_ = default_regressor(self.regressor).fit(
            design.to_numpy()[usable], data.to_numpy()[usable]
        )
        self.history_ = data.iloc[-self.history_length_ :]
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        history = self.history_
        path = []
        for _ in range(int(steps.max())):
            next_index = future_index(history.index, np.array([1]))
            # the placeholder is never read: every feature of t looks at y before t
            placeholder = pd.Series([history.iloc[-1]], index=next_index, name=history.name)
            extended = pd.concat([history, placeholder])
            row = self._design(extended).to_numpy()[-1:]
            path.append(float(np.ravel(self.regressor_.predict(row))[0]))
            extended.iloc[-1] = path[-1]
            history = extended.iloc[-self.history_length_ :]
        index = future_index(self.history_.index, steps)
        return pd.Series(np.asarray(path)[steps - 1], index=index, name=self.history_.name)
