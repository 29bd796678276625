"""How kb fits the forecasting set-up to a user's series: season, folds, refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cli._scaffolding.series_settings import FOLDS, forecasting_settings, seasonal_period
from cli.errors import KbError


def series(freq: str | None, n: int) -> pd.Series:
    index = pd.date_range("2000-01-01", periods=n, freq=freq) if freq else pd.RangeIndex(n)
    return pd.Series(np.arange(n, dtype=float), index=index)


@pytest.mark.parametrize(
    ("freq", "sp"),
    [
        ("MS", 12),
        ("ME", 12),
        ("QS-JAN", 4),
        ("D", 7),
        ("B", 5),
        ("h", 24),
        ("W-SUN", 52),
        ("YS-JAN", 1),
        ("min", 1),
        (None, 1),
    ],
)
def test_seasonal_period_follows_the_frequency(freq, sp):
    assert seasonal_period(freq) == sp


@pytest.mark.parametrize(
    ("freq", "n", "model", "horizon"),
    [
        ("MS", 144, {"sp": 12}, 12),  # the airline's own set-up
        ("MS", 60, {"sp": 12}, 11),  # two seasons still fit with slightly shorter folds
        ("MS", 40, {"seasonal": None}, 10),  # they do not: a non-seasonal model
        ("D", 200, {"sp": 7}, 7),
        ("h", 500, {"sp": 24}, 24),
        ("W-SUN", 300, {"sp": 52}, 24),  # folds of at most 24 steps
        (None, 100, {"seasonal": None}, 10),  # integer steps: no season known
    ],
)
def test_backtest_fits_the_series(freq, n, model, horizon):
    settings = forecasting_settings(series(freq, n), "s.csv")
    assert settings["model"] == model
    assert settings["splitter"] == {
        "initial_window": n - FOLDS * horizon,
        "step": horizon,
        "horizon": horizon,
    }
    if "sp" in model:  # a seasonal model sees two full seasons in its first fold
        assert n - FOLDS * horizon >= 2 * model["sp"] + 1


def test_too_short_irregular_or_incomplete_series_are_refused():
    with pytest.raises(KbError, match="12 time points are too few"):
        forecasting_settings(series("D", 12), "s.csv")
    gappy = series("D", 40).drop(pd.Timestamp("2000-01-10"))
    gappy.index.freq = None
    with pytest.raises(KbError, match="not evenly spaced"):
        forecasting_settings(gappy, "s.csv")
    holes = series("D", 40)
    holes.iloc[5] = np.nan
    with pytest.raises(KbError, match="missing values at 1 of its time points"):
        forecasting_settings(holes, "s.csv")
