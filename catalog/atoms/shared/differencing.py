"""Differencing: remove trend or season by taking differences, and integrate back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseSeriesTransformer, future_index
from catalog.validation import check_series, series_values

__all__ = ["Differencer"]


def _integrate(start: np.ndarray, diffs: np.ndarray, lag: int) -> np.ndarray:
    """Undo one lag-``lag`` difference: ``x[t] = x[t - lag] + d[t - lag]``.

    ``start`` holds the ``lag`` values before the first difference; the result holds
    the values after them. Each residue class modulo ``lag`` is a cumulative sum.
    """
    out = np.empty_like(diffs)
    for r in range(min(lag, len(diffs))):
        out[r::lag] = start[r] + np.cumsum(diffs[r::lag], axis=0)
    return out


@component(
    id="preprocessing.difference",
    name="Differencer",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Takes lag-k differences (repeatedly) to remove trend or season; integrates back.",
    tags=["transformation", "trend", "seasonality", "fast"],
    capabilities=["univariate", "multivariate", "inverse-transform"],
    search_space={
        "lag": {"type": "categorical", "choices": [1, 4, 7, 12, 24, 52]},
        "order": {"type": "int", "low": 1, "high": 2},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/stationarity.html"],
    since="0.1.0",
)
class Differencer(BaseSeriesTransformer):
    """Difference a series ``order`` times at lag ``lag``, and integrate it back.

    ``transform`` applies :meth:`pandas.Series.diff` ``order`` times and drops the first
    ``lag * order`` points, which have no difference: the output is indexed by the rest
    of the input's index. ``lag=1`` removes a trend, ``lag=12`` a yearly season of
    monthly data.

    ``inverse_transform`` integrates back, and what it starts from depends on the index
    of its input:

    - the index of ``transform``'s output on the fitted series: the first ``lag * order``
      fitted values are put back and the original series is rebuilt exactly;
    - an index that continues right after the fitted series (a forecast of the
      differenced series): the integration starts from the last fitted values, so the
      result is a forecast of the original series;
    - a NumPy array is taken as continuing after the fitted series.

    Parameters
    ----------
    lag : int, default=1
        Distance, in steps, between the two values of a difference.
    order : int, default=1
        How many times the difference is taken.

    Returns
    -------
    Differencer
        ``fit`` returns the fitted differencer; ``transform`` returns the differences,
        ``lag * order`` points shorter than its input; ``inverse_transform`` returns the
        integrated series.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 9.1. https://otexts.com/fpp3/stationarity.html

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.differencing import Differencer
    >>> y = pd.Series([1.0, 3.0, 6.0, 10.0], index=pd.period_range("2000-01", periods=4, freq="M"))
    >>> diff = Differencer().fit(y)
    >>> d = diff.transform(y)
    >>> d.tolist()
    [2.0, 3.0, 4.0]
    >>> diff.inverse_transform(d).tolist()
    [1.0, 3.0, 6.0, 10.0]

    A forecast of the differences (two more steps of 5.0) integrates from the last value:

    >>> forecast = pd.Series([5.0, 5.0], index=pd.period_range("2000-05", periods=2, freq="M"))
    >>> diff.inverse_transform(forecast).tolist()
    [15.0, 20.0]
    """

    def __init__(self, lag: int = 1, order: int = 1) -> None:
        self.lag = lag
        self.order = order

    def fit(self, y: Any, X: Any = None) -> Differencer:
        for name in ("lag", "order"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, found {value!r}")
        dropped = self.lag * self.order
        data = check_series(y, min_length=dropped + 1)
        level = series_values(data)
        self.heads_, self.tails_ = [], []
        for _ in range(self.order):
            self.heads_.append(level[: self.lag].copy())
            self.tails_.append(level[-self.lag :].copy())
            level = level[self.lag :] - level[: -self.lag]
        self.index_ = data.index
        self.n_channels_ = level.shape[1]
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        data = check_series(y, min_length=self.lag * self.order + 1)
        values = self._channels(data)
        for _ in range(self.order):
            values = values[self.lag :] - values[: -self.lag]
        return self._wrap(values, data.index[self.lag * self.order :], data)

    def inverse_transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        data = check_series(y, min_length=1)
        values = self._channels(data)
        dropped = self.lag * self.order
        if isinstance(y, pd.Series | pd.DataFrame) and data.index.equals(self.index_[dropped:]):
            for level in reversed(range(self.order)):
                head = self.heads_[level]
                values = np.concatenate([head, _integrate(head, values, self.lag)])
            return self._wrap(values, self.index_, data)
        if isinstance(y, pd.Series | pd.DataFrame):
            expected = future_index(self.index_, np.arange(1, len(data) + 1))
            if not data.index.equals(expected):
                raise ValueError(
                    "inverse_transform needs the differences of the fitted series (index "
                    f"{self.index_[dropped]} to {self.index_[-1]}) or values that continue "
                    f"right after it (index from {expected[0]}), found an index from "
                    f"{data.index[0]} to {data.index[-1]}; pass one of those"
                )
        for level in reversed(range(self.order)):
            values = _integrate(self.tails_[level], values, self.lag)
        return self._wrap(values, data.index, data)

    def _channels(self, data: pd.Series | pd.DataFrame) -> np.ndarray:
        values = series_values(data)
        if values.shape[1] != self.n_channels_:
            raise ValueError(
                f"y has {values.shape[1]} channels but the differencer was fitted on "
                f"{self.n_channels_}"
            )
        return values

    @staticmethod
    def _wrap(
        values: np.ndarray, index: pd.Index, like: pd.Series | pd.DataFrame
    ) -> pd.Series | pd.DataFrame:
        if isinstance(like, pd.Series):
            return pd.Series(values[:, 0], index=index, name=like.name)
        return pd.DataFrame(values, index=index, columns=like.columns)
