"""ETS on the log scale: multiplicative growth and season handled by an additive model."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component, get_component
from catalog.base import BaseForecaster

__all__ = ["LogETSForecaster"]


@component(
    id="forecasting.log-ets",
    name="Log-ETS forecaster",
    level="molecule",
    kind="pipeline",
    tasks=["forecasting"],
    summary="Takes the log, fits an additive ETS (Holt-Winters) model, and exponentiates back.",
    tags=["exponential-smoothing", "transformation", "seasonality", "trend", "statistical"],
    capabilities=["univariate", "seasonal"],
    requires=["statsmodels>=0.14"],
    composes=["preprocessing.log", "forecasting.ets", "forecasting.transformed-target"],
    search_space={
        "damped_trend": {"type": "categorical", "choices": [True, False]},
        "trend": {"type": "categorical", "choices": [None, "add"]},
        "seasonal": {"type": "categorical", "choices": [None, "add"]},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://otexts.com/fpp3/transformations.html"],
    since="0.1.0",
)
class LogETSForecaster(BaseForecaster):
    """Additive exponential smoothing of ``log(y)``, forecast mapped back with ``exp``.

    A series whose season and noise grow with its level (airline passengers, sales)
    becomes additive on the log scale, where the additive Holt-Winters model fits it
    well. Built from ``preprocessing.log`` and ``forecasting.ets`` inside
    ``forecasting.transformed-target``; the parts are looked up with
    :func:`catalog.get_component` at fit. The back-transformed forecast is the median,
    not the mean, of the forecast distribution. ``y`` must be positive.

    Parameters
    ----------
    trend : {"add"} or None, default="add"
        Trend of the log series, or None.
    damped_trend : bool, default=False
        Damp the trend at long horizons.
    seasonal : {"add"} or None, default="add"
        Season of the log series, or None.
    sp : int, default=12
        Seasonal period in steps.

    Returns
    -------
    LogETSForecaster
        ``fit`` returns the fitted forecaster (``pipeline_`` holds the fitted parts);
        ``predict`` returns the forecast in the original units.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 3.1. https://otexts.com/fpp3/transformations.html

    Examples
    --------
    >>> from catalog.molecules.forecasting_log_ets import LogETSForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> forecast = LogETSForecaster(sp=12).fit(y).predict(12)
    >>> bool((forecast > 0).all()), str(forecast.index[0])
    (True, '2004-01')
    """

    def __init__(
        self,
        trend: str | None = "add",
        damped_trend: bool = False,
        seasonal: str | None = "add",
        sp: int = 12,
    ) -> None:
        self.trend = trend
        self.damped_trend = damped_trend
        self.seasonal = seasonal
        self.sp = sp

    def fit(self, y: Any, X: Any = None) -> LogETSForecaster:
        for name in ("trend", "seasonal"):
            if getattr(self, name) not in (None, "add"):
                raise ValueError(
                    f"{name} must be 'add' or None (the log already makes it multiplicative), "
                    f"found {getattr(self, name)!r}"
                )
        log = get_component("preprocessing.log")()
        ets = get_component("forecasting.ets")(
            error="add",
            trend=self.trend,
            damped_trend=self.damped_trend,
            seasonal=self.seasonal,
            sp=self.sp,
        )
        pipeline = get_component("forecasting.transformed-target")(transformer=log, forecaster=ets)
        self.pipeline_ = pipeline.fit(y, X)
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        return self.pipeline_.predict(fh, X)
