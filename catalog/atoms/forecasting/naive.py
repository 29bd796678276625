"""Naive forecasters: the baselines every forecasting model must beat."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseForecaster, forecast_horizon, future_index
from catalog.validation import check_series

__all__ = ["DriftForecaster", "NaiveForecaster", "SeasonalNaiveForecaster", "univariate"]


def univariate(y: Any, *, min_length: int = 2, allow_nan: bool = False) -> pd.Series:
    """Validate ``y`` as a univariate series (1-D), the input of the forecasting atoms.

    Examples
    --------
    >>> univariate([1.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    data = check_series(y, min_length=min_length, allow_nan=allow_nan)
    if not isinstance(data, pd.Series):
        if data.shape[1] != 1:
            raise ValueError(
                f"y must be univariate (a 1-D series) for this forecaster, found {data.shape[1]} "
                "channels; forecast each channel separately"
            )
        data = data.iloc[:, 0]
    return data.astype(float)


@component(
    id="forecasting.seasonal-naive",
    name="Seasonal naive forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Repeats the last observed season: the baseline for seasonal series.",
    tags=["baseline", "seasonality", "fast", "interpretable"],
    capabilities=["univariate", "seasonal"],
    search_space={"sp": {"type": "categorical", "choices": [1, 4, 7, 12, 24, 52]}},
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/simple-methods.html"],
    since="0.1.0",
)
class SeasonalNaiveForecaster(BaseForecaster):
    """Forecast each step with the value observed one season earlier.

    The forecast for step ``h`` is the last observed value of the same position in the
    season, ``y[T + h - sp * (floor((h - 1) / sp) + 1)]``. With ``sp=1`` it is the naive
    (random-walk) forecast.

    Parameters
    ----------
    sp : int, default=12
        Seasonal period, in steps (12 for monthly data with a yearly season).

    Returns
    -------
    SeasonalNaiveForecaster
        ``fit`` returns the fitted forecaster; ``predict`` returns a ``pandas.Series``
        indexed by the future time points.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.2. https://otexts.com/fpp3/simple-methods.html

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0, 1.5, 2.5, 3.5, 4.5])
    >>> SeasonalNaiveForecaster(sp=4).fit(y).predict(6).tolist()
    [1.5, 2.5, 3.5, 4.5, 1.5, 2.5]
    """

    def __init__(self, sp: int = 12) -> None:
        self.sp = sp

    def fit(self, y: Any, X: Any = None) -> SeasonalNaiveForecaster:
        data = univariate(y)
        if not isinstance(self.sp, int | np.integer) or self.sp < 1:
            raise ValueError(f"sp must be a positive int, found {self.sp!r}")
        if len(data) < self.sp:
            raise ValueError(f"y needs at least one full season (sp={self.sp}), found {len(data)}")
        self.last_season_ = data.to_numpy(dtype=float)[-self.sp :]
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        values = self.last_season_[(steps - 1) % self.sp]
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)


@component(
    id="forecasting.naive",
    name="Naive forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Repeats the last observed value (random walk): the baseline for any series.",
    tags=["baseline", "fast", "interpretable"],
    capabilities=["univariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/simple-methods.html"],
    since="0.1.0",
)
class NaiveForecaster(BaseForecaster):
    """Forecast every step with the last observed value.

    The random-walk forecast ``y[T + h] = y[T]``: optimal for a random walk and the
    baseline against which MASE measures other forecasters (``sp=1``).

    Returns
    -------
    NaiveForecaster
        ``fit`` returns the fitted forecaster; ``predict`` returns a ``pandas.Series``
        indexed by the future time points.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.2. https://otexts.com/fpp3/simple-methods.html

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.naive import NaiveForecaster
    >>> y = pd.Series([3.0, 5.0, 4.0])
    >>> NaiveForecaster().fit(y).predict(2).tolist()
    [4.0, 4.0]
    """

    def fit(self, y: Any, X: Any = None) -> NaiveForecaster:
        data = univariate(y, min_length=1)
        self.last_ = float(data.iloc[-1])
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        values = np.full(len(steps), self.last_)
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)


@component(
    id="forecasting.drift",
    name="Drift forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Extends the line from the first to the last observation: naive plus average trend.",
    tags=["baseline", "trend", "fast", "interpretable"],
    capabilities=["univariate"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/simple-methods.html"],
    since="0.1.0",
)
class DriftForecaster(BaseForecaster):
    """Forecast the last value plus the average change per step seen so far.

    ``y[T + h] = y[T] + h * (y[T] - y[1]) / (T - 1)``: the naive forecast with a drift
    equal to the mean of the first differences, i.e. the line through the first and
    the last observation.

    Returns
    -------
    DriftForecaster
        ``fit`` returns the fitted forecaster; ``predict`` returns a ``pandas.Series``
        indexed by the future time points.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.2. https://otexts.com/fpp3/simple-methods.html

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.naive import DriftForecaster
    >>> y = pd.Series([1.0, 4.0, 2.0, 7.0])
    >>> DriftForecaster().fit(y).predict(2).tolist()
    [9.0, 11.0]
    """

    def fit(self, y: Any, X: Any = None) -> DriftForecaster:
        data = univariate(y)
        values = data.to_numpy()
        self.last_ = float(values[-1])
        self.slope_ = float(np.diff(values).mean())
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        values = self.last_ + steps * self.slope_
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)
