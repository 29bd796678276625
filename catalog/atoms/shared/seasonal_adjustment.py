"""Seasonal adjustment by classical decomposition: remove a season, put it back on forecasts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.forecasting.naive import univariate
from catalog.base import BaseSeriesTransformer, future_index

__all__ = ["Deseasonalizer"]


@component(
    id="preprocessing.deseasonalize",
    name="Deseasonalizer (classical decomposition)",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting"],
    summary="Removes a season found by classical decomposition; puts it back on forecasts.",
    tags=["seasonality", "transformation", "statistical", "fast"],
    capabilities=["univariate", "inverse-transform", "seasonal"],
    requires=["statsmodels>=0.14"],
    search_space={
        "model": {"type": "categorical", "choices": ["auto", "multiplicative", "additive"]},
    },
    maturity="experimental",
    owner="atomkb",
    references=[
        "https://otexts.com/fpp3/classical-decomposition.html",
        "https://doi.org/10.1016/j.ijforecast.2019.04.014",
    ],
    since="0.2.0",
)
class Deseasonalizer(BaseSeriesTransformer):
    """Seasonally adjust a series with the seasonal indices of a classical decomposition.

    ``fit`` estimates one seasonal index per position in the season with
    :func:`statsmodels.tsa.seasonal.seasonal_decompose` (centred moving average);
    ``transform`` divides by (multiplicative) or subtracts (additive) the index of each
    point, and ``inverse_transform`` puts it back, on the fitted time points and on
    those that follow them (a forecast). This is how the M4 competition's benchmarks
    (Naive2, SES, Holt, Damped, Theta) handle a season, and it works for any period,
    such as 52 weeks, where seasonal ETS and ARIMA models are slow or unavailable.

    Parameters
    ----------
    sp : int, default=12
        Seasonal period in steps (>= 2); the series needs two full seasons.
    model : {"auto", "multiplicative", "additive"}, default="auto"
        ``"auto"`` is multiplicative for a positive series, additive otherwise.

    Returns
    -------
    Deseasonalizer
        ``fit`` returns the fitted transformer (``seasonal_`` holds the ``sp`` indices,
        ``model_`` the decomposition used); ``transform`` and ``inverse_transform``
        return a series on the index of their input.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 3.4.
    .. [2] Makridakis, S., Spiliotis, E. and Assimakopoulos, V. (2020). The M4
       Competition: 100,000 time series and 61 forecasting methods. IJF 36(1).

    Examples
    --------
    >>> from catalog.atoms.shared.seasonal_adjustment import Deseasonalizer
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> adjust = Deseasonalizer(sp=12).fit(y)
    >>> adjust.model_, len(adjust.seasonal_)
    ('multiplicative', 12)
    >>> bool(abs(adjust.inverse_transform(adjust.transform(y)) - y).max() < 1e-9)
    True
    """

    def __init__(self, sp: int = 12, model: str = "auto") -> None:
        self.sp = sp
        self.model = model

    def fit(self, y: Any, X: Any = None) -> Deseasonalizer:
        from statsmodels.tsa.seasonal import seasonal_decompose

        if not isinstance(self.sp, int | np.integer) or isinstance(self.sp, bool) or self.sp < 2:
            raise ValueError(f"sp must be an int >= 2, found {self.sp!r}")
        if self.model not in ("auto", "multiplicative", "additive"):
            raise ValueError(
                f"model must be 'auto', 'multiplicative' or 'additive', found {self.model!r}"
            )
        data = univariate(y, min_length=2 * self.sp)
        values = data.to_numpy(dtype=float)
        positive = bool((values > 0).all())
        if self.model == "multiplicative" and not positive:
            raise ValueError(
                "model='multiplicative' needs a strictly positive y; use model='additive' or 'auto'"
            )
        self.model_ = "multiplicative" if self.model == "auto" and positive else self.model
        if self.model_ == "auto":
            self.model_ = "additive"
        parts = seasonal_decompose(values, period=int(self.sp), model=self.model_)
        self.seasonal_ = np.asarray(parts.seasonal[: self.sp], dtype=float)
        self.index_ = data.index
        return self

    def _indices(self, index: pd.Index) -> np.ndarray:
        """The seasonal index of each time point: fitted ones, or the steps right after."""
        positions = self.index_.get_indexer(index)
        missing = positions < 0
        if missing.any():
            ahead = future_index(self.index_, np.arange(1, len(index) + 1))
            later = ahead.get_indexer(index[missing])
            if (later < 0).any():
                first = index[missing][later < 0][0]
                raise ValueError(
                    f"time point {first} is neither one the deseasonalizer was fitted on nor "
                    f"among the {len(index)} that follow them; refit it on the series first"
                )
            positions[missing] = len(self.index_) + later
        return self.seasonal_[positions % self.sp]

    def transform(self, y: Any) -> pd.Series:
        check_is_fitted(self)
        data = univariate(y, min_length=1)
        season = self._indices(data.index)
        values = data.to_numpy() / season if self.model_ == "multiplicative" else data - season
        return pd.Series(np.asarray(values, dtype=float), index=data.index, name=data.name)

    def inverse_transform(self, y: Any) -> pd.Series:
        check_is_fitted(self)
        data = univariate(y, min_length=1)
        season = self._indices(data.index)
        values = data.to_numpy() * season if self.model_ == "multiplicative" else data + season
        return pd.Series(np.asarray(values, dtype=float), index=data.index, name=data.name)
