"""Resampling: bring a series to another sampling frequency."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.utils import Tags

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series

__all__ = ["Resampler"]

_AGGREGATIONS = ("mean", "sum", "median", "min", "max", "first", "last")


@component(
    id="preprocessing.resample",
    name="Resampler",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Resamples a series to a new frequency, aggregating each period (pandas resample).",
    tags=["resampling", "fast"],
    capabilities=["univariate", "multivariate", "missing-values", "irregular-sampling"],
    search_space={
        "aggregation": {"type": "categorical", "choices": ["mean", "sum", "median", "last"]}
    },
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class Resampler(BaseSeriesTransformer):
    """Aggregate a series into the periods of a new frequency.

    Wraps :meth:`pandas.Series.resample`: the points of each period (a quarter, a day,
    an hour) are aggregated into one value, so an irregular or too fine series becomes
    a regular one. The output has the **new** index, with its frequency set; it is
    shorter (or longer, when upsampling) than the input. Periods without any observed
    value are NaN for every aggregation (impute them next, e.g. with
    ``preprocessing.interpolate``); NaN in the input are ignored.

    A ``PeriodIndex`` stays a ``PeriodIndex`` (of the new frequency); a ``DatetimeIndex``
    stays a ``DatetimeIndex``. Frequencies are pandas aliases: ``"h"``, ``"D"``,
    ``"W"``, ``"MS"``, ``"QS"``, ``"YS"`` for any series; ``"M"``, ``"Q"``, ``"Y"`` too
    for a ``PeriodIndex``.

    Parameters
    ----------
    frequency : str, default="QS"
        Target frequency, a pandas offset alias.
    aggregation : str, default="mean"
        How the points of a period are combined: ``"mean"``, ``"sum"``, ``"median"``,
        ``"min"``, ``"max"``, ``"first"`` or ``"last"``.

    Returns
    -------
    Resampler
        ``fit`` returns the fitted resampler; ``transform`` returns a series of the same
        type as its input, indexed by the periods of the new frequency.

    See Also
    --------
    pandas.Series.resample : the resampling applied.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.resampling import Resampler
    >>> y = pd.Series(range(1, 7), index=pd.period_range("2000-01", periods=6, freq="M"))
    >>> quarterly = Resampler(frequency="Q", aggregation="sum").fit_transform(y)
    >>> quarterly.astype(float).to_dict()
    {Period('2000Q1', 'Q-DEC'): 6.0, Period('2000Q2', 'Q-DEC'): 15.0}
    """

    def __init__(self, frequency: str = "QS", aggregation: str = "mean") -> None:
        self.frequency = frequency
        self.aggregation = aggregation

    def __sklearn_tags__(self) -> Tags:
        """Stateless: ``fit`` only validates the parameters, so ``transform`` works unfitted."""
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags

    def fit(self, y: Any, X: Any = None) -> Resampler:
        data = check_series(y, allow_nan=True, min_length=1)
        self._check_params()
        self._check_index(data)
        self._route(data.index)
        self.n_channels_ = 1 if data.ndim == 1 else data.shape[1]
        return self

    def _check_params(self) -> None:
        if self.aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"aggregation must be one of {', '.join(_AGGREGATIONS)}, found {self.aggregation!r}"
            )

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        self._check_params()  # stateless: transform may run without fit
        data = check_series(y, allow_nan=True, min_length=1).astype(float)
        self._check_index(data)
        route = self._route(data.index)
        if route == "period":
            return self._aggregate(data.resample(self.frequency))
        if route == "timestamp":
            stamped = data.to_timestamp(how="start")
            return self._aggregate(stamped.resample(self.frequency)).to_period()
        return self._aggregate(data.resample(self.frequency))

    def _route(self, index: pd.Index) -> str:
        """How to resample: on time stamps, on periods, or directly on the index."""
        is_offset, is_period = _is_offset(self.frequency), _is_period_frequency(self.frequency)
        if isinstance(index, pd.PeriodIndex) and (is_offset or is_period):
            return "timestamp" if is_offset else "period"
        if isinstance(index, pd.DatetimeIndex) and is_offset:
            return "direct"
        hint = " ('M', 'Q', 'Y' are period aliases; use 'MS', 'QS', 'YS')" if is_period else ""
        raise ValueError(
            f"frequency must be a pandas offset alias such as 'h', 'D', 'MS' or 'QS', found "
            f"{self.frequency!r}{hint}"
        )

    def _aggregate(self, resampler: Any) -> pd.Series | pd.DataFrame:
        if self.aggregation == "sum":
            return resampler.sum(min_count=1)
        return getattr(resampler, self.aggregation)()

    @staticmethod
    def _check_index(data: pd.Series | pd.DataFrame) -> None:
        if not isinstance(data.index, pd.DatetimeIndex | pd.PeriodIndex):
            raise ValueError(
                f"y must have a DatetimeIndex or a PeriodIndex to be resampled, found a "
                f"{type(data.index).__name__}; set the time stamps as index first"
            )


# Period aliases that pandas < 3 also accepted (deprecated) as month/quarter/year-end
# offsets: refused on time stamps whatever the pandas version, so behaviour is one.
_PERIOD_ONLY = {"M", "Q", "Y", "A"}


def _is_offset(frequency: str) -> bool:
    if str(frequency).lstrip("0123456789").split("-")[0] in _PERIOD_ONLY:
        return False
    try:
        pd.tseries.frequencies.to_offset(frequency)
    except (TypeError, ValueError):
        return False
    return True


def _is_period_frequency(frequency: str) -> bool:
    try:
        pd.PeriodDtype(frequency)
    except (TypeError, ValueError):
        return False
    return True
