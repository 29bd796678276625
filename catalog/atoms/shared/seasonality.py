"""Seasonal periods decided from the data: the frequency proposes, the autocorrelation confirms.

One owner for "what is this series' period": the forecasting organism (seasonal period),
the anomaly organism (window length) and ``kb scaffold`` (backtest sizing) all ask here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "dominant_period",
    "frequency_period",
    "is_seasonal",
    "seasonal_period",
]

# pandas frequency (its base, without multiples or anchors) -> the usual seasonal period
_PERIODS = {"h": 24, "H": 24, "D": 7, "B": 5, "W": 52, "M": 12, "MS": 12, "ME": 12, "BM": 12}
_PERIODS.update({"BME": 12, "BMS": 12, "SM": 24, "SMS": 24, "Q": 4, "QS": 4, "QE": 4})
_PERIODS.update({"BQ": 4, "BQE": 4, "BQS": 4, "Y": 1, "YS": 1, "YE": 1, "A": 1, "AS": 1})
# Sub-hourly data has no usual period (an hour? a day of 1,440 minutes?): none is proposed.


def _frequency_string(index: Any) -> str | None:
    if isinstance(index, str) or index is None:
        return index
    if isinstance(index, pd.PeriodIndex):
        return index.freqstr
    if isinstance(index, pd.DatetimeIndex):
        return index.freqstr or pd.infer_freq(index) if len(index) >= 3 else index.freqstr
    return None


def frequency_period(index: Any) -> int:
    """The usual seasonal period of data at the frequency of ``index``; 1 when none applies.

    ``index`` is a ``DatetimeIndex`` (its ``freq``, or the inferred one), a
    ``PeriodIndex``, or a pandas frequency string. Months give 12, quarters 4, weeks 52,
    days 7, business days 5, hours 24; years, minutes, seconds, integer indexes and
    unknown frequencies give 1.

    Examples
    --------
    >>> frequency_period("MS"), frequency_period("D"), frequency_period("W-SUN")
    (12, 7, 52)
    >>> frequency_period(pd.period_range("2000Q1", periods=8, freq="Q")), frequency_period(None)
    (4, 1)
    """
    freq = _frequency_string(index)
    if not freq:
        return 1
    base = freq.split("-")[0].lstrip("0123456789")
    return _PERIODS.get(base, _PERIODS.get(base.upper(), 1))


def _acf(values: np.ndarray, nlags: int) -> np.ndarray:
    from statsmodels.tsa.stattools import acf

    return acf(values, nlags=nlags, fft=True, missing="conservative")


def is_seasonal(values: Any, period: int, confidence: float = 0.90) -> bool:
    """Whether the autocorrelation at lag ``period`` is significant (the M4 benchmarks' test).

    The test of the M4 competition's Naive2 and Theta benchmarks: the lag-``period``
    autocorrelation exceeds ``z * sqrt((1 + 2 * sum(r_k^2, k < period)) / n)`` (Bartlett's
    standard error, one-sided ``confidence``). Needs at least ``3 * period`` points;
    shorter series, ``period < 2`` and constant series are not seasonal.

    Examples
    --------
    >>> t = np.arange(120)
    >>> is_seasonal(np.sin(2 * np.pi * t / 12) + 0.01 * t, 12)
    True
    >>> is_seasonal(np.random.default_rng(0).normal(size=120), 12)
    False
    """
    from scipy.stats import norm

    data = np.asarray(values, dtype=float).ravel()
    data = data[np.isfinite(data)]
    if period < 2 or len(data) < 3 * period or np.ptp(data) == 0:
        return False
    r = _acf(data, period)
    limit = norm.ppf(confidence) * np.sqrt((1 + 2 * np.sum(r[1:period] ** 2)) / len(data))
    return bool(r[period] > limit)


def seasonal_period(y: Any, candidate: int | None = None, confidence: float = 0.90) -> int:
    """The seasonal period of ``y``: proposed by its frequency, kept only if the data show it.

    ``candidate`` overrides the frequency's proposal. The test runs on the first
    differences of the series: a trend or a random walk makes every autocorrelation of
    the levels large (and Bartlett's standard error assumes a stationary series), while
    a season survives differencing. Returns 1 (no season) when the proposal is 1, the
    series is shorter than three seasons, or :func:`is_seasonal` rejects it.

    Examples
    --------
    >>> index = pd.period_range("2000-01", periods=72, freq="M")
    >>> season = np.tile([5.0, 3, 1, 0, 1, 3, 5, 7, 9, 10, 9, 7], 6)
    >>> seasonal_period(pd.Series(season + np.arange(72) * 0.1, index=index))
    12
    >>> seasonal_period(pd.Series(np.arange(72.0), index=index))
    1
    """
    period = candidate if candidate is not None else frequency_period(getattr(y, "index", None))
    if period < 2:
        return 1
    values = np.asarray(y, dtype=float).ravel()
    if len(values) < 3 * period + 1:
        return 1
    return period if is_seasonal(np.diff(values), period, confidence) else 1


def dominant_period(
    values: Any, max_period: int = 400, min_period: int = 3, alpha: float = 0.05
) -> int | None:
    """The lag of the highest significant autocorrelation peak: a series' cycle, or None.

    The period finder of TSB-AD (Liu & Paparrizos, NeurIPS 2024) and of its window-based
    detectors, with two tests that keep noise from passing for a cycle: the
    autocorrelation of the first 20,000 points up to ``max_period`` lags, its local
    maxima from lag ``min_period`` on, and the lag of the highest of them that

    - is beyond what white noise reaches at any of the lags searched (a Bonferroni
      bound, ``z(1 - alpha / lags) / sqrt(n)``), and
    - passes :func:`is_seasonal` at confidence ``1 - alpha``: Bartlett's standard error
      grows with the autocorrelation at shorter lags, so the slow decay of a trend or a
      random walk is no cycle; and the series holds at least three cycles.

    Smooth autoregressive noise can still show a spurious period (its sample
    autocorrelation wiggles at long lags).

    ``None`` when no peak passes (noise, a trend, a random walk, a series shorter than
    ``2 * min_period``). Multivariate input uses its first principal direction (the
    channels' mean after standardising).

    Examples
    --------
    >>> t = np.arange(2000)
    >>> dominant_period(np.sin(2 * np.pi * t / 50))
    50
    >>> dominant_period(np.sin(2 * np.pi * t / 50) + 0.002 * t)  # a trend on top
    50
    >>> dominant_period(np.random.default_rng(0).normal(size=2000)) is None
    True
    >>> dominant_period(np.random.default_rng(0).normal(size=2000).cumsum()) is None
    True
    """
    from scipy.signal import argrelextrema
    from scipy.stats import norm

    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a float in (0, 1), found {alpha!r}")
    data = np.asarray(values, dtype=float)
    if data.ndim == 2:
        spread = data.std(axis=0)
        spread[spread == 0] = 1.0
        data = ((data - data.mean(axis=0)) / spread).mean(axis=1)
    data = data.ravel()[:20_000]
    data = data[np.isfinite(data)]
    if len(data) < 2 * min_period or np.ptp(data) == 0:
        return None
    nlags = min(max_period, len(data) // 2)
    r = _acf(data, nlags)
    white_noise = norm.ppf(1 - alpha / nlags) / np.sqrt(len(data))  # Bonferroni over lags
    peaks = [
        int(lag)
        for lag in argrelextrema(r, np.greater)[0]
        if lag >= min_period and r[lag] > white_noise
    ]
    for lag in sorted(peaks, key=lambda lag: -r[lag]):
        if is_seasonal(data, lag, confidence=1 - alpha):
            return lag
    return None
