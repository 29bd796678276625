"""Anomalies as surprises: residuals of rolling forecasts, scored as robust z-scores."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_positive_int, check_univariate
from catalog.atoms.anomaly.zscore import RobustZScoreDetector
from catalog.base import BaseDetector, BaseForecaster

__all__ = ["ForecastResidualDetector"]


@component(
    id="anomaly.forecast-residual",
    name="Forecast-residual detector",
    level="molecule",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores each point by how badly a rolling forecast predicted it, in robust z-scores.",
    tags=["residual-based", "point-anomaly", "interpretable"],
    capabilities=["univariate"],
    composes=["forecasting.seasonal-naive", "anomaly.robust-zscore"],
    search_space={
        "window": {"type": "int", "low": 5, "high": 500, "log": True},
        "refit_every": {"type": "int", "low": 1, "high": 100, "log": True},
    },
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class ForecastResidualDetector(BaseDetector):
    """Flag what a forecaster of normal behaviour fails to predict.

    Every point from ``min_history`` on is forecast from the points before it. By
    default (``refit_every=None``) the forecaster is fitted once, on the training
    series, and its ``predict_one_step`` runs it over any series with those parameters
    (one pass, no refit; the naive baselines and the automatic ETS, ARIMA and Theta
    offer it). With ``refit_every=k`` the forecaster is instead refitted on the past
    every ``k`` points and forecasts the next ``k`` steps (``k=1``: rolling
    one-step-ahead forecasts, one fit per point, the 0.1 behaviour). The residuals
    ``y - forecast`` are scored with
    :class:`~catalog.atoms.anomaly.zscore.RobustZScoreDetector`, fitted on the
    residuals of the training series, so a point scores high when its forecast error
    is large compared with the recent errors. The first ``min_history`` points have no
    forecast and score 0. Any catalog forecaster fits; without ``predict_one_step`` it
    needs ``refit_every``, and costs one fit per refit.

    Parameters
    ----------
    forecaster : BaseForecaster or None, default=None
        Forecaster of normal behaviour; ``None`` means ``forecasting.seasonal-naive``
        with its defaults (``sp=12``).
    window : int, default=50
        Number of previous residuals the robust z-score compares each residual with.
    min_history : int, default=24
        Points the forecaster needs before its first forecast (at least its season).
    refit_every : int or None, default=None
        ``None``: fit once and run the fitted forecaster over the series; an int: the
        forecast horizon between two refits.

    Returns
    -------
    ForecastResidualDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    See Also
    --------
    catalog.atoms.forecasting.naive.SeasonalNaiveForecaster : the default forecaster.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
    >>> from catalog.molecules.anomaly_forecast_residual import ForecastResidualDetector
    >>> rng = np.random.default_rng(0)
    >>> y = np.tile([1.0, 3.0, 2.0, 5.0], 50) + rng.normal(0, 0.1, 200)
    >>> y[150] += 4.0
    >>> detector = ForecastResidualDetector(forecaster=SeasonalNaiveForecaster(sp=4))
    >>> scores = detector.fit(y).anomaly_score(y)
    >>> sorted(np.argsort(scores)[-2:].tolist())
    [150, 154]

    The spike is flagged, and so is its echo one season later, where the seasonal
    naive forecast repeats it.
    """

    def __init__(
        self,
        forecaster: BaseForecaster | None = None,
        window: int = 50,
        min_history: int = 24,
        refit_every: int | None = None,
    ) -> None:
        self.forecaster = forecaster
        self.window = window
        self.min_history = min_history
        self.refit_every = refit_every

    def fit(self, y: Any, X: Any = None) -> ForecastResidualDetector:
        from catalog import get_component

        check_positive_int(self.min_history, "min_history")
        if self.refit_every is not None:
            check_positive_int(self.refit_every, "refit_every")
        if self.forecaster is not None and not isinstance(self.forecaster, BaseForecaster):
            raise ValueError(
                f"forecaster must be a catalog forecaster (a BaseForecaster), found "
                f"{type(self.forecaster).__name__}; pick one with `kb catalog list`"
            )
        values = check_univariate(y, min_length=self.min_history + 2)
        self.forecaster_ = (
            clone(self.forecaster)
            if self.forecaster is not None
            else get_component("forecasting.seasonal-naive")()
        )
        if self.refit_every is None:
            if not hasattr(self.forecaster_, "predict_one_step"):
                raise ValueError(
                    f"forecaster {type(self.forecaster_).__name__} has no predict_one_step, so "
                    "it cannot be fitted once; pass refit_every=k to refit it every k points"
                )
            self.forecaster_.fit(pd.Series(values))
        residuals = self._residuals(values)
        self.zscore_ = RobustZScoreDetector(window=self.window).fit(residuals)
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        values = check_univariate(y, min_length=self.min_history + 1)
        scores = np.zeros(len(values))
        scores[self.min_history :] = self.zscore_.anomaly_score(self._residuals(values))
        return scores

    def residuals(self, y: Any) -> np.ndarray:
        """Forecast errors ``y - forecast`` of the points after the first ``min_history``."""
        check_is_fitted(self)
        return self._residuals(check_univariate(y, min_length=self.min_history + 1))

    def _residuals(self, values: np.ndarray) -> np.ndarray:
        if self.refit_every is None:
            forecasts = self.forecaster_.predict_one_step(pd.Series(values))[self.min_history :]
            if np.isnan(forecasts).any():
                raise ValueError(
                    f"the forecaster has no one-step forecast for some points after the first "
                    f"min_history={self.min_history}; raise min_history to at least its "
                    "season (sp)"
                )
            return values[self.min_history :] - forecasts
        model = clone(self.forecaster_)
        forecasts = np.empty(len(values) - self.min_history)
        start = self.min_history
        while start < len(values):
            steps = min(self.refit_every, len(values) - start)
            model.fit(pd.Series(values[:start]))
            forecasts[start - self.min_history : start - self.min_history + steps] = model.predict(
                steps
            ).to_numpy(dtype=float)
            start += steps
        return values[self.min_history :] - forecasts
