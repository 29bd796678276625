"""Winsorizer: clip each channel of a series to quantiles learned on the training part.

A complete catalog component to copy: save it as ``catalog/atoms/shared/winsorizer.py``,
change the id, name and behaviour, then run ``kb catalog check`` and the conformance
suite (see the guide "Add a component").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BaseSeriesTransformer
from catalog.validation import check_series, series_values

__all__ = ["Winsorizer"]


@component(
    id="preprocessing.winsorizer",
    name="Winsorizer",
    level="atom",
    kind="preprocessor",
    tasks=["forecasting", "anomaly-detection"],
    summary="Clips each channel to quantiles learned on the training part of the series.",
    tags=["transformation", "fast"],
    capabilities=["univariate", "multivariate", "missing-values"],
    search_space={"lower": {"type": "float", "low": 0.0, "high": 0.1}},
    maturity="experimental",
    owner="your-team",
    references=["https://en.wikipedia.org/wiki/Winsorizing"],
    since="0.1.0",
)
class Winsorizer(BaseSeriesTransformer):
    """Clip every channel to its ``lower`` and ``1 - lower`` training quantiles.

    ``fit`` learns the quantiles of each channel with :func:`numpy.nanquantile`;
    ``transform`` clips any part of a series (the test part too) to them with
    :func:`numpy.clip`, keeping the pandas index. NaN values are ignored when fitting
    and kept as NaN.

    Parameters
    ----------
    lower : float, default=0.01
        Lower quantile, in ``[0, 0.5)``; the upper quantile is ``1 - lower``.

    Returns
    -------
    Winsorizer
        ``fit`` returns the fitted transformer; ``transform`` returns a series of the
        same type and index as its input.

    References
    ----------
    .. [1] Winsorizing, named after Charles P. Winsor; introduced in Dixon, W.J. (1960),
       Simplified estimation from censored normal samples, The Annals of Mathematical
       Statistics 31(2). https://en.wikipedia.org/wiki/Winsorizing

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])
    >>> Winsorizer(lower=0.25).fit(y).transform(y).tolist()
    [2.0, 2.0, 3.0, 4.0, 4.0]
    """

    def __init__(self, lower: float = 0.01) -> None:
        self.lower = lower

    def fit(self, y: Any, X: Any = None) -> Winsorizer:
        if not isinstance(self.lower, int | float) or not 0 <= self.lower < 0.5:
            raise ValueError(
                f"lower must be a float in [0, 0.5), found {self.lower!r}; pass e.g. lower=0.01"
            )
        values = series_values(check_series(y, allow_nan=True))
        self.low_ = np.nanquantile(values, self.lower, axis=0)
        self.high_ = np.nanquantile(values, 1 - self.lower, axis=0)
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        data = check_series(y, allow_nan=True, min_length=1)
        values = series_values(data)
        if values.shape[1] != len(self.low_):
            raise ValueError(
                f"y has {values.shape[1]} channels but the winsorizer was fitted on "
                f"{len(self.low_)}; transform a series shaped like the training one"
            )
        clipped = np.clip(values, self.low_, self.high_)
        if isinstance(data, pd.Series):
            return pd.Series(clipped[:, 0], index=data.index, name=data.name)
        return pd.DataFrame(clipped, index=data.index, columns=data.columns)
