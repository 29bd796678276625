"""Small, deterministic sample data for each task (conformance checks, doctests)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["make_anomaly_series", "make_forecasting_series", "make_panel"]


def make_forecasting_series(n: int = 72, sp: int = 12, seed: int = 0) -> pd.Series:
    """A positive monthly series with trend, a yearly season and a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / sp) + rng.normal(0, 1, n)
    index = pd.period_range("2000-01", periods=n, freq="M")
    return pd.Series(values, index=index, name="y")


def make_panel(
    n_cases: int = 24, n_channels: int = 1, n_timepoints: int = 40, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two classes of series, sines and square waves, with noise: ``(X, y)``."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 4 * np.pi, n_timepoints)
    y = np.array([i % 2 for i in range(n_cases)])
    X = np.empty((n_cases, n_channels, n_timepoints))
    for case in range(n_cases):
        for channel in range(n_channels):
            base = np.sin(t + rng.uniform(0, 1)) if y[case] == 0 else np.sign(np.sin(t))
            X[case, channel] = base + rng.normal(0, 0.2, n_timepoints)
    return X, np.array(["sine", "square"])[y]


def make_anomaly_series(n: int = 300, seed: int = 0) -> tuple[pd.Series, np.ndarray]:
    """A noisy periodic series with one spike and one level shift: ``(series, labels)``."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 10 + np.sin(2 * np.pi * t / 25) + rng.normal(0, 0.1, n)
    labels = np.zeros(n, dtype=int)
    spike = n // 3
    values[spike] += 6
    labels[spike] = 1
    shift = slice(2 * n // 3, 2 * n // 3 + 10)
    values[shift] += 3
    labels[shift] = 1
    index = pd.date_range("2024-01-01", periods=n, freq="h")
    return pd.Series(values, index=index, name="value"), labels
