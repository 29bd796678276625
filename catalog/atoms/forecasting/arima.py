"""ARIMA forecasters wrapping statsmodels: fixed orders, and orders chosen by auto-ARIMA."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from catalog import component
from catalog.atoms.forecasting._statsforecast import _StatsforecastForecaster
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
    requires=["statsforecast>=2.0"],
    search_space={
        "max_p": {"type": "int", "low": 1, "high": 5},
        "max_q": {"type": "int", "low": 1, "high": 5},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.18637/jss.v027.i03"],
    since="0.1.0",
)
class AutoARIMAForecaster(_StatsforecastForecaster):
    """Seasonal ARIMA whose orders are chosen from the data (Hyndman-Khandakar).

    statsforecast's ``AutoARIMA``, a compiled port of R's ``auto.arima``: seasonal
    differences ``D`` from a seasonal-strength test, differences ``d`` from repeated
    KPSS tests, then a stepwise search over ``p, q, P, Q`` and the constant (a drift
    when ``d + D = 1``) by AICc, fitting at most ``max_models`` models. A fit takes
    milliseconds to a few seconds (the first in a process also compiles it, about 6 s).
    Seasonal periods above 24 make the search slow: remove such a season first with
    ``preprocessing.deseasonalize`` (as ``forecasting.pipeline`` does).

    With exogenous variables, ``fit(y, X)`` works as R's ``auto.arima(xreg=)``: a
    regression on the columns of ``X`` with ARIMA errors, the unit-root tests run on
    the regression's residuals; ``predict(fh, X)`` then needs ``X`` for the future
    steps ``1..max(fh)``.

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
        Most models fitted during the stepwise search.

    Returns
    -------
    AutoARIMAForecaster
        ``fit`` returns the fitted forecaster, with the chosen ``order_``,
        ``seasonal_order_``, ``trend_`` (``"c"`` constant, ``"t"`` drift, ``"n"``
        none) and ``coefficients_`` (a ``Series``; the regression's under the
        columns of ``X``); ``predict`` returns a ``pandas.Series`` on the future index.

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

    def _model(self) -> Any:
        from statsforecast.models import AutoARIMA

        return AutoARIMA(
            season_length=self.sp,
            seasonal=self.sp > 1,
            max_p=self.max_p,
            max_q=self.max_q,
            max_d=self.max_d,
            max_P=self.max_seasonal_order,
            max_Q=self.max_seasonal_order,
            start_p=min(2, self.max_p),
            start_q=min(2, self.max_q),
            start_P=min(1, self.max_seasonal_order),
            start_Q=min(1, self.max_seasonal_order),
            nmodels=self.max_models,
        )

    def _fit_values(self, values: np.ndarray, exog: pd.DataFrame | None = None) -> Any:
        try:
            results = super()._fit_values(values, exog)
        except (ValueError, np.linalg.LinAlgError) as error:
            raise ValueError(
                f"no ARIMA model could be fitted to y ({error}); check it for constant stretches"
            ) from error
        p, q, big_p, big_q, m, d, big_d = (int(v) for v in results.model_["arma"])
        self.order_ = (p, d, q)
        self.seasonal_order_ = (big_p, big_d, big_q, m if self.sp > 1 else 0)
        coefficients = dict(results.model_["coef"])
        self.trend_ = (
            "t" if "drift" in coefficients else "c" if "intercept" in coefficients else "n"
        )
        # statsforecast names the regression coefficients ex_1, ex_2, ...: use X's columns.
        for i, column in enumerate(self.exog_columns_ or [], start=1):
            coefficients[column] = coefficients.pop(f"ex_{i}")
        self.coefficients_ = pd.Series(coefficients, dtype=float)
        return results
