"""Forecast in a transformed space and map the forecast back."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseForecaster, BaseSeriesTransformer
from catalog.validation import check_series

__all__ = ["TransformedTargetForecaster"]


@component(
    id="forecasting.transformed-target",
    name="Transformed-target forecaster",
    level="molecule",
    kind="pipeline",
    tasks=["forecasting"],
    summary="Transforms the series, forecasts it, and inverts the transform on the forecast.",
    tags=["transformation", "scaling"],
    capabilities=["univariate"],
    composes=["preprocessing.standard-scaler", "forecasting.seasonal-naive"],
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class TransformedTargetForecaster(BaseForecaster):
    """Chain an invertible series transformer and a forecaster.

    ``fit`` fits the transformer on the series and the forecaster on the transformed
    series; ``predict`` forecasts in the transformed space and applies the
    transformer's ``inverse_transform``. Any catalog transformer with the
    ``inverse-transform`` capability and any catalog forecaster can be combined.

    Exogenous variables ``X`` go unchanged to the forecaster, at ``fit`` and at
    ``predict``: with a forecaster that has the ``exogenous`` capability (e.g.
    ``forecasting.arima``) they are used, with the others ignored; the capability is
    not declared, since the default forecaster ignores ``X``.

    Parameters
    ----------
    transformer : BaseSeriesTransformer or None, default=None
        Invertible transformer; ``None`` means a standard scaler.
    forecaster : BaseForecaster or None, default=None
        Forecaster of the transformed series; ``None`` means a seasonal naive
        forecaster with ``sp=12``.

    Returns
    -------
    TransformedTargetForecaster
        ``fit`` returns the fitted pipeline; ``predict`` returns the forecast in the
        original units.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
    >>> from catalog.molecules.transformed_target import TransformedTargetForecaster
    >>> y = pd.Series([10.0, 20.0, 30.0, 40.0, 11.0, 21.0, 31.0, 41.0])
    >>> model = TransformedTargetForecaster(forecaster=SeasonalNaiveForecaster(sp=4))
    >>> model.fit(y).predict(4).round(6).tolist()
    [11.0, 21.0, 31.0, 41.0]
    """

    def __init__(
        self,
        transformer: BaseSeriesTransformer | None = None,
        forecaster: BaseForecaster | None = None,
    ) -> None:
        self.transformer = transformer
        self.forecaster = forecaster

    def fit(self, y: Any, X: Any = None) -> TransformedTargetForecaster:
        from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
        from catalog.atoms.shared.scaling import StandardScaler

        data = check_series(y)
        self.transformer_ = clone(self.transformer) if self.transformer else StandardScaler()
        self.forecaster_ = (
            clone(self.forecaster) if self.forecaster else SeasonalNaiveForecaster(sp=12)
        )
        if not hasattr(self.transformer_, "inverse_transform"):
            raise ValueError(
                f"transformer {type(self.transformer_).__name__} has no inverse_transform; "
                "pick one with the inverse-transform capability"
            )
        self.forecaster_.fit(self.transformer_.fit_transform(data), X)
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        return self.transformer_.inverse_transform(self.forecaster_.predict(fh, X))
