"""Feature builders for forecasting: lags, rolling statistics, calendar and Fourier terms.

Each is a series transformer whose ``transform(y)`` returns a ``DataFrame`` of features on
the index of ``y``. Lag and rolling features only look at values strictly before each
time point, so a row for a future time point can be built by appending any placeholder
value at the end of the series (what the recursive forecasters do).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series

__all__ = ["CalendarFeatures", "FourierFeatures", "LagFeatures", "RollingWindowFeatures"]


def _frame(y: Any, *, min_length: int = 1) -> pd.DataFrame:
    data = check_series(y, min_length=min_length)
    if isinstance(data, pd.Series):
        return data.to_frame(name=data.name if data.name is not None else "y")
    return data


def _lag_list(lags: Any) -> list[int]:
    if isinstance(lags, int | np.integer) and not isinstance(lags, bool) and lags >= 1:
        return list(range(1, int(lags) + 1))
    if (
        isinstance(lags, list | tuple)
        and lags
        and all(
            isinstance(k, int | np.integer) and not isinstance(k, bool) and k >= 1 for k in lags
        )
    ):
        return sorted({int(k) for k in lags})
    raise ValueError(
        f"lags must be a positive int (lags 1..n) or a non-empty list of positive ints, "
        f"found {lags!r}"
    )


@component(
    id="features.lag",
    name="Lag features",
    level="atom",
    kind="feature",
    tasks=["forecasting"],
    summary="Lagged copies of each channel (y[t-1], y[t-2], ...) as feature columns.",
    tags=["lag-features", "reduction", "fast"],
    capabilities=["univariate", "multivariate"],
    search_space={"lags": {"type": "int", "low": 1, "high": 52, "log": True}},
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class LagFeatures(BaseSeriesTransformer):
    """Lagged values of every channel, one column per channel and lag.

    Uses :meth:`pandas.DataFrame.shift`; the first ``max(lags)`` rows hold NaN where no
    earlier value exists. Columns are named ``"<channel>_lag_<k>"``.

    Parameters
    ----------
    lags : int or list of int, default=12
        ``n`` means lags 1 to ``n``; a list gives the lags explicitly.

    Returns
    -------
    LagFeatures
        ``fit`` returns the fitted builder; ``transform(y)`` a ``DataFrame`` on the index
        of ``y``.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.features import LagFeatures
    >>> LagFeatures(lags=[1, 2]).fit_transform(pd.Series([1.0, 2.0, 3.0], name="y"))
       y_lag_1  y_lag_2
    0      NaN      NaN
    1      1.0      NaN
    2      2.0      1.0
    """

    def __init__(self, lags: int | list[int] = 12) -> None:
        self.lags = lags

    def fit(self, y: Any, X: Any = None) -> LagFeatures:
        self.lags_ = _lag_list(self.lags)
        self.columns_ = list(_frame(y).columns)
        return self

    def transform(self, y: Any) -> pd.DataFrame:
        check_is_fitted(self)
        data = _frame(y)
        columns = {
            f"{name}_lag_{k}": data[name].shift(k) for name in data.columns for k in self.lags_
        }
        return pd.DataFrame(columns, index=data.index)


_STATISTICS = ("mean", "std", "min", "max", "median", "sum")


@component(
    id="features.rolling-window",
    name="Rolling-window statistics",
    level="atom",
    kind="feature",
    tasks=["forecasting"],
    summary="Mean, deviation, min, max... of the last `window` values before each time point.",
    tags=["window", "lag-features", "fast"],
    capabilities=["univariate", "multivariate"],
    search_space={"window": {"type": "int", "low": 2, "high": 52, "log": True}},
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class RollingWindowFeatures(BaseSeriesTransformer):
    """Statistics of a rolling window that ends ``lag`` steps before each time point.

    Uses :meth:`pandas.DataFrame.rolling` on the series shifted by ``lag``, so the
    features of time ``t`` summarise ``y[t-lag-window+1 .. t-lag]`` and never the value
    being forecast. Columns are named ``"<channel>_<statistic>_<window>"``.

    Parameters
    ----------
    window : int, default=12
        Number of values in each window.
    statistics : tuple of str, default=("mean", "std")
        Any of ``"mean"``, ``"std"``, ``"min"``, ``"max"``, ``"median"``, ``"sum"``.
    lag : int, default=1
        Steps between the end of the window and the time point (1 = up to ``t-1``).

    Returns
    -------
    RollingWindowFeatures
        ``fit`` returns the fitted builder; ``transform(y)`` a ``DataFrame`` on the index
        of ``y``, NaN where the window is not full yet.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.features import RollingWindowFeatures
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0], name="y")
    >>> RollingWindowFeatures(window=2, statistics=("mean",)).fit_transform(y)["y_mean_2"].tolist()
    [nan, nan, 1.5, 2.5]
    """

    def __init__(
        self, window: int = 12, statistics: tuple[str, ...] = ("mean", "std"), lag: int = 1
    ) -> None:
        self.window = window
        self.statistics = statistics
        self.lag = lag

    def __sklearn_tags__(self) -> Tags:
        """Stateless: ``fit`` only validates the parameters, so ``transform`` works unfitted."""
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def fit(self, y: Any, X: Any = None) -> RollingWindowFeatures:
        self._check_params()
        self.columns_ = list(_frame(y).columns)
        return self

    def _check_params(self) -> None:
        if not isinstance(self.window, int | np.integer) or self.window < 1:
            raise ValueError(f"window must be a positive int, found {self.window!r}")
        if not isinstance(self.lag, int | np.integer) or self.lag < 0:
            raise ValueError(f"lag must be an int >= 0, found {self.lag!r}")
        unknown = [s for s in self.statistics if s not in _STATISTICS]
        if not self.statistics or unknown or isinstance(self.statistics, str):
            raise ValueError(
                f"statistics must be a non-empty list of {list(_STATISTICS)}, "
                f"found {self.statistics!r}"
            )

    def transform(self, y: Any) -> pd.DataFrame:
        self._check_params()  # stateless: transform may run without fit
        data = _frame(y)
        rolling = data.shift(self.lag).rolling(self.window, min_periods=self.window)
        columns = {}
        for statistic in self.statistics:
            values = getattr(rolling, statistic)()
            for name in data.columns:
                columns[f"{name}_{statistic}_{self.window}"] = values[name]
        return pd.DataFrame(columns, index=data.index)


def _periods(index: pd.Index) -> pd.PeriodIndex:
    """A time index as periods; a calendar needs dates, not integer positions."""
    if isinstance(index, pd.PeriodIndex):
        return index
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise ValueError(
                "y has a DatetimeIndex without a regular frequency; resample it first "
                "(e.g. with preprocessing.resample)"
            )
        return pd.DatetimeIndex(index, freq=freq).to_period()
    raise ValueError(
        f"y must have a DatetimeIndex or a PeriodIndex for calendar features, found "
        f"{type(index).__name__}; set a time index on the series"
    )


# one-hot categories of the cyclical attributes, fixed so that every index gives the
# same columns
_CYCLES = {"month": range(1, 13), "quarter": range(1, 5), "dayofweek": range(7), "hour": range(24)}
_ATTRIBUTES = ("year", "quarter", "month", "day", "dayofweek", "dayofyear", "hour", "minute")


@component(
    id="features.calendar",
    name="Calendar features",
    level="atom",
    kind="feature",
    tasks=["forecasting"],
    summary="Month, weekday, hour... of each time point, as numbers or one-hot columns.",
    tags=["calendar", "seasonality", "fast", "interpretable"],
    capabilities=["univariate", "multivariate"],
    search_space={"one_hot": {"type": "categorical", "choices": [True, False]}},
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class CalendarFeatures(BaseSeriesTransformer):
    """Calendar attributes of the time index of a series (its values are not used).

    Works on a ``PeriodIndex`` or a ``DatetimeIndex`` with a frequency. With
    ``one_hot``, the cyclical attributes (month, quarter, dayofweek, hour) become one
    0/1 column per possible value, so any index gives the same columns; the others stay
    numbers.

    Parameters
    ----------
    attributes : tuple of str, default=("month",)
        Any of ``"year"``, ``"quarter"``, ``"month"``, ``"day"``, ``"dayofweek"``,
        ``"dayofyear"``, ``"hour"``, ``"minute"``.
    one_hot : bool, default=True
        One-hot encode the cyclical attributes.

    Returns
    -------
    CalendarFeatures
        ``fit`` returns the fitted builder; ``transform(y)`` a ``DataFrame`` on the index
        of ``y``.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.features import CalendarFeatures
    >>> y = pd.Series([1.0, 2.0], index=pd.period_range("2020-11", periods=2, freq="M"))
    >>> CalendarFeatures(attributes=("year", "month"), one_hot=False).fit_transform(y)
             year  month
    2020-11  2020     11
    2020-12  2020     12
    """

    def __init__(self, attributes: tuple[str, ...] = ("month",), one_hot: bool = True) -> None:
        self.attributes = attributes
        self.one_hot = one_hot

    def __sklearn_tags__(self) -> Tags:
        """Stateless: ``fit`` only validates the parameters, so ``transform`` works unfitted."""
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def fit(self, y: Any, X: Any = None) -> CalendarFeatures:
        self._check_params()
        _periods(_frame(y).index)
        return self

    def _check_params(self) -> None:
        unknown = [a for a in self.attributes if a not in _ATTRIBUTES]
        if not self.attributes or unknown or isinstance(self.attributes, str):
            raise ValueError(
                f"attributes must be a non-empty list of {list(_ATTRIBUTES)}, "
                f"found {self.attributes!r}"
            )

    def transform(self, y: Any) -> pd.DataFrame:
        self._check_params()  # stateless: transform may run without fit
        index = _frame(y).index
        periods = _periods(index)
        columns: dict[str, Any] = {}
        for attribute in self.attributes:
            values = np.asarray(getattr(periods, attribute), dtype=int)
            if self.one_hot and attribute in _CYCLES:
                for value in _CYCLES[attribute]:
                    columns[f"{attribute}_{value}"] = (values == value).astype(int)
            else:
                columns[attribute] = values
        return pd.DataFrame(columns, index=index)


@component(
    id="features.fourier",
    name="Fourier terms",
    level="atom",
    kind="feature",
    tasks=["forecasting"],
    summary="Sine and cosine pairs of a seasonal period: a smooth season in few columns.",
    tags=["seasonality", "calendar", "fast"],
    capabilities=["univariate", "multivariate", "seasonal"],
    search_space={"n_terms": {"type": "int", "low": 1, "high": 6}},
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/useful-predictors.html"],
    since="0.1.0",
)
class FourierFeatures(BaseSeriesTransformer):
    """Fourier terms ``sin(2 pi k t / sp)`` and ``cos(2 pi k t / sp)``, ``k = 1..n_terms``.

    ``t`` is the period ordinal of the index (periods since 1970 for a time index, the
    value itself for an integer index), so the terms of any two indexes line up and a
    future index continues the season. Columns are named ``"sin_<sp>_<k>"`` and
    ``"cos_<sp>_<k>"``.

    Parameters
    ----------
    sp : float, default=12
        Seasonal period in steps (may be fractional, e.g. 365.25 for daily data).
    n_terms : int, default=2
        Number of sine/cosine pairs, at most ``sp / 2``.

    Returns
    -------
    FourierFeatures
        ``fit`` returns the fitted builder; ``transform(y)`` a ``DataFrame`` on the index
        of ``y``.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 7.4. https://otexts.com/fpp3/useful-predictors.html

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.features import FourierFeatures
    >>> terms = FourierFeatures(sp=4, n_terms=1).fit_transform(pd.Series([0.0] * 4))
    >>> terms.round(3).to_dict("list")
    {'sin_4_1': [0.0, 1.0, 0.0, -1.0], 'cos_4_1': [1.0, 0.0, -1.0, -0.0]}
    """

    def __init__(self, sp: float = 12, n_terms: int = 2) -> None:
        self.sp = sp
        self.n_terms = n_terms

    def __sklearn_tags__(self) -> Tags:
        """Stateless: ``fit`` only validates the parameters, so ``transform`` works unfitted."""
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def fit(self, y: Any, X: Any = None) -> FourierFeatures:
        self._check_params()
        self._ordinals(_frame(y).index)
        return self

    def _check_params(self) -> None:
        if not isinstance(self.sp, int | float | np.number) or not self.sp > 1:
            raise ValueError(f"sp must be a number > 1, found {self.sp!r}")
        if not isinstance(self.n_terms, int | np.integer) or not 1 <= self.n_terms <= self.sp / 2:
            raise ValueError(
                f"n_terms must be an int between 1 and sp / 2 = {self.sp / 2:g}, "
                f"found {self.n_terms!r}"
            )

    @staticmethod
    def _ordinals(index: pd.Index) -> np.ndarray:
        if isinstance(index, pd.PeriodIndex | pd.DatetimeIndex):
            return _periods(index).asi8.astype(float)
        if pd.api.types.is_integer_dtype(index):
            return index.to_numpy(dtype=float)
        raise ValueError(
            f"y must have a time index or an integer index, found {type(index).__name__}"
        )

    def transform(self, y: Any) -> pd.DataFrame:
        self._check_params()  # stateless: transform may run without fit
        index = _frame(y).index
        t = self._ordinals(index)
        columns = {}
        for k in range(1, self.n_terms + 1):
            angle = 2 * np.pi * k * t / self.sp
            columns[f"sin_{self.sp:g}_{k}"] = np.sin(angle)
            columns[f"cos_{self.sp:g}_{k}"] = np.cos(angle)
        return pd.DataFrame(columns, index=index)
