"""Power transforms (log, Box-Cox): stabilise a variance that grows with the level."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series, series_values

__all__ = ["BoxCoxTransformer", "LogTransformer", "spread_grows_with_level"]


class _ChannelwiseTransformer(BaseSeriesTransformer):
    """Applies a function to each channel's values, keeping the index."""

    def _values(self, y: Any) -> tuple[pd.Series | pd.DataFrame, np.ndarray]:
        data = check_series(y, min_length=1)
        values = series_values(data)
        if values.shape[1] != self.n_channels_:
            raise ValueError(
                f"y has {values.shape[1]} channels but the transformer was fitted on "
                f"{self.n_channels_}"
            )
        return data, values

    @staticmethod
    def _wrap(values: np.ndarray, like: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        if isinstance(like, pd.Series):
            return pd.Series(values[:, 0], index=like.index, name=like.name)
        return pd.DataFrame(values, index=like.index, columns=like.columns)


@component(
    id="preprocessing.log",
    name="Log transformer",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Takes log(y + offset) or log1p(y + offset) to tame growing variance; invertible.",
    tags=["transformation", "fast"],
    capabilities=["univariate", "multivariate", "inverse-transform"],
    search_space={"method": {"type": "categorical", "choices": ["log", "log1p"]}},
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/transformations.html"],
    since="0.1.0",
)
class LogTransformer(_ChannelwiseTransformer):
    """Natural logarithm of a series, after adding an offset; ``exp`` undoes it.

    A multiplicative season or a variance that grows with the level becomes additive
    and constant on the log scale. ``method="log1p"`` computes ``log(1 + y + offset)``
    with :func:`numpy.log1p`, exact for values near zero, the usual choice for counts
    with zeros. ``inverse_transform`` applies :func:`numpy.exp` (or
    :func:`numpy.expm1`) and subtracts the offset.

    Parameters
    ----------
    method : {"log", "log1p"}, default="log"
        ``"log"`` needs ``y + offset > 0``; ``"log1p"`` needs ``y + offset > -1``.
    offset : float, default=0.0
        Constant added to every value before the logarithm.

    Returns
    -------
    LogTransformer
        ``fit`` returns the fitted transformer; ``transform`` and ``inverse_transform``
        return a series of the same type and index as their input.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 3.1. https://otexts.com/fpp3/transformations.html

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.power import LogTransformer
    >>> y = pd.Series([0.0, 9.0, 99.0])
    >>> log = LogTransformer(method="log1p").fit(y)
    >>> log.transform(y).round(4).tolist()
    [0.0, 2.3026, 4.6052]
    >>> log.inverse_transform(log.transform(y)).round(6).tolist()
    [0.0, 9.0, 99.0]
    """

    def __init__(self, method: str = "log", offset: float = 0.0) -> None:
        self.method = method
        self.offset = offset

    def fit(self, y: Any, X: Any = None) -> LogTransformer:
        if self.method not in ("log", "log1p"):
            raise ValueError(f"method must be 'log' or 'log1p', found {self.method!r}")
        if not isinstance(self.offset, int | float | np.number) or not np.isfinite(self.offset):
            raise ValueError(f"offset must be a finite number, found {self.offset!r}")
        self.n_channels_ = series_values(check_series(y)).shape[1]
        self.transform(y)  # refuse values outside the domain already at fit time
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        data, values = self._values(y)
        shifted = values + self.offset
        bound = 0.0 if self.method == "log" else -1.0
        if (shifted <= bound).any():
            lowest = float(values.min())
            raise ValueError(
                f"method={self.method!r} needs y + offset > {bound:g}, found a minimum of "
                f"{lowest:g} with offset={self.offset:g}; pass offset > {bound - lowest:g}"
            )
        out = np.log(shifted) if self.method == "log" else np.log1p(shifted)
        return self._wrap(out, data)

    def inverse_transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        data, values = self._values(y)
        back = np.exp(values) if self.method == "log" else np.expm1(values)
        return self._wrap(back - self.offset, data)


@component(
    id="preprocessing.box-cox",
    name="Box-Cox transformer",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Box-Cox power transform with lambda fitted by maximum likelihood or given.",
    tags=["transformation", "statistical"],
    capabilities=["univariate", "multivariate", "inverse-transform"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1111/j.2517-6161.1964.tb00553.x"],
    since="0.1.0",
)
class BoxCoxTransformer(_ChannelwiseTransformer):
    """Box-Cox transform of a positive series, ``(y**lmbda - 1) / lmbda`` (log for 0).

    Wraps :func:`scipy.stats.boxcox`, which fits ``lmbda`` per channel by maximum
    likelihood on the training series when it is not given, and
    :func:`scipy.special.inv_boxcox` for the inverse. ``lmbda=0`` is the log, ``1`` a
    shift by one.

    Parameters
    ----------
    lmbda : float or None, default=None
        The power; ``None`` fits it on the series passed to ``fit`` (one per channel).

    Returns
    -------
    BoxCoxTransformer
        ``fit`` returns the fitted transformer (``lmbdas_`` holds the power of each
        channel); ``transform`` and ``inverse_transform`` return a series of the same
        type and index as their input.

    See Also
    --------
    scipy.stats.boxcox : the transform and the fit of lambda.
    scipy.special.inv_boxcox : the inverse.

    References
    ----------
    .. [1] Box, G.E.P. and Cox, D.R. (1964). An analysis of transformations. Journal of
       the Royal Statistical Society B, 26(2), 211-252.
       https://doi.org/10.1111/j.2517-6161.1964.tb00553.x

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.power import BoxCoxTransformer
    >>> y = pd.Series([1.0, 4.0, 9.0, 16.0])
    >>> boxcox = BoxCoxTransformer(lmbda=0.5).fit(y)
    >>> boxcox.transform(y).tolist()
    [0.0, 2.0, 4.0, 6.0]
    >>> boxcox.inverse_transform(boxcox.transform(y)).round(6).tolist()
    [1.0, 4.0, 9.0, 16.0]
    >>> BoxCoxTransformer().fit(y).lmbdas_.round(2).tolist()  # fitted by maximum likelihood
    [0.33]
    """

    def __init__(self, lmbda: float | None = None) -> None:
        self.lmbda = lmbda

    def fit(self, y: Any, X: Any = None) -> BoxCoxTransformer:
        from scipy.stats import boxcox

        if self.lmbda is not None and (
            not isinstance(self.lmbda, int | float | np.number) or not np.isfinite(self.lmbda)
        ):
            raise ValueError(
                f"lmbda must be None (fitted) or a finite number, found {self.lmbda!r}"
            )
        values = series_values(check_series(y))
        self.n_channels_ = values.shape[1]
        _check_positive(values)
        if self.lmbda is None:
            if np.ptp(values, axis=0).min() == 0:
                raise ValueError(
                    "y has a constant channel, so lmbda cannot be fitted; pass lmbda "
                    "(e.g. lmbda=0.0 for the log)"
                )
            self.lmbdas_ = np.array([boxcox(column)[1] for column in values.T])
        else:
            self.lmbdas_ = np.full(values.shape[1], float(self.lmbda))
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        from scipy.special import boxcox

        data, values = self._values(y)
        _check_positive(values)
        return self._wrap(boxcox(values, self.lmbdas_), data)

    def inverse_transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        from scipy.special import inv_boxcox

        data, values = self._values(y)
        return self._wrap(inv_boxcox(values, self.lmbdas_), data)


def _check_positive(values: np.ndarray) -> None:
    if (values <= 0).any():
        raise ValueError(
            f"Box-Cox needs strictly positive values, found a minimum of {float(values.min()):g}; "
            "shift the series first or use preprocessing.log with an offset"
        )


def spread_grows_with_level(values: Any, period: int = 1) -> bool:
    """Whether a series' spread grows with its level, so a log stabilises its variance.

    Guerrero's (1993) idea behind choosing a Box-Cox lambda: cut the series into
    consecutive blocks (one season each, or 8 points when ``period < 2``), and regress
    the log of each block's standard deviation on the log of its mean; the slope
    ``b`` makes ``sd / mean**b`` constant, that is lambda = 1 - b. The answer is
    lambda rounded to the nearest of 0 (log) and 1 (no transform): ``b > 0.5``. A series
    with a value <= 0, or fewer than 4 blocks, gives ``False`` (never a log of zero).

    References
    ----------
    .. [1] Guerrero, V.M. (1993). Time-series analysis supported by power
       transformations. Journal of Forecasting 12(1).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> level = np.exp(np.linspace(0, 3, 240))
    >>> spread_grows_with_level(level * (1 + 0.1 * rng.normal(size=240)), 12)
    True
    >>> spread_grows_with_level(level + rng.normal(size=240), 12)
    False
    >>> spread_grows_with_level([0.0, 1.0, 2.0, 3.0] * 20)
    False
    """
    data = np.asarray(values, dtype=float).ravel()
    if not np.isfinite(data).all() or (data <= 0).any():
        return False
    block = period if period >= 2 else 8
    n_blocks = len(data) // block
    if n_blocks < 4:
        return False
    blocks = data[len(data) - n_blocks * block :].reshape(n_blocks, block)
    means, spreads = blocks.mean(axis=1), blocks.std(axis=1, ddof=1)
    keep = spreads > 0
    if keep.sum() < 4 or np.ptp(np.log(means[keep])) == 0:
        return False
    slope = np.polyfit(np.log(means[keep]), np.log(spreads[keep]), 1)[0]
    return bool(slope > 0.5)
