"""The end-to-end forecasting pipeline: impute, transform, forecast, transform back."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component, get_component
from catalog.base import BaseForecaster, BaseSeriesTransformer, forecast_horizon
from catalog.validation import check_series

__all__ = ["ForecastingPipeline"]


@component(
    id="forecasting.pipeline",
    name="Forecasting pipeline",
    level="organism",
    kind="pipeline",
    tasks=["forecasting"],
    summary="Imputes gaps, transforms the series, forecasts it and maps the forecast back.",
    tags=["imputation", "transformation", "exponential-smoothing", "seasonality"],
    capabilities=["univariate", "missing-values", "seasonal"],
    requires=["statsmodels>=0.14"],
    composes=["preprocessing.forward-fill", "preprocessing.log", "forecasting.ets"],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class ForecastingPipeline(BaseForecaster):
    """Impute, transform, forecast and invert the transform, as one forecaster.

    ``fit`` fills missing values with the imputer, fits the invertible transformer on
    the filled series and the forecaster on the transformed one. ``predict`` forecasts
    every step up to the furthest one asked for, applies the transformer's
    ``inverse_transform`` to that whole path (so transforms that integrate, like
    ``preprocessing.difference``, work) and returns the steps asked for. The default
    parts are looked up with :func:`catalog.get_component` at fit: forward fill, log
    and the additive Holt-Winters ETS with ``sp=12`` (a log-ETS for positive monthly
    series). Any catalog imputer, invertible transformer and forecaster can replace
    them.

    Exogenous variables ``X`` go unchanged to the forecaster, at ``fit`` and at
    ``predict``: with a forecaster that has the ``exogenous`` capability (e.g.
    ``forecasting.arima``) the pipeline uses them, with the others they are ignored.
    The pipeline does not declare the capability, since its default forecaster ignores
    ``X``. ``X`` must match the transformed series row for row: after
    ``preprocessing.difference``, drop its first ``lag * order`` rows.

    Parameters
    ----------
    imputer : BaseSeriesTransformer or None, default=None
        Fills NaN; ``None`` means ``preprocessing.forward-fill``.
    transformer : BaseSeriesTransformer, "passthrough" or None, default=None
        Invertible transformer (the ``inverse-transform`` capability); ``None`` means
        ``preprocessing.log``, ``"passthrough"`` means no transform.
    forecaster : BaseForecaster or None, default=None
        Forecaster of the transformed series; ``None`` means ``forecasting.ets``.

    Returns
    -------
    ForecastingPipeline
        ``fit`` returns the fitted pipeline (``imputer_``, ``transformer_``,
        ``forecaster_``); ``predict`` returns the forecast in the original units.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.organisms.forecasting_pipeline import ForecastingPipeline
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> y.iloc[[10, 30]] = np.nan
    >>> forecast = ForecastingPipeline().fit(y).predict([1, 12])
    >>> [str(p) for p in forecast.index], bool(forecast.notna().all())
    (['2004-01', '2004-12'], True)
    """

    def __init__(
        self,
        imputer: BaseSeriesTransformer | None = None,
        transformer: BaseSeriesTransformer | str | None = None,
        forecaster: BaseForecaster | None = None,
    ) -> None:
        self.imputer = imputer
        self.transformer = transformer
        self.forecaster = forecaster

    def fit(self, y: Any, X: Any = None) -> ForecastingPipeline:
        data = check_series(y, allow_nan=True)
        self.imputer_ = self._part(self.imputer, "preprocessing.forward-fill", "imputer")
        if isinstance(self.transformer, str) and self.transformer == "passthrough":
            self.transformer_ = None
        else:
            self.transformer_ = self._part(self.transformer, "preprocessing.log", "transformer")
            if not hasattr(self.transformer_, "inverse_transform"):
                raise ValueError(
                    f"transformer {type(self.transformer_).__name__} has no inverse_transform; "
                    "pick one with the inverse-transform capability or pass 'passthrough'"
                )
        self.forecaster_ = self._part(self.forecaster, "forecasting.ets", "forecaster")
        filled = self.imputer_.fit_transform(data)
        if self.transformer_ is not None:
            filled = self.transformer_.fit_transform(filled)
        self.forecaster_.fit(filled, X)
        return self

    @staticmethod
    def _part(value: Any, default_id: str, role: str) -> Any:
        if value is None:
            return get_component(default_id)()
        if isinstance(value, str) or not hasattr(value, "fit"):
            raise ValueError(
                f"{role} must be a catalog component instance or None (for {default_id}), "
                f"found {value!r}"
            )
        return clone(value)

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        path = self.forecaster_.predict(int(steps.max()), X)
        if self.transformer_ is not None:
            path = self.transformer_.inverse_transform(path)
        return path.iloc[steps - 1]
