"""Data-adaptive forecasting defaults: season, transform and model decided from the series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalog import all_components, get_component
from catalog.atoms.shared.power import LogTransformer, spread_grows_with_level
from catalog.atoms.shared.seasonal_adjustment import Deseasonalizer
from catalog.atoms.shared.seasonality import frequency_period, seasonal_period
from catalog.molecules.forecasting_combination import CombinationForecaster
from catalog.organisms.forecasting_pipeline import ForecastingPipeline

RNG = np.random.default_rng(7)


def seasonal_series(freq: str, period: int, n: int, level: float = 100.0) -> pd.Series:
    t = np.arange(n)
    season = 10 * np.sin(2 * np.pi * t / period) if period > 1 else 0.0
    values = level + 0.1 * t + season + RNG.normal(0, 1, n)
    index = pd.date_range("2020-01-01", periods=n, freq=freq)
    return pd.Series(values, index=index)


@pytest.mark.parametrize(
    ("freq", "period", "n"),
    [("QS", 4, 40), ("MS", 12, 72), ("W-SUN", 52, 260), ("D", 7, 120), ("h", 24, 240)],
)
def test_pipeline_keeps_the_season_of_the_frequency_when_the_data_show_it(freq, period, n):
    y = seasonal_series(freq, period, n)
    pipeline = ForecastingPipeline().fit(y)
    assert pipeline.sp_ == period
    # Seasons up to 24 steps are modelled by the forecasters, longer ones removed first.
    assert (pipeline.deseasonalizer_ is not None) == (period > 24)
    members = pipeline.forecaster_.forecasters_
    assert {m.sp for m in members} == {1 if period > 24 else period}
    forecast = pipeline.predict(period)
    assert np.isfinite(forecast).all() and forecast.index[0] > y.index[-1]
    # The forecast follows the season: it correlates with the true seasonal shape ahead.
    t = np.arange(n, n + period)
    assert np.corrcoef(forecast, np.sin(2 * np.pi * t / period))[0, 1] > 0.8


@pytest.mark.parametrize(("freq", "period"), [("MS", 12), ("QS", 4), ("D", 7)])
def test_a_season_is_kept_only_when_the_data_show_it(freq, period):
    # The test's level is 90% one-sided: about 1 random walk in 10 may pass by chance.
    index = pd.date_range("2000", periods=96, freq=freq)
    rng = np.random.default_rng(1)
    walks = [pd.Series(50 + rng.normal(0, 1, 96).cumsum(), index=index) for _ in range(40)]
    false_seasons = np.mean([seasonal_period(y) > 1 for y in walks])
    seasonal = [y + 3 * np.sin(2 * np.pi * np.arange(96) / period) for y in walks]
    found = np.mean([seasonal_period(y) == period for y in seasonal])
    assert false_seasons <= 0.2 and found >= 0.9, (false_seasons, found)


def test_yearly_and_integer_indexes_have_no_season():
    yearly = pd.Series(RNG.normal(10, 1, 40), index=pd.period_range("1980", periods=40, freq="Y"))
    positional = pd.Series(RNG.normal(10, 1, 40))
    for y in (yearly, positional):
        pipeline = ForecastingPipeline().fit(y)
        assert pipeline.sp_ == 1 and pipeline.deseasonalizer_ is None
        assert np.isfinite(pipeline.predict(5)).all()


def test_pipeline_forecasts_series_with_zeros_and_negative_values():
    index = pd.date_range("2010-01", periods=60, freq="MS")
    intermittent = pd.Series(RNG.poisson(0.8, 60).astype(float), index=index)
    assert (intermittent == 0).any()
    negative = pd.Series(RNG.normal(0, 5, 60).cumsum() - 20, index=index)
    assert (negative < 0).any()
    for y in (intermittent, negative):
        pipeline = ForecastingPipeline().fit(y)
        assert pipeline.transformer_ is None  # never a log of a non-positive series
        assert np.isfinite(pipeline.predict(12)).all()


def test_a_log_is_taken_only_when_the_spread_grows_with_the_level():
    t = np.arange(144)
    growth = np.exp(0.02 * t)
    multiplicative = pd.Series(
        100 * growth * (1 + 0.15 * np.sin(2 * np.pi * t / 12)) * np.exp(RNG.normal(0, 0.03, 144)),
        index=pd.date_range("2000-01", periods=144, freq="MS"),
    )
    additive = pd.Series(
        100 + 2 * t + 15 * np.sin(2 * np.pi * t / 12) + RNG.normal(0, 3, 144),
        index=multiplicative.index,
    )
    assert isinstance(ForecastingPipeline().fit(multiplicative).transformer_, LogTransformer)
    assert ForecastingPipeline().fit(additive).transformer_ is None
    assert spread_grows_with_level(multiplicative, 12) and not spread_grows_with_level(additive, 12)


@pytest.mark.parametrize(
    "cid", [cid for cid, _ in all_components(task="forecasting", kind="dataset")]
)
def test_pipeline_fits_every_forecasting_dataset_of_the_catalog(cid):
    y = get_component(cid)().load()
    if isinstance(y, pd.DataFrame):
        y = y.iloc[:, 0]
    pipeline = ForecastingPipeline().fit(y)
    forecast = pipeline.predict(6)
    assert len(forecast) == 6 and np.isfinite(forecast).all()
    assert set(pipeline.decisions_) == {"sp", "transform", "deseasonalize", "forecaster"}


def test_an_explicit_log_on_zeros_names_the_pipeline_parameter_to_change():
    y = get_component("dataset.sunspots")().load()
    with pytest.raises(ValueError, match=r"transformer='auto'.*'passthrough'"):
        ForecastingPipeline(transformer=LogTransformer()).fit(y)


def test_old_fixed_behaviour_stays_available_by_parameter():
    y = get_component("dataset.airline")().load()
    old = ForecastingPipeline(
        sp=12,
        transformer=LogTransformer(),
        deseasonalize=False,
        forecaster=get_component("forecasting.ets")(sp=12),
    ).fit(y)
    reference = get_component("forecasting.log-ets")(sp=12).fit(y)
    assert old.deseasonalizer_ is None
    np.testing.assert_allclose(old.predict(12), reference.predict(12), rtol=1e-6)


def test_pipeline_parameters_are_validated_in_one_sentence():
    y = seasonal_series("MS", 12, 48)
    with pytest.raises(ValueError, match="sp must be 'auto' or an int >= 1, found 0"):
        ForecastingPipeline(sp=0).fit(y)
    with pytest.raises(ValueError, match="deseasonalize must be 'auto', True or False"):
        ForecastingPipeline(deseasonalize="yes").fit(y)


def test_seasonal_period_comes_from_the_frequency_and_the_autocorrelation():
    assert frequency_period(pd.date_range("2000", periods=5, freq="h")) == 24
    assert frequency_period(pd.period_range("2000Q1", periods=5, freq="Q")) == 4
    assert frequency_period(pd.RangeIndex(5)) == 1
    y = seasonal_series("MS", 12, 60)
    assert seasonal_period(y) == 12
    assert seasonal_period(y.iloc[:30]) == 1  # fewer than three seasons: not confirmed


def test_deseasonalizer_puts_the_season_back_on_the_steps_after_the_fit():
    y = seasonal_series("MS", 12, 72)
    adjust = Deseasonalizer(sp=12).fit(y)
    future_index = pd.date_range(y.index[-1], periods=13, freq="MS")[1:]
    flat = pd.Series(100.0, index=future_index)
    back = adjust.inverse_transform(flat)
    # The same months a year earlier carry the same seasonal factor.
    np.testing.assert_allclose(back / 100.0, adjust.seasonal_[np.arange(72, 84) % 12])
    later = pd.Series(1.0, index=pd.date_range("2030-01", periods=3, freq="MS"))
    with pytest.raises(ValueError, match="neither one the deseasonalizer was fitted on"):
        adjust.inverse_transform(later)


def test_additive_adjustment_for_a_series_that_is_not_positive():
    y = seasonal_series("MS", 12, 72, level=0.0)
    assert Deseasonalizer(sp=12).fit(y).model_ == "additive"
    with pytest.raises(ValueError, match="model='multiplicative' needs a strictly positive y"):
        Deseasonalizer(sp=12, model="multiplicative").fit(y)


def test_combination_averages_its_members_and_drops_those_that_cannot_fit():
    y = seasonal_series("MS", 12, 60)
    naive = get_component("forecasting.naive")()
    drift = get_component("forecasting.drift")()
    combination = CombinationForecaster(forecasters=[naive, drift]).fit(y)
    expected = (naive.fit(y).predict(6) + drift.fit(y).predict(6)) / 2
    np.testing.assert_allclose(combination.predict(6), expected)
    needs_long = get_component("forecasting.seasonal-naive")(sp=48)
    short = CombinationForecaster(forecasters=[naive, needs_long]).fit(y.iloc[:20])
    assert list(short.dropped_) == ["SeasonalNaiveForecaster"] and len(short.forecasters_) == 1
    with pytest.raises(ValueError, match="combine must be 'mean' or 'median'"):
        CombinationForecaster(combine="max").fit(y)
