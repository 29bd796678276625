"""Scalers for series: fitted on the training part, applied and undone on any part."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series, series_values

__all__ = ["MinMaxScaler", "RobustScaler", "StandardScaler"]


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
        check_is_fitted(self)
        return self._apply(y, self.scaler_.transform)

    def inverse_transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
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


@component(
    id="preprocessing.min-max-scaler",
    name="Min-max scaler",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Maps each channel linearly onto a fixed range, [0, 1] by default, invertibly.",
    tags=["scaling", "fast"],
    capabilities=["univariate", "multivariate", "inverse-transform", "missing-values"],
    search_space={"clip": {"type": "categorical", "choices": [False, True]}},
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class MinMaxScaler(_SklearnSeriesScaler):
    """Rescale each channel of a series so its training minimum and maximum map to a range.

    Wraps :class:`sklearn.preprocessing.MinMaxScaler`, applied per channel along time and
    keeping the pandas index. Values outside the training range (a forecast above the
    past maximum) map outside ``feature_range`` unless ``clip`` is true. NaN values are
    ignored when fitting and kept as NaN.

    Parameters
    ----------
    feature_range : tuple of float, default=(0.0, 1.0)
        Range ``(low, high)`` that the training minimum and maximum are mapped to.
    clip : bool, default=False
        Clip transformed values to ``feature_range`` (then the inverse is not exact
        outside the training range).

    Returns
    -------
    MinMaxScaler
        ``fit`` returns the fitted scaler; ``transform`` and ``inverse_transform``
        return a series of the same type and index as their input.

    See Also
    --------
    sklearn.preprocessing.MinMaxScaler : the scaler applied to each channel.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.scaling import MinMaxScaler
    >>> y = pd.Series([2.0, 4.0, 6.0])
    >>> scaler = MinMaxScaler().fit(y)
    >>> scaler.transform(y).tolist()
    [0.0, 0.5, 1.0]
    >>> scaler.inverse_transform(pd.Series([1.5])).tolist()
    [8.0]
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0), clip: bool = False) -> None:
        self.feature_range = feature_range
        self.clip = clip

    def _make_scaler(self) -> Any:
        from sklearn.preprocessing import MinMaxScaler as SklearnMinMaxScaler

        low_high = tuple(self.feature_range) if _is_pair(self.feature_range) else ()
        if len(low_high) != 2 or not low_high[0] < low_high[1]:
            raise ValueError(
                f"feature_range must be a pair (low, high) with low < high, found "
                f"{self.feature_range!r}; pass e.g. (0.0, 1.0)"
            )
        return SklearnMinMaxScaler(feature_range=low_high, clip=self.clip)


def _is_pair(value: Any) -> bool:
    return isinstance(value, tuple | list) and len(value) == 2


@component(
    id="preprocessing.robust-scaler",
    name="Robust scaler",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Centres each channel on its median and scales by its interquartile range, invertibly.",
    tags=["scaling", "fast"],
    capabilities=["univariate", "multivariate", "inverse-transform", "missing-values"],
    search_space={
        "with_centering": {"type": "categorical", "choices": [True, False]},
        "with_scaling": {"type": "categorical", "choices": [True, False]},
    },
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class RobustScaler(_SklearnSeriesScaler):
    """Scale each channel of a series with statistics that outliers barely move.

    Wraps :class:`sklearn.preprocessing.RobustScaler`, applied per channel along time and
    keeping the pandas index: subtract the median, divide by the range between two
    quantiles (the interquartile range by default). A good choice before anomaly
    detection, where the anomalies themselves would inflate a standard deviation. NaN
    values are ignored when fitting and kept as NaN.

    Parameters
    ----------
    with_centering : bool, default=True
        Subtract the median of each channel.
    with_scaling : bool, default=True
        Divide by the quantile range of each channel.
    quantile_range : tuple of float, default=(25.0, 75.0)
        Quantiles (in percent) whose difference is the scale.

    Returns
    -------
    RobustScaler
        ``fit`` returns the fitted scaler; ``transform`` and ``inverse_transform``
        return a series of the same type and index as their input.

    See Also
    --------
    sklearn.preprocessing.RobustScaler : the scaler applied to each channel.

    Examples
    --------
    >>> import pandas as pd
    >>> from catalog.atoms.shared.scaling import RobustScaler
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])
    >>> scaler = RobustScaler().fit(y)
    >>> scaler.transform(y).tolist()
    [-1.0, -0.5, 0.0, 0.5, 48.5]
    >>> scaler.inverse_transform(scaler.transform(y)).tolist()
    [1.0, 2.0, 3.0, 4.0, 100.0]
    """

    def __init__(
        self,
        with_centering: bool = True,
        with_scaling: bool = True,
        quantile_range: tuple[float, float] = (25.0, 75.0),
    ) -> None:
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range

    def _make_scaler(self) -> Any:
        from sklearn.preprocessing import RobustScaler as SklearnRobustScaler

        low_high = tuple(self.quantile_range) if _is_pair(self.quantile_range) else ()
        if len(low_high) != 2 or not 0 <= low_high[0] < low_high[1] <= 100:
            raise ValueError(
                f"quantile_range must be a pair (low, high) with 0 <= low < high <= 100, "
                f"found {self.quantile_range!r}; pass e.g. (25.0, 75.0)"
            )
        return SklearnRobustScaler(
            with_centering=self.with_centering,
            with_scaling=self.with_scaling,
            quantile_range=low_high,
        )
