"""Statistical forecasters wrapping statsmodels: ETS (Holt-Winters) and Theta.

The ARIMA family lives in :mod:`catalog.atoms.forecasting.arima`.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.forecasting.naive import univariate
from catalog.base import (
    BaseForecaster,
    check_coverage,
    forecast_horizon,
    future_index,
    interval_frame,
)
from catalog.validation import check_exogenous, check_future_exogenous

__all__ = ["ETSForecaster", "ThetaForecaster"]


def _positive_int(name: str, value: Any, low: int = 1) -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, found {value!r}")


def _choice(name: str, value: Any, choices: tuple[Any, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, found {value!r}")


class _StatsmodelsForecaster(BaseForecaster):
    """Shared plumbing: validate, fit a statsmodels model on the values, forecast a path.

    A subclass with ``_uses_exogenous = True`` (and the ``exogenous`` capability) gets
    the validated exogenous variables: a float ``DataFrame`` (or ``None``) in
    ``_fit_values``, and the future rows as an array in ``_forecast_path`` and
    ``_interval_path``; the others ignore ``X``.
    """

    _uses_exogenous: ClassVar[bool] = False

    def _validate(self) -> None:
        """Check the constructor arguments; raise ValueError naming the bad one."""

    def _fit_values(self, values: np.ndarray, exog: pd.DataFrame | None = None) -> Any:
        raise NotImplementedError

    def _min_length(self) -> int:
        return 3

    def fit(self, y: Any, X: Any = None) -> _StatsmodelsForecaster:
        data = univariate(y)
        self._validate()
        if len(data) < self._min_length():
            raise ValueError(
                f"y needs at least {self._min_length()} time points for "
                f"{type(self).__name__} with these parameters, found {len(data)}; pass a "
                "longer series or a smaller sp"
            )
        if self._uses_exogenous:
            exog = check_exogenous(X, data.index)
            self.exog_columns_ = None if exog is None else list(exog.columns)
            # statsmodels names the coefficients after the columns of a DataFrame.
            exog = None if exog is None else exog.reset_index(drop=True)
            self.results_ = self._fit_values(data.to_numpy(), exog)
        else:
            self.results_ = self._fit_values(data.to_numpy())
        self.index_ = data.index
        self.name_ = data.name
        return self

    def _future_exog(self, X: Any, horizon: int) -> np.ndarray | None:
        """The future exogenous rows of steps 1..horizon, or None (none used at fit)."""
        if not self._uses_exogenous:
            return None
        future = future_index(self.index_, np.arange(1, horizon + 1))
        exog = check_future_exogenous(X, future, self.exog_columns_, owner=type(self).__name__)
        return None if exog is None else exog.to_numpy()

    def _forecast_path(self, horizon: int, exog: np.ndarray | None = None) -> Any:
        if exog is None:
            return self.results_.forecast(horizon)
        return self.results_.forecast(horizon, exog=exog)

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        horizon = int(steps.max())
        exog = self._future_exog(X, horizon)
        raw = self._forecast_path(horizon) if exog is None else self._forecast_path(horizon, exog)
        path = np.asarray(raw, dtype=float)
        return pd.Series(path[steps - 1], index=future_index(self.index_, steps), name=self.name_)

    def _interval_path(
        self, horizon: int, coverage: float, exog: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds for steps 1..horizon, from the model's forecast errors."""
        forecast = (
            self.results_.get_forecast(horizon)
            if exog is None
            else self.results_.get_forecast(horizon, exog=exog)
        )
        frame = forecast.summary_frame(alpha=1.0 - coverage)
        return frame["mean_ci_lower"].to_numpy(), frame["mean_ci_upper"].to_numpy()

    def predict_interval(
        self, fh: int | list[int], X: Any = None, coverage: float = 0.9
    ) -> pd.DataFrame:
        """Central prediction interval of nominal ``coverage`` for the steps ``fh``.

        Parameters
        ----------
        fh : int or list of int
            Horizon in steps, as for ``predict``.
        X : DataFrame, 2-D array or None, default=None
            Exogenous variables of steps ``1..max(fh)``, as for ``predict``; needed
            when the forecaster was fitted with ``X``, ignored by forecasters without
            the ``exogenous`` capability.
        coverage : float, default=0.9
            Probability that a future value falls inside, strictly between 0 and 1.

        Returns
        -------
        pandas.DataFrame
            ``lower`` and ``upper`` columns indexed by the future time points.
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        steps = forecast_horizon(fh)
        horizon = int(steps.max())
        exog = self._future_exog(X, horizon)
        lower, upper = (
            self._interval_path(horizon, coverage)
            if exog is None
            else self._interval_path(horizon, coverage, exog)
        )
        return interval_frame(
            np.asarray(lower, dtype=float)[steps - 1],
            np.asarray(upper, dtype=float)[steps - 1],
            future_index(self.index_, steps),
        )


@component(
    id="forecasting.ets",
    name="ETS (exponential smoothing) forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Error-trend-season exponential smoothing (Holt-Winters), fixed or chosen by AICc.",
    tags=["statistical", "exponential-smoothing", "trend", "seasonality", "interpretable"],
    capabilities=["univariate", "seasonal", "probabilistic"],
    requires=["statsmodels>=0.14"],
    search_space={
        "trend": {"type": "categorical", "choices": [None, "add", "mul"]},
        "damped_trend": {"type": "categorical", "choices": [True, False]},
        "seasonal": {"type": "categorical", "choices": [None, "add", "mul"]},
        "error": {"type": "categorical", "choices": ["add", "mul"]},
    },
    maturity="stable",
    owner="atomkb",
    references=[
        "https://otexts.com/fpp3/ets.html",
        "https://doi.org/10.1016/j.ijforecast.2006.01.001",
    ],
    since="0.1.0",
)
class ETSForecaster(_StatsmodelsForecaster):
    """Exponential smoothing state-space model (ETS), fitted by maximum likelihood.

    Wraps :class:`statsmodels.tsa.exponential_smoothing.ets.ETSModel`. The defaults give
    the additive Holt-Winters model ETS(A,A,A). With ``auto=True`` the model is chosen
    by AICc among every error/trend/season combination that fits the data (the
    multiplicative ones only for positive series; additive error with multiplicative
    season is left out as numerically unstable, as in R's ``ets``), ignoring ``error``,
    ``trend``, ``damped_trend`` and ``seasonal``; seasonal candidates need two full
    seasons of data and ``sp >= 2``.

    Parameters
    ----------
    error : {"add", "mul"}, default="add"
        Additive or multiplicative error.
    trend : {"add", "mul"} or None, default="add"
        Trend component, or None for no trend.
    damped_trend : bool, default=False
        Damp the trend towards a flat line at long horizons.
    seasonal : {"add", "mul"} or None, default="add"
        Seasonal component, or None for no season.
    sp : int, default=12
        Seasonal period in steps; the series needs two full seasons.
    auto : bool, default=False
        Choose the model by AICc instead of using the four arguments above.

    Returns
    -------
    ETSForecaster
        ``fit`` returns the fitted forecaster (``results_`` holds statsmodels' results,
        ``spec_`` the chosen error/trend/damped/season); ``predict`` a ``pandas.Series``.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, chapter 8. https://otexts.com/fpp3/ets.html
    .. [2] Hyndman, R.J., Koehler, A.B., Snyder, R.D. and Grose, S. (2002). A state space
       framework for automatic forecasting using exponential smoothing methods. IJF 18(3).

    Examples
    --------
    >>> from catalog.atoms.forecasting.statistical import ETSForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> forecast = ETSForecaster(sp=12).fit(y).predict(3)
    >>> [str(p) for p in forecast.index]
    ['2004-01', '2004-02', '2004-03']
    """

    def __init__(
        self,
        error: str = "add",
        trend: str | None = "add",
        damped_trend: bool = False,
        seasonal: str | None = "add",
        sp: int = 12,
        auto: bool = False,
    ) -> None:
        self.error = error
        self.trend = trend
        self.damped_trend = damped_trend
        self.seasonal = seasonal
        self.sp = sp
        self.auto = auto

    def _min_length(self) -> int:
        return 2 * self.sp + 1 if self.seasonal and not self.auto and self.sp > 1 else 4

    def _validate(self) -> None:
        _choice("error", self.error, ("add", "mul"))
        _choice("trend", self.trend, (None, "add", "mul"))
        _choice("seasonal", self.seasonal, (None, "add", "mul"))
        _positive_int("sp", self.sp)

    def _fit_values(self, values: np.ndarray) -> Any:
        positive = bool((values > 0).all())
        if self.auto:
            candidates = self._candidates(positive, len(values) > 2 * self.sp and self.sp > 1)
        else:
            if "mul" in (self.error, self.trend, self.seasonal) and not positive:
                raise ValueError(
                    "multiplicative error, trend or season needs a strictly positive y; "
                    "use additive components or shift the series"
                )
            if self.seasonal and self.sp < 2:
                raise ValueError(f"a seasonal ETS needs sp >= 2, found sp={self.sp}")
            candidates = [
                (self.error, self.trend, self.damped_trend and bool(self.trend), self.seasonal)
            ]
        best, best_spec = None, None
        for spec in candidates:
            with warnings.catch_warnings():
                # Many candidates of the AICc search do not converge; only the best is kept.
                if self.auto:
                    warnings.simplefilter("ignore")
                results = self._fit_one(values, spec)
            if best is None or results.aicc < best.aicc:
                best, best_spec = results, spec
        self.spec_ = dict(
            zip(("error", "trend", "damped_trend", "seasonal"), best_spec, strict=True)
        )
        return best

    def _candidates(self, positive: bool, seasonal: bool) -> list[tuple[Any, ...]]:
        specs = []
        for error in ("add", "mul") if positive else ("add",):
            for trend, damped in ((None, False), ("add", False), ("add", True)):
                seasons = (None, "add", "mul") if seasonal and positive else (None, "add")
                for season in seasons if seasonal else (None,):
                    if not (error == "add" and season == "mul"):
                        specs.append((error, trend, damped, season))
        return specs

    def _interval_path(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        # Analytic for the additive models; simulated (1,000 paths, seeded) otherwise.
        n = self.results_.nobs
        prediction = self.results_.get_prediction(
            start=n, end=n + horizon - 1, rng=np.random.RandomState(0)
        )
        frame = prediction.summary_frame(alpha=1.0 - coverage)
        return frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()

    def _fit_one(self, values: np.ndarray, spec: tuple[Any, ...]) -> Any:
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        error, trend, damped, seasonal = spec
        model = ETSModel(
            pd.Series(values),  # statsmodels' get_prediction (intervals) needs pandas data
            error=error,
            trend=trend,
            damped_trend=damped,
            seasonal=seasonal,
            seasonal_periods=self.sp if seasonal else None,
        )
        return model.fit(disp=False)


@component(
    id="forecasting.theta",
    name="Theta forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Theta method: drift of a linear trend plus exponential smoothing, deseasonalised.",
    tags=["statistical", "exponential-smoothing", "trend", "seasonality", "fast"],
    capabilities=["univariate", "seasonal", "probabilistic"],
    requires=["statsmodels>=0.14"],
    search_space={
        "theta": {"type": "float", "low": 1.0, "high": 4.0},
        "deseasonalize": {"type": "categorical", "choices": [True, False]},
    },
    maturity="stable",
    owner="atomkb",
    references=[
        "https://doi.org/10.1016/S0169-2070(00)00066-2",
        "https://doi.org/10.1016/S0169-2070(03)00002-5",
    ],
    since="0.1.0",
)
class ThetaForecaster(_StatsmodelsForecaster):
    """The Theta method of Assimakopoulos and Nikolopoulos, via statsmodels' ``ThetaModel``.

    The series is deseasonalised (multiplicatively for a positive series) when a test
    finds seasonality at period ``sp``; the forecast combines the linear trend, with
    weight ``1 / theta``, with simple exponential smoothing, as shown by Hyndman and
    Billah to be SES with drift.

    Parameters
    ----------
    sp : int, default=12
        Seasonal period in steps; 1 means no deseasonalising.
    deseasonalize : bool, default=True
        Test for seasonality at ``sp`` and remove it before fitting.
    theta : float, default=2.0
        Theta parameter (>= 1); 2 is the classical method.

    Returns
    -------
    ThetaForecaster
        ``fit`` returns the fitted forecaster (``results_`` holds statsmodels'
        results); ``predict`` returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Assimakopoulos, V. and Nikolopoulos, K. (2000). The theta model: a
       decomposition approach to forecasting. IJF 16(4).
    .. [2] Hyndman, R.J. and Billah, B. (2003). Unmasking the Theta method. IJF 19(2).

    Examples
    --------
    >>> from catalog.atoms.forecasting.statistical import ThetaForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> bool(ThetaForecaster(sp=12).fit(y).predict(12).gt(y.mean()).all())
    True
    """

    def __init__(self, sp: int = 12, deseasonalize: bool = True, theta: float = 2.0) -> None:
        self.sp = sp
        self.deseasonalize = deseasonalize
        self.theta = theta

    def _validate(self) -> None:
        _positive_int("sp", self.sp)
        if not isinstance(self.theta, int | float) or not self.theta >= 1:
            raise ValueError(f"theta must be a number >= 1, found {self.theta!r}")

    def _min_length(self) -> int:
        return 2 * self.sp if self.deseasonalize and self.sp > 1 else 4

    def _fit_values(self, values: np.ndarray) -> Any:
        from statsmodels.tsa.forecasting.theta import ThetaModel

        use_season = bool(self.deseasonalize and self.sp > 1)
        model = ThetaModel(values, period=self.sp, deseasonalize=use_season)
        return model.fit()

    def _forecast_path(self, horizon: int) -> Any:
        return self.results_.forecast(horizon, theta=self.theta)

    def _interval_path(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        frame = self.results_.prediction_intervals(horizon, theta=self.theta, alpha=1.0 - coverage)
        return frame["lower"].to_numpy(), frame["upper"].to_numpy()
