"""Rolling z-score detectors: how far each point lies from its recent past."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_channels, check_positive_int
from catalog.base import BaseDetector
from catalog.validation import check_series, series_values

__all__ = ["RobustZScoreDetector", "RollingZScoreDetector"]

_TINY = 1e-12
_FLOOR_RATIO = 0.1


class _TrailingWindowDetector(BaseDetector):
    """Scores ``|x_t - centre| / scale`` with both taken over the previous ``window`` points.

    The point itself is left out of its window, so a spike cannot inflate its own scale.
    A window's scale counts as at least ``floor_``, a tenth of the median scale of the
    training series' windows, so a flat stretch does not turn a small step into a score
    of 1e8.
    Points with fewer than ``window`` predecessors use the centre and scale of the
    training series. With several channels a point's score is its largest channel score.
    """

    window: int

    def _centre_and_scale(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Centre and scale per channel of a whole array (time, channels)."""
        raise NotImplementedError

    def _rolling(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Centre and scale of the previous ``window`` points; NaN where there are fewer."""
        raise NotImplementedError

    def fit(self, y: Any, X: Any = None) -> _TrailingWindowDetector:
        values = series_values(check_series(y))
        check_positive_int(self.window, "window", minimum=2)
        self.center_, scale = self._centre_and_scale(values)
        with warnings.catch_warnings():  # all-NaN columns: a training series <= window
            warnings.simplefilter("ignore", RuntimeWarning)
            typical = np.nanmedian(self._rolling(values)[1], axis=0)
        # A window's spread counts down to a tenth of the typical spread of the training
        # windows (their whole spread if none, 1 for a constant series as in scikit-learn's
        # scalers): a flat stretch then makes a step score about 10x its size in typical
        # spreads, not 1e8.
        typical = np.where(np.isfinite(typical) & (typical > _TINY), typical, scale)
        typical = np.where(np.isfinite(typical) & (typical > _TINY), typical, 1.0)
        self.floor_ = _FLOOR_RATIO * typical
        self.scale_ = np.maximum(scale, self.floor_)
        self.n_channels_ = values.shape[1]
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        values = series_values(check_series(y, min_length=1))
        check_channels(values, self.n_channels_)
        centre, scale = self._rolling(values)
        centre = np.where(np.isnan(centre), self.center_, centre)
        scale = np.where(np.isnan(scale), self.scale_, scale)
        z = np.abs(values - centre) / np.maximum(scale, self.floor_)
        return z.max(axis=1)


@component(
    id="anomaly.rolling-zscore",
    name="Rolling z-score detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores each point by its distance to the mean of the previous window, in deviations.",
    tags=["baseline", "statistical", "point-anomaly", "window", "fast", "interpretable"],
    capabilities=["univariate", "multivariate"],
    search_space={"window": {"type": "int", "low": 5, "high": 500, "log": True}},
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class RollingZScoreDetector(_TrailingWindowDetector):
    """Absolute z-score of each point against the mean and deviation of its recent past.

    The score of point ``t`` is ``|y[t] - mean(y[t-w:t])| / std(y[t-w:t])`` with
    ``w = window``, computed with pandas' rolling windows. The first ``window`` points,
    which have a shorter past, are compared with the mean and deviation of the training
    series. Mean and deviation are themselves pulled by outliers in the window; prefer
    :class:`RobustZScoreDetector` on series with frequent spikes.

    Parameters
    ----------
    window : int, default=50
        Number of previous points the mean and deviation are computed over (>= 2).

    Returns
    -------
    RollingZScoreDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous (in standard deviations).

    See Also
    --------
    pandas.Series.rolling : the rolling mean and standard deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.zscore import RollingZScoreDetector
    >>> y = np.sin(np.linspace(0, 20, 200))
    >>> y[120] = 5.0
    >>> scores = RollingZScoreDetector(window=20).fit(y).anomaly_score(y)
    >>> int(np.argmax(scores))
    120
    """

    def __init__(self, window: int = 50) -> None:
        self.window = window

    def _centre_and_scale(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return values.mean(axis=0), values.std(axis=0, ddof=1)

    def _rolling(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        past = pd.DataFrame(values).shift(1).rolling(self.window, min_periods=self.window)
        return past.mean().to_numpy(), past.std(ddof=1).to_numpy()


@component(
    id="anomaly.robust-zscore",
    name="Robust rolling z-score detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores each point by its distance to the rolling median of its past, in scaled MADs.",
    tags=["baseline", "statistical", "point-anomaly", "window", "interpretable"],
    capabilities=["univariate", "multivariate"],
    search_space={"window": {"type": "int", "low": 5, "high": 500, "log": True}},
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1080/01621459.1993.10476408"],
    since="0.1.0",
)
class RobustZScoreDetector(_TrailingWindowDetector):
    """Robust z-score of each point: distance to the rolling median in scaled MADs.

    The score of point ``t`` is ``|y[t] - median(p)| / MAD(p)`` over its past
    ``p = y[t-w:t]`` with ``w = window``, where the median absolute deviation is
    scaled by 1.4826 (:func:`scipy.stats.median_abs_deviation` with ``scale="normal"``)
    so that it estimates the standard deviation of Gaussian noise. Median and MAD break
    down only when half the window is anomalous, so bursts of spikes do not hide each
    other. The first ``window`` points use the median and MAD of the training series.

    Parameters
    ----------
    window : int, default=50
        Number of previous points the median and MAD are computed over (>= 2).

    Returns
    -------
    RobustZScoreDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    References
    ----------
    .. [1] Rousseeuw, P.J. and Croux, C. (1993). Alternatives to the median absolute
       deviation. Journal of the American Statistical Association, 88(424), 1273-1283.
       https://doi.org/10.1080/01621459.1993.10476408

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.zscore import RobustZScoreDetector
    >>> y = np.sin(np.linspace(0, 20, 200))
    >>> y[[60, 61, 120]] = 5.0
    >>> scores = RobustZScoreDetector(window=20).fit(y).anomaly_score(y)
    >>> sorted(np.argsort(scores)[-3:].tolist())
    [60, 61, 120]
    """

    def __init__(self, window: int = 50) -> None:
        self.window = window

    def _centre_and_scale(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from scipy.stats import median_abs_deviation

        return np.median(values, axis=0), median_abs_deviation(values, axis=0, scale="normal")

    def _rolling(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from scipy.stats import median_abs_deviation

        centre = np.full(values.shape, np.nan)
        scale = np.full(values.shape, np.nan)
        if len(values) > self.window:
            # windows[i] covers points i .. i+window-1: the past of point i+window
            windows = np.lib.stride_tricks.sliding_window_view(values, self.window, axis=0)[:-1]
            centre[self.window :] = np.median(windows, axis=-1)
            scale[self.window :] = median_abs_deviation(windows, axis=-1, scale="normal")
        return centre, scale
