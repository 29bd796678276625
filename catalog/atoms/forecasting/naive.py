"""Naive forecasters: the baselines every forecasting model must beat."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import (
    BaseForecaster,
    check_coverage,
    forecast_horizon,
    future_index,
    interval_frame,
)
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


def _residual_sd(residuals: np.ndarray, n_params: int) -> float:
    """Residual standard deviation of fpp3 section 5.5: sqrt(sum(e^2) / (n - K)); NaN if n <= K."""
    dof = len(residuals) - n_params
    return float(np.sqrt(np.sum(residuals**2) / dof)) if dof > 0 else float("nan")


class _NormalIntervalMixin:
    """``predict_interval`` for the baselines: point forecast +- z * sd of the h-step error.

    The h-step standard deviations are the closed forms of Hyndman and Athanasopoulos,
    *Forecasting: principles and practice* (3rd ed.), section 5.5, with normal errors.
    """

    def _step_sd(self, steps: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def predict_interval(
        self, fh: int | list[int], X: Any = None, coverage: float = 0.9
    ) -> pd.DataFrame:
        """Central prediction interval of nominal ``coverage`` for the steps ``fh``.

        Parameters
        ----------
        fh : int or list of int
            Horizon in steps, as for ``predict``.
        X : None
            Unused.
        coverage : float, default=0.9
            Probability that a future value falls inside, strictly between 0 and 1.

        Returns
        -------
        pandas.DataFrame
            ``lower`` and ``upper`` columns indexed by the future time points.
        """
        from scipy.stats import norm

        check_is_fitted(self)
        coverage = check_coverage(coverage)
        if not np.isfinite(self.residual_sd_):
            raise ValueError(
                f"{type(self).__name__} was fitted on too few points to estimate its error "
                "spread; fit it on a longer series to get prediction intervals"
            )
        steps = forecast_horizon(fh)
        point = self.predict(steps).to_numpy()
        half = norm.ppf(0.5 + coverage / 2) * self.residual_sd_ * self._step_sd(steps)
        return interval_frame(point - half, point + half, future_index(self.index_, steps))


@component(
    id="forecasting.seasonal-naive",
    name="Seasonal naive forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Repeats the last observed season: the baseline for seasonal series.",
    tags=["baseline", "seasonality", "fast", "interpretable"],
    capabilities=["univariate", "seasonal", "probabilistic"],
    search_space={"sp": {"type": "categorical", "choices": [1, 4, 7, 12, 24, 52]}},
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/simple-methods.html"],
    since="0.1.0",
)
class SeasonalNaiveForecaster(_NormalIntervalMixin, BaseForecaster):
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
        values = data.to_numpy(dtype=float)
        self.last_season_ = values[-self.sp :]
        self.residual_sd_ = _residual_sd(values[self.sp :] - values[: -self.sp], 0)
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        values = self.last_season_[(steps - 1) % self.sp]
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)

    def _step_sd(self, steps: np.ndarray) -> np.ndarray:
        return np.sqrt((steps - 1) // self.sp + 1.0)

    def predict_one_step(self, y: Any) -> np.ndarray:
        """One-step-ahead forecasts of every point of ``y``: the value one season before."""
        check_is_fitted(self)
        values = univariate(y, min_length=1).to_numpy()
        out = np.full(len(values), np.nan)
        out[self.sp :] = values[: -self.sp] if len(values) > self.sp else out[self.sp :]
        return out


@component(
    id="forecasting.naive",
    name="Naive forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Repeats the last observed value (random walk): the baseline for any series.",
    tags=["baseline", "fast", "interpretable"],
    capabilities=["univariate", "probabilistic"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/simple-methods.html"],
    since="0.1.0",
)
class NaiveForecaster(_NormalIntervalMixin, BaseForecaster):
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
        self.residual_sd_ = _residual_sd(np.diff(data.to_numpy()), 0)
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        values = np.full(len(steps), self.last_)
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)

    def _step_sd(self, steps: np.ndarray) -> np.ndarray:
        return np.sqrt(steps.astype(float))

    def predict_one_step(self, y: Any) -> np.ndarray:
        """One-step-ahead forecasts of every point of ``y``: the value before it."""
        check_is_fitted(self)
        values = univariate(y, min_length=1).to_numpy()
        return np.concatenate([[np.nan], values[:-1]])


@component(
    id="forecasting.drift",
    name="Drift forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Extends the line from the first to the last observation: naive plus average trend.",
    tags=["baseline", "trend", "fast", "interpretable"],
    capabilities=["univariate", "probabilistic"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/simple-methods.html"],
    since="0.1.0",
)
class DriftForecaster(_NormalIntervalMixin, BaseForecaster):
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
        self.residual_sd_ = _residual_sd(np.diff(values) - self.slope_, 1)
        self.n_diffs_ = len(values) - 1
        self.index_ = data.index
        self.name_ = data.name
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        values = self.last_ + steps * self.slope_
        return pd.Series(values, index=future_index(self.index_, steps), name=self.name_)

    def _step_sd(self, steps: np.ndarray) -> np.ndarray:
        # the forecast error adds the error of the estimated slope: h * sd / sqrt(T - 1)
        return np.sqrt(steps * (1.0 + steps / self.n_diffs_))
