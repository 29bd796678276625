"""Scalers for series: fitted on the training part, applied and undone on any part."""

from __future__ import annotations

from typing import Any

import pandas as pd

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series, series_values

__all__ = ["StandardScaler"]


class _SklearnSeriesScaler(BaseSeriesTransformer):
    """Applies a scikit-learn scaler channel-wise to a series, keeping its index."""

    def _make_scaler(self) -> Any:
        raise NotImplementedError

    def fit(self, y: Any, X: Any = None) -> _SklearnSeriesScaler:
        data = check_series(y, allow_nan="missing-values" in self._capabilities())
        self.scaler_ = self._make_scaler().fit(series_values(data))
        self.n_channels_ = series_values(data).shape[1]
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        return self._apply(y, self.scaler_.transform)

    def inverse_transform(self, y: Any) -> pd.Series | pd.DataFrame:
        return self._apply(y, self.scaler_.inverse_transform)

    def _apply(self, y: Any, function: Any) -> pd.Series | pd.DataFrame:
        data = check_series(y, allow_nan="missing-values" in self._capabilities(), min_length=1)
        values = series_values(data)
        if values.shape[1] != self.n_channels_:
            raise ValueError(
                f"y has {values.shape[1]} channels but the scaler was fitted on {self.n_channels_}"
            )
        out = function(values)
        if isinstance(data, pd.Series):
            return pd.Series(out[:, 0], index=data.index, name=data.name)
        return pd.DataFrame(out, index=data.index, columns=data.columns)

    @classmethod
    def _capabilities(cls) -> list[str]:
        return cls.__kb_component__.get("capabilities", [])  # type: ignore[attr-defined]


@component(
    id="preprocessing.standard-scaler",
    name="Standard scaler",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Centres each channel to mean 0 and scales it to unit variance, invertibly.",
    tags=["scaling", "fast"],
    capabilities=["univariate", "multivariate", "inverse-transform", "missing-values"],
    search_space={
        "with_mean": {"type": "categorical", "choices": [True, False]},
        "with_std": {"type": "categorical", "choices": [True, False]},
    },
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class StandardScaler(_SklearnSeriesScaler):
    """Standardise each channel of a series: subtract the mean, divide by the deviation.

    Wraps :class:`sklearn.preprocessing.StandardScaler`, applied per channel along time
    and keeping the pandas index, so it can be fitted on the training part of a series
    and undone on forecasts. NaN values are ignored when fitting and kept as NaN.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the mean of each channel.
    with_std : bool, default=True
        Divide by the standard deviation of each channel.

    Returns
    -------
    StandardScaler
        ``fit`` returns the fitted scaler; ``transform`` and ``inverse_transform``
        return a series of the same type and index as their input.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : the scaler applied to each channel.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.scaling import StandardScaler
    >>> y = pd.Series([1.0, 2.0, 3.0])
    >>> scaler = StandardScaler().fit(y)
    >>> scaler.transform(y).round(3).tolist()
    [-1.225, 0.0, 1.225]
    >>> scaler.inverse_transform(scaler.transform(y)).tolist()
    [1.0, 2.0, 3.0]
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def _make_scaler(self) -> Any:
        from sklearn.preprocessing import StandardScaler as SklearnStandardScaler

        return SklearnStandardScaler(with_mean=self.with_mean, with_std=self.with_std)
