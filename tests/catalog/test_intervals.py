"""Prediction intervals: their empirical coverage on series drawn from the model they assume.

Each test simulates many series from a known process, fits the forecaster on the past,
and counts how often the true future values fall inside the interval. With R
replications the count's standard error is sqrt(p (1 - p) / R); the tolerances below are
about three of those, so a wrong variance formula (e.g. sqrt(h) missing) fails clearly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from catalog.atoms.forecasting.arima import ARIMAForecaster
from catalog.atoms.forecasting.naive import (
    DriftForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
)
from catalog.atoms.forecasting.statistical import ETSForecaster

H = 12


def coverage(forecaster, paths: np.ndarray, n_train: int, level: float) -> np.ndarray:
    """Share of future values inside the interval, per step 1..H."""
    inside = []
    for path in paths:
        fitted = forecaster.fit(pd.Series(path[:n_train]))
        band = fitted.predict_interval(H, coverage=level)
        future = path[n_train : n_train + H]
        inside.append((band["lower"].to_numpy() <= future) & (future <= band["upper"].to_numpy()))
    return np.mean(inside, axis=0)


def test_naive_interval_covers_a_random_walk_at_every_step() -> None:
    rng = np.random.default_rng(1)
    paths = np.cumsum(rng.normal(0, 2.0, size=(2000, 60 + H)), axis=1) + 100
    observed = coverage(NaiveForecaster(), paths, 60, 0.8)
    assert np.abs(observed - 0.8).max() < 0.04, observed.round(3)
    # without the sqrt(h) growth, step 12 would be covered about 25% of the time
    assert observed[-1] > 0.75


def test_seasonal_naive_interval_covers_a_seasonal_random_walk() -> None:
    rng = np.random.default_rng(2)
    sp, n_train = 4, 40
    paths = np.zeros((2000, n_train + H))
    paths[:, :sp] = rng.normal(0, 5, size=(2000, sp))
    for t in range(sp, n_train + H):
        paths[:, t] = paths[:, t - sp] + rng.normal(0, 1.0, size=2000)
    observed = coverage(SeasonalNaiveForecaster(sp=sp), paths, n_train, 0.9)
    assert np.abs(observed - 0.9).max() < 0.035, observed.round(3)


def test_drift_interval_includes_the_slope_uncertainty() -> None:
    rng = np.random.default_rng(3)
    n_train = 15  # short: the slope's own error matters at long horizons
    paths = np.cumsum(0.5 + rng.normal(0, 1.0, size=(3000, n_train + H)), axis=1)
    observed = coverage(DriftForecaster(), paths, n_train, 0.8)
    # the t-distributed spread of a 14-point estimate covers slightly less than nominal
    assert np.abs(observed - 0.8).max() < 0.05, observed.round(3)
    naive_width = NaiveForecaster().fit(pd.Series(paths[0, :n_train])).predict_interval(H)
    drift_width = DriftForecaster().fit(pd.Series(paths[0, :n_train])).predict_interval(H)
    ratio = (drift_width["upper"] - drift_width["lower"]) / (
        naive_width["upper"] - naive_width["lower"]
    )
    # same residual spread up to the degrees of freedom; the slope term widens long steps
    assert ratio.iloc[-1] > ratio.iloc[0]


def test_arima_interval_has_the_closed_form_width_of_an_ar1_process() -> None:
    """On a long AR(1) series the fitted model is the true one, so the h-step error has
    the textbook variance sigma^2 (1 - phi^(2h)) / (1 - phi^2). (On short series plug-in
    intervals cover a little less than nominal: parameter uncertainty is ignored.)"""
    from scipy.stats import norm

    rng = np.random.default_rng(0)
    phi, sigma = 0.7, 1.0
    x = np.zeros(3000)
    for t in range(1, len(x)):
        x[t] = phi * x[t - 1] + rng.normal(0, sigma)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        band = (
            ARIMAForecaster(p=1, d=0, q=0, sp=1).fit(pd.Series(x)).predict_interval(H, coverage=0.8)
        )
    steps = np.arange(1, H + 1)
    expected = norm.ppf(0.9) * sigma * np.sqrt((1 - phi ** (2 * steps)) / (1 - phi**2))
    half = ((band["upper"] - band["lower"]) / 2).to_numpy()
    np.testing.assert_allclose(half, expected, rtol=0.04)


@pytest.mark.slow
def test_ets_interval_covers_a_local_level_process() -> None:
    rng = np.random.default_rng(5)
    n, reps = 80, 200
    level = np.cumsum(rng.normal(0, 0.5, size=(reps, n + H)), axis=1)
    paths = 50 + level + rng.normal(0, 1.0, size=(reps, n + H))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster = ETSForecaster(error="add", trend=None, seasonal=None)
        observed = coverage(forecaster, paths, n, 0.8)
    assert abs(observed.mean() - 0.8) < 0.05, observed.round(3)


def test_simulated_ets_intervals_are_reproducible() -> None:
    from catalog.testing import make_forecasting_series

    y = make_forecasting_series(n=48) + 50  # positive: a multiplicative season is allowed
    forecaster = ETSForecaster(error="mul", seasonal="mul", sp=12).fit(y)
    first, second = forecaster.predict_interval(6), forecaster.predict_interval(6)
    pd.testing.assert_frame_equal(first, second)


def test_too_short_a_series_for_a_spread_says_so() -> None:
    fitted = NaiveForecaster().fit(pd.Series([3.0]))
    assert fitted.predict(2).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="too few points to estimate its error spread"):
        fitted.predict_interval(2)
