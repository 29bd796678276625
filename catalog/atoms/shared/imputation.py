"""Imputers: fill the missing values (NaN) of a series, keeping its index."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series, series_values

__all__ = ["ForwardFillImputer", "InterpolationImputer"]

_INDEX_METHODS = ("time", "index")
_POSITION_METHODS = (
    "linear",
    "nearest",
    "zero",
    "slinear",
    "quadratic",
    "cubic",
    "pchip",
    "akima",
    "spline",
    "polynomial",
)
_ORDER_METHODS = ("spline", "polynomial")


class _Imputer(BaseSeriesTransformer):
    """Shared checks: any number of NaN is accepted, but each channel needs a value."""

    def fit(self, y: Any, X: Any = None) -> _Imputer:
        data = check_series(y, allow_nan=True, min_length=1)
        self._check_params()
        self.n_channels_ = series_values(data).shape[1]
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        data = check_series(y, allow_nan=True, min_length=1)
        values = series_values(data)
        if values.shape[1] != self.n_channels_:
            raise ValueError(
                f"y has {values.shape[1]} channels but the imputer was fitted on {self.n_channels_}"
            )
        empty = np.isnan(values).all(axis=0)
        if empty.any():
            raise ValueError(
                f"y has no observed value in channel {int(np.argmax(empty))} (all NaN), so "
                "there is nothing to fill from; drop that channel or pass a longer series"
            )
        return self._fill(data.astype(float))

    def _check_params(self) -> None:
        raise NotImplementedError

    def _fill(self, data: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        raise NotImplementedError


def _check_limit(limit: Any) -> None:
    if limit is not None and (not isinstance(limit, int | np.integer) or limit < 1):
        raise ValueError(
            f"limit must be None or a positive int (the longest gap to fill), found {limit!r}"
        )


@component(
    id="preprocessing.forward-fill",
    name="Forward-fill imputer",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Fills each missing value with the last observed value before it.",
    tags=["imputation", "fast", "baseline"],
    capabilities=["univariate", "multivariate", "missing-values"],
    search_space={"backfill_start": {"type": "categorical", "choices": [True, False]}},
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class ForwardFillImputer(_Imputer):
    """Replace each NaN with the last value observed before it (last observation carried forward).

    Uses :meth:`pandas.Series.ffill` per channel. Leading NaN have no earlier value; with
    ``backfill_start`` they take the first observed value instead (:meth:`~pandas.Series.bfill`),
    so the output has no NaN.

    Parameters
    ----------
    limit : int or None, default=None
        Fill at most this many consecutive NaN per gap; ``None`` fills every gap.
        Leading NaN are not limited.
    backfill_start : bool, default=True
        Fill NaN before the first observed value with that value.

    Returns
    -------
    ForwardFillImputer
        ``fit`` returns the fitted imputer; ``transform`` returns a series of the same
        type and index as its input, without NaN (unless ``limit`` leaves some).

    See Also
    --------
    pandas.Series.ffill : the filling applied to each channel.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from catalog.atoms.shared.imputation import ForwardFillImputer
    >>> y = pd.Series([np.nan, 1.0, np.nan, np.nan, 4.0])
    >>> ForwardFillImputer().fit_transform(y).tolist()
    [1.0, 1.0, 1.0, 1.0, 4.0]
    """

    def __init__(self, limit: int | None = None, backfill_start: bool = True) -> None:
        self.limit = limit
        self.backfill_start = backfill_start

    def _check_params(self) -> None:
        _check_limit(self.limit)

    def _fill(self, data: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        filled = data.ffill(limit=self.limit)
        if not self.backfill_start:
            return filled
        leading = data.ffill().isna()
        return filled.mask(leading, data.bfill())


@component(
    id="preprocessing.interpolate",
    name="Interpolation imputer",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Fills missing values by interpolating between the observed neighbours (pandas).",
    tags=["imputation", "fast"],
    capabilities=["univariate", "multivariate", "missing-values"],
    search_space={
        "method": {"type": "categorical", "choices": ["linear", "nearest", "pchip", "akima"]}
    },
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class InterpolationImputer(_Imputer):
    """Fill NaN inside a series by interpolating between the observed values around them.

    Wraps :meth:`pandas.Series.interpolate` per channel. Most methods treat the points
    as equally spaced (the series is regular); ``"time"`` and ``"index"`` use the actual
    time stamps or index values, for irregular series. NaN before the first or after the
    last observed value cannot be interpolated; with ``fill_ends`` they take the nearest
    observed value, so the output has no NaN.

    Parameters
    ----------
    method : str, default="linear"
        ``"linear"``, ``"time"``, ``"index"``, or a SciPy method: ``"nearest"``,
        ``"zero"``, ``"slinear"``, ``"quadratic"``, ``"cubic"``, ``"pchip"``, ``"akima"``,
        ``"spline"``, ``"polynomial"``.
    order : int or None, default=None
        Order of the ``"spline"`` and ``"polynomial"`` methods (required for them).
    limit : int or None, default=None
        Fill at most this many consecutive NaN per gap; ``None`` fills every gap.
    fill_ends : bool, default=True
        Fill leading and trailing NaN with the first and last observed values.

    Returns
    -------
    InterpolationImputer
        ``fit`` returns the fitted imputer; ``transform`` returns a series of the same
        type and index as its input, without NaN (unless ``limit`` leaves some).

    See Also
    --------
    pandas.Series.interpolate : the interpolation applied to each channel.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from catalog.atoms.shared.imputation import InterpolationImputer
    >>> y = pd.Series([1.0, np.nan, np.nan, 4.0, np.nan])
    >>> InterpolationImputer().fit_transform(y).tolist()
    [1.0, 2.0, 3.0, 4.0, 4.0]
    """

    def __init__(
        self,
        method: str = "linear",
        order: int | None = None,
        limit: int | None = None,
        fill_ends: bool = True,
    ) -> None:
        self.method = method
        self.order = order
        self.limit = limit
        self.fill_ends = fill_ends

    def _check_params(self) -> None:
        known = _INDEX_METHODS + _POSITION_METHODS
        if self.method not in known:
            raise ValueError(
                f"method must be one of {', '.join(known)}, found {self.method!r}; "
                "pass e.g. method='linear'"
            )
        if self.method in _ORDER_METHODS and (
            not isinstance(self.order, int | np.integer) or self.order < 1
        ):
            raise ValueError(
                f"method={self.method!r} needs order, a positive int, found {self.order!r}; "
                "pass e.g. order=3"
            )
        _check_limit(self.limit)

    def _fill(self, data: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        index = data.index
        if self.method in _INDEX_METHODS:
            if self.method == "time" and not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
                raise ValueError(
                    f"method='time' needs a DatetimeIndex or PeriodIndex, found "
                    f"{type(index).__name__}; use method='linear' for a regular series"
                )
            work = (
                data.set_axis(index.to_timestamp()) if isinstance(index, pd.PeriodIndex) else data
            )
        else:
            work = data.set_axis(pd.RangeIndex(len(data)))
        kwargs = {"order": self.order} if self.method in _ORDER_METHODS else {}
        filled = work.interpolate(
            method=self.method, limit=self.limit, limit_area="inside", **kwargs
        )
        filled = filled.set_axis(index)
        if not self.fill_ends:
            return filled
        leading, trailing = data.ffill().isna(), data.bfill().isna()
        return filled.mask(leading, data.bfill()).mask(trailing, data.ffill())
