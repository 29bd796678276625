"""The end-to-end forecasting pipeline: every default decided from the series at fit time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component, get_component
from catalog.atoms.shared.power import spread_grows_with_level
from catalog.atoms.shared.seasonality import seasonal_period
from catalog.base import BaseForecaster, BaseSeriesTransformer, forecast_horizon
from catalog.validation import check_series

__all__ = ["ForecastingPipeline"]

# Seasonal ETS and ARIMA are restricted to periods up to 24 (R's ets, statsforecast):
# longer seasons (52 weeks, 168 hours) are removed by decomposition before forecasting.
MAX_MODELLED_PERIOD = 24


@component(
    id="forecasting.pipeline",
    name="Forecasting pipeline",
    level="organism",
    kind="pipeline",
    tasks=["forecasting"],
    summary="Fills gaps, finds the season and transform the data need, forecasts by combination.",
    tags=["imputation", "transformation", "seasonality", "ensemble", "automatic"],
    capabilities=["univariate", "missing-values", "seasonal"],
    requires=["statsmodels>=0.14", "statsforecast>=2.0"],
    composes=[
        "preprocessing.forward-fill",
        "preprocessing.log",
        "preprocessing.deseasonalize",
        "forecasting.combination",
    ],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class ForecastingPipeline(BaseForecaster):
    """Impute, transform, deseasonalise, forecast, and undo it all, as one forecaster.

    Every default is decided from the series at ``fit`` and recorded on the fitted
    pipeline, so the same pipeline suits monthly sales, weekly demand or hourly load:

    1. **gaps** are filled by the imputer (forward fill);
    2. **seasonal period** ``sp_``: proposed by the index's frequency (12 for months,
       4 for quarters, 52 for weeks, 7 for days, 24 for hours, none for years), kept
       only when the autocorrelation at that lag is significant (the 90% test of the M4
       benchmarks; :func:`catalog.atoms.shared.seasonality.seasonal_period`);
    3. **transform** ``transformer_``: a log only when the series is positive and its
       spread grows with its level (Guerrero's rule,
       :func:`catalog.atoms.shared.power.spread_grows_with_level`), otherwise none, so
       zeros and negative values never meet a log;
    4. **season**: up to 24 steps (months, quarters, days of the week, hours of the
       day) the forecasting models take it in their own seasonal terms; longer periods
       (52 weeks), where seasonal ETS and ARIMA are unavailable or slow, are removed
       first by classical decomposition (``preprocessing.deseasonalize``), as the M4
       benchmarks do;
    5. **forecaster**: ``forecasting.combination``, the mean of automatic ETS, ARIMA and
       Theta, each choosing its own model (combinations of statistical methods were the
       M4 competition's first lesson).

    ``predict`` forecasts the adjusted series, puts the season back, inverts the
    transform and returns the steps asked for. Any part can be replaced by a catalog
    component, and each decision can be fixed by parameter; the 0.1 default was
    ``ForecastingPipeline(sp=12, transformer=LogTransformer(), deseasonalize=False,
    forecaster=ETSForecaster(sp=12))``.

    Exogenous variables ``X`` go unchanged to the forecaster, at ``fit`` and at
    ``predict``: with a forecaster that has the ``exogenous`` capability (e.g.
    ``forecasting.arima``) the pipeline uses them, with the others they are ignored.
    ``X`` must match the transformed series row for row: after
    ``preprocessing.difference``, drop its first ``lag * order`` rows.

    Parameters
    ----------
    imputer : BaseSeriesTransformer or None, default=None
        Fills NaN; ``None`` means ``preprocessing.forward-fill``.
    transformer : BaseSeriesTransformer, "auto" or "passthrough", default="auto"
        Invertible transformer (the ``inverse-transform`` capability); ``"auto"`` is a
        log when the spread grows with the level and nothing otherwise, ``"passthrough"``
        never transforms. ``None`` is read as ``"auto"``.
    forecaster : BaseForecaster or None, default=None
        Forecaster of the adjusted series; ``None`` means ``forecasting.combination``
        (with ``sp_`` when the season is not removed first).
    sp : int or "auto", default="auto"
        Seasonal period in steps; ``"auto"`` decides it from the frequency and the data,
        1 means no season.
    deseasonalize : bool or "auto", default="auto"
        Remove the season by classical decomposition before forecasting; ``"auto"``
        does so when ``sp_ > 24`` and the forecaster is the default one (a forecaster
        you pass models the season itself, with its own ``sp``).

    Returns
    -------
    ForecastingPipeline
        ``fit`` returns the fitted pipeline (``imputer_``, ``sp_``, ``transformer_``,
        ``deseasonalizer_``, ``forecaster_``, and ``decisions_``, a dict of what was
        decided from the data); ``predict`` returns the forecast in the original units.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.organisms.forecasting_pipeline import ForecastingPipeline
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> y.iloc[[10, 30]] = np.nan
    >>> pipeline = ForecastingPipeline().fit(y)
    >>> pipeline.sp_, sorted(pipeline.decisions_)
    (12, ['deseasonalize', 'forecaster', 'sp', 'transform'])
    >>> forecast = pipeline.predict([1, 12])
    >>> [str(p) for p in forecast.index], bool(forecast.notna().all())
    (['2004-01', '2004-12'], True)
    """

    def __init__(
        self,
        imputer: BaseSeriesTransformer | None = None,
        transformer: BaseSeriesTransformer | str | None = "auto",
        forecaster: BaseForecaster | None = None,
        sp: int | str = "auto",
        deseasonalize: bool | str = "auto",
    ) -> None:
        self.imputer = imputer
        self.transformer = transformer
        self.forecaster = forecaster
        self.sp = sp
        self.deseasonalize = deseasonalize

    def fit(self, y: Any, X: Any = None) -> ForecastingPipeline:
        data = check_series(y, allow_nan=True)
        self._validate()
        self.imputer_ = self._part(self.imputer, "preprocessing.forward-fill", "imputer")
        filled = self.imputer_.fit_transform(data)
        self.sp_ = seasonal_period(filled) if self.sp == "auto" else int(self.sp)
        self.transformer_ = self._transformer(filled)
        if self.transformer_ is not None:
            filled = self._transform_step(filled)
        remove_season = self.sp_ > 1 and (
            self.deseasonalize is True
            or (
                self.deseasonalize == "auto"
                and self.forecaster is None
                and self.sp_ > MAX_MODELLED_PERIOD
            )
        )
        self.deseasonalizer_ = None
        if remove_season and len(filled) >= 2 * self.sp_:
            # On the log scale a multiplicative season is additive.
            model = "additive" if self.transformer_ is not None else "auto"
            self.deseasonalizer_ = get_component("preprocessing.deseasonalize")(
                sp=self.sp_, model=model
            )
            filled = self.deseasonalizer_.fit_transform(filled)
        if self.forecaster is None:
            member_sp = 1 if self.deseasonalizer_ is not None else self.sp_
            self.forecaster_ = get_component("forecasting.combination")(sp=member_sp)
        else:
            self.forecaster_ = self._part(self.forecaster, "forecasting.combination", "forecaster")
        self.forecaster_.fit(filled, X)
        self.decisions_ = {
            "sp": self.sp_,
            "transform": type(self.transformer_).__name__ if self.transformer_ else None,
            "deseasonalize": None if self.deseasonalizer_ is None else self.deseasonalizer_.model_,
            "forecaster": type(self.forecaster_).__name__,
        }
        return self

    def _validate(self) -> None:
        if self.sp != "auto" and (
            not isinstance(self.sp, int | np.integer) or isinstance(self.sp, bool) or self.sp < 1
        ):
            raise ValueError(f"sp must be 'auto' or an int >= 1, found {self.sp!r}")
        if self.deseasonalize not in ("auto", True, False):
            raise ValueError(
                f"deseasonalize must be 'auto', True or False, found {self.deseasonalize!r}"
            )

    def _transformer(self, filled: pd.Series) -> Any:
        if self.transformer is None or (
            isinstance(self.transformer, str) and self.transformer == "auto"
        ):
            grows = spread_grows_with_level(filled.to_numpy(dtype=float), self.sp_)
            return get_component("preprocessing.log")() if grows else None
        if isinstance(self.transformer, str) and self.transformer == "passthrough":
            return None
        transformer = self._part(self.transformer, "preprocessing.log", "transformer")
        if not hasattr(transformer, "inverse_transform"):
            raise ValueError(
                f"transformer {type(transformer).__name__} has no inverse_transform; "
                "pick one with the inverse-transform capability, or pass 'auto' or 'passthrough'"
            )
        return transformer

    def _transform_step(self, filled: pd.Series) -> pd.Series:
        try:
            return self.transformer_.fit_transform(filled)
        except ValueError as error:
            raise ValueError(
                f"the pipeline's transformer {type(self.transformer_).__name__} does not fit "
                f"this series: {error}; pass transformer='auto' (a log only for positive "
                "series whose spread grows with the level) or 'passthrough'"
            ) from error

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
        if self.deseasonalizer_ is not None:
            path = self.deseasonalizer_.inverse_transform(path)
        if self.transformer_ is not None:
            path = self.transformer_.inverse_transform(path)
        return path.iloc[steps - 1]
