"""Naive forecasters: the baselines every forecasting model must beat."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from catalog import component
from catalog.base import BaseForecaster, forecast_horizon, future_index
from catalog.validation import check_series

__all__ = ["SeasonalNaiveForecaster"]


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
        data = check_series(y)
        if not isinstance(data, pd.Series):
            raise ValueError("y must be univariate (a 1-D series) for this forecaster")
        if not isinstance(self.sp, int | np.integer) or self.sp < 1:
            raise ValueError(f"sp must be a positive int, found {self.sp!r}")
        if len(data) < self.sp:
            raise ValueError(f"y needs at least one full season (sp={self.sp}), found {len(data)}")
        self.last_season_ = data.to_numpy(dtype=float)[-self.sp :]
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        steps = forecast_horizon(fh)
        values = self.last_season_[(steps - 1) % self.sp]
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)
