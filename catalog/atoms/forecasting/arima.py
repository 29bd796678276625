"""ARIMA forecasters wrapping statsmodels: fixed orders, and orders chosen by auto-ARIMA."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from catalog import component
from catalog.atoms.forecasting.statistical import (
    _positive_int,
    _StatsmodelsForecaster,
)

__all__ = ["ARIMAForecaster", "AutoARIMAForecaster"]


def _fit_arima(
    values: np.ndarray,
    order: tuple[int, int, int],
    seasonal_order: tuple[int, int, int, int],
    trend: str | None = None,
    exog: pd.DataFrame | None = None,
) -> Any:
    from statsmodels.tsa.arima.model import ARIMA

    if not any(seasonal_order[:3]):
        seasonal_order = (0, 0, 0, 0)
    model = ARIMA(values, exog=exog, order=order, seasonal_order=seasonal_order, trend=trend)
    return model.fit()


@component(
    id="forecasting.arima",
    name="ARIMA forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Seasonal ARIMA(p,d,q)(P,D,Q)sp with fixed orders, fitted by maximum likelihood.",
    tags=["statistical", "arima", "trend", "seasonality"],
    capabilities=["univariate", "seasonal", "probabilistic", "exogenous"],
    requires=["statsmodels>=0.14"],
    search_space={
        "p": {"type": "int", "low": 0, "high": 3},
        "d": {"type": "int", "low": 0, "high": 2},
        "q": {"type": "int", "low": 0, "high": 3},
        "seasonal_p": {"type": "int", "low": 0, "high": 1},
        "seasonal_d": {"type": "int", "low": 0, "high": 1},
        "seasonal_q": {"type": "int", "low": 0, "high": 1},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/arima.html"],
    since="0.1.0",
)
class ARIMAForecaster(_StatsmodelsForecaster):
    """Seasonal ARIMA with the orders given, via :class:`statsmodels.tsa.arima.model.ARIMA`.

    Without differencing the model has a constant; with differencing it has none
    (statsmodels' default). The orders are separate integers so that an AutoML search
    can sample them; ``forecasting.auto-arima`` chooses them from the data.

    With exogenous variables, ``fit(y, X)`` fits a regression on the columns of ``X``
    with ARIMA errors (statsmodels' ``exog``; the coefficients are in
    ``results_.params`` under the column names), and ``predict(fh, X)`` and
    ``predict_interval(fh, X)`` need ``X`` for the future steps ``1..max(fh)``.

    Parameters
    ----------
    p : int, default=1
        Autoregressive order.
    d : int, default=0
        Number of first differences.
    q : int, default=0
        Moving-average order.
    seasonal_p : int, default=0
        Seasonal autoregressive order (P).
    seasonal_d : int, default=0
        Number of seasonal differences (D).
    seasonal_q : int, default=0
        Seasonal moving-average order (Q).
    sp : int, default=12
        Seasonal period in steps; used only when a seasonal order is not 0.

    Returns
    -------
    ARIMAForecaster
        ``fit`` returns the fitted forecaster (``results_`` holds statsmodels'
        results); ``predict`` returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, chapter 9. https://otexts.com/fpp3/arima.html

    Examples
    --------
    >>> from catalog.atoms.forecasting.arima import ARIMAForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> model = ARIMAForecaster(p=1, d=1, seasonal_d=1).fit(y)
    >>> len(model.predict(12))
    12

    With an exogenous variable, known for the 12 future months as well:

    >>> import numpy as np
    >>> import pandas as pd
    >>> price = pd.DataFrame({"price": np.random.default_rng(1).normal(size=60)})
    >>> y_price = y + 5 * price["price"].to_numpy()[:48]
    >>> model = ARIMAForecaster(p=1, d=1, seasonal_d=1).fit(y_price, X=price.iloc[:48])
    >>> round(float(model.results_.params["price"]))
    5
    >>> len(model.predict(12, X=price.iloc[48:]))
    12
    """

    _uses_exogenous = True

    def __init__(
        self,
        p: int = 1,
        d: int = 0,
        q: int = 0,
        seasonal_p: int = 0,
        seasonal_d: int = 0,
        seasonal_q: int = 0,
        sp: int = 12,
    ) -> None:
        self.p = p
        self.d = d
        self.q = q
        self.seasonal_p = seasonal_p
        self.seasonal_d = seasonal_d
        self.seasonal_q = seasonal_q
        self.sp = sp

    def _seasonal(self) -> bool:
        return any((self.seasonal_p, self.seasonal_d, self.seasonal_q))

    def _min_length(self) -> int:
        span = self.d + self.sp * self.seasonal_d if self._seasonal() else self.d
        return span + max(self.p, self.q) + 3

    def _validate(self) -> None:
        for name in ("p", "d", "q", "seasonal_p", "seasonal_d", "seasonal_q"):
            _positive_int(name, getattr(self, name), low=0)
        _positive_int("sp", self.sp, low=2 if self._seasonal() else 1)

    def _fit_values(self, values: np.ndarray, exog: pd.DataFrame | None = None) -> Any:
        order = (self.p, self.d, self.q)
        seasonal_order = (self.seasonal_p, self.seasonal_d, self.seasonal_q, self.sp)
        return _fit_arima(values, order, seasonal_order, exog=exog)


@component(
    id="forecasting.auto-arima",
    name="Auto-ARIMA forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Chooses seasonal ARIMA orders by unit-root tests and a stepwise AICc search.",
    tags=["statistical", "arima", "trend", "seasonality"],
    capabilities=["univariate", "seasonal", "probabilistic", "exogenous"],
    requires=["statsmodels>=0.14"],
    search_space={
        "max_p": {"type": "int", "low": 1, "high": 5},
        "max_q": {"type": "int", "low": 1, "high": 5},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.18637/jss.v027.i03"],
    since="0.1.0",
)
class AutoARIMAForecaster(_StatsmodelsForecaster):
    """Seasonal ARIMA whose orders are chosen from the data (Hyndman-Khandakar).

    The stepwise algorithm of R's ``auto.arima``, on statsmodels' ARIMA (pmdarima is
    not a dependency, and aeon 1.6's ``AutoARIMA`` has no seasonal part):

    1. seasonal differences ``D``: 1 when the seasonal strength of an STL
       decomposition exceeds 0.64 (``nsdiffs``' default test), else 0;
    2. differences ``d``: repeated KPSS tests at 5 % on the (seasonally) differenced series;
    3. four starting models, (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0) and
       (0,d,1)(0,D,1), with a constant (a drift when ``d + D = 1``) if ``d + D <= 1``;
    4. moves to a neighbour (one of p, q, P, Q, or p and q, or P and Q, changed by 1,
       or the constant toggled) as long as it lowers the AICc, fitting at most
       ``max_models`` models.

    With exogenous variables, ``fit(y, X)`` works as R's ``auto.arima(xreg=)``: the
    unit-root tests of steps 1 and 2 run on the residuals of a least-squares regression
    of ``y`` on ``X``, and every candidate is a regression on ``X`` with ARIMA errors;
    ``predict(fh, X)`` then needs ``X`` for the future steps ``1..max(fh)``.

    Parameters
    ----------
    sp : int, default=1
        Seasonal period in steps; 1 searches non-seasonal models only.
    max_p : int, default=3
        Largest autoregressive order tried.
    max_q : int, default=3
        Largest moving-average order tried.
    max_d : int, default=2
        Largest number of first differences.
    max_seasonal_order : int, default=1
        Largest seasonal AR and MA orders (P and Q) tried.
    max_models : int, default=40
        Most models fitted during the search.

    Returns
    -------
    AutoARIMAForecaster
        ``fit`` returns the fitted forecaster, with the chosen ``order_``,
        ``seasonal_order_`` and ``trend_`` and ``n_models_`` fitted; ``predict``
        returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Hyndman, R.J. and Khandakar, Y. (2008). Automatic time series forecasting:
       the forecast package for R. Journal of Statistical Software 27(3).
       https://doi.org/10.18637/jss.v027.i03

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.arima import AutoARIMAForecaster
    >>> walk = pd.Series(np.cumsum(np.random.default_rng(0).normal(size=60)))
    >>> model = AutoARIMAForecaster().fit(walk)
    >>> model.order_[1]
    1
    """

    _uses_exogenous = True

    def __init__(
        self,
        sp: int = 1,
        max_p: int = 3,
        max_q: int = 3,
        max_d: int = 2,
        max_seasonal_order: int = 1,
        max_models: int = 40,
    ) -> None:
        self.sp = sp
        self.max_p = max_p
        self.max_q = max_q
        self.max_d = max_d
        self.max_seasonal_order = max_seasonal_order
        self.max_models = max_models

    def _validate(self) -> None:
        _positive_int("sp", self.sp)
        for name in ("max_p", "max_q", "max_d", "max_seasonal_order"):
            _positive_int(name, getattr(self, name), low=0)
        _positive_int("max_models", self.max_models, low=4)

    def _min_length(self) -> int:
        return 2 * self.sp + 8 if self.sp > 1 else 10

    def _differences(self, values: np.ndarray) -> tuple[int, int]:
        from statsmodels.tsa.seasonal import STL
        from statsmodels.tsa.stattools import kpss

        seasonal_d = 0
        if self.sp > 1:
            parts = STL(values, period=self.sp, robust=True).fit()
            strength = 1 - np.var(parts.resid) / np.var(parts.seasonal + parts.resid)
            seasonal_d = int(strength > 0.64)
        series = values[self.sp :] - values[: -self.sp] if seasonal_d else values
        d = 0
        while d < self.max_d and len(series) > 8 and np.ptp(series) > 0:
            with warnings.catch_warnings():
                # KPSS p-values are interpolated in a table and capped at its ends.
                warnings.simplefilter("ignore")
                p_value = kpss(series, regression="c", nlags="auto")[1]
            if p_value >= 0.05:
                break
            series, d = np.diff(series), d + 1
        return d, seasonal_d

    def _fit_values(self, values: np.ndarray, exog: pd.DataFrame | None = None) -> Any:
        if exog is None:
            d, seasonal_d = self._differences(values)
        else:
            design = np.column_stack([np.ones(len(values)), exog.to_numpy()])
            coefficients = np.linalg.lstsq(design, values, rcond=None)[0]
            d, seasonal_d = self._differences(values - design @ coefficients)
        seasonal = self.sp > 1
        top_seasonal = self.max_seasonal_order if seasonal else 0
        limits = (self.max_p, self.max_q, top_seasonal, top_seasonal)
        may_have_constant = d + seasonal_d <= 1
        drift = "c" if d + seasonal_d == 0 else "t"
        fits: dict[tuple[int, ...], Any] = {}

        def aicc(key: tuple[int, ...]) -> float:
            if key not in fits:
                if len(fits) >= self.max_models:
                    return np.inf
                p, q, big_p, big_q, constant = key
                with warnings.catch_warnings():
                    # Candidates may warn (non-stationary starts, no convergence); the
                    # AICc decides, and a failed fit counts as infinitely bad.
                    warnings.simplefilter("ignore")
                    try:
                        fits[key] = _fit_arima(
                            values,
                            (p, d, q),
                            (big_p, seasonal_d, big_q, self.sp),
                            drift if constant else "n",
                            exog,
                        )
                    except (ValueError, np.linalg.LinAlgError):
                        fits[key] = None
            result = fits[key]
            return np.inf if result is None or not np.isfinite(result.aicc) else result.aicc

        starts = [(2, 2, 1, 1), (0, 0, 0, 0), (1, 0, 1, 0), (0, 1, 0, 1)]
        keys = [
            (*(min(o, m) for o, m in zip(s, limits, strict=True)), int(may_have_constant))
            for s in starts
        ]
        best = min(keys, key=aicc)
        improved = True
        while improved:
            improved = False
            for key in self._neighbours(best, limits, may_have_constant):
                if aicc(key) < aicc(best):
                    best, improved = key, True
                    break
        if fits.get(best) is None:
            raise ValueError("no ARIMA model could be fitted to y; check it for constant stretches")
        self.order_ = (best[0], d, best[1])
        self.seasonal_order_ = (best[2], seasonal_d, best[3], self.sp if seasonal else 0)
        self.trend_ = drift if best[4] else "n"
        self.n_models_ = len(fits)
        return fits[best]

    @staticmethod
    def _neighbours(
        key: tuple[int, ...], limits: tuple[int, ...], may_have_constant: bool
    ) -> list[tuple[int, ...]]:
        moves = [(i, s) for i in range(4) for s in (-1, 1)]
        moves += [((0, 1), s) for s in (-1, 1)] + [((2, 3), s) for s in (-1, 1)]
        result = []
        for positions, step in moves:
            new = list(key)
            for i in positions if isinstance(positions, tuple) else (positions,):
                new[i] += step
            if all(0 <= new[i] <= limits[i] for i in range(4)):
                result.append(tuple(new))
        if may_have_constant:
            result.append((*key[:4], 1 - key[4]))
        return result
