"""Behaviour of the forecasting components: baselines, statsmodels wrappers, features,
reduction, metrics, backtest, molecules and the pipeline organism."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from catalog import get_component
from catalog.atoms.forecasting.evaluation import BacktestEvaluator
from catalog.atoms.forecasting.features import (
    CalendarFeatures,
    FourierFeatures,
    LagFeatures,
    RollingWindowFeatures,
)
from catalog.atoms.forecasting.metrics import (
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanAbsoluteScaledError,
    RootMeanSquaredError,
    SymmetricMeanAbsolutePercentageError,
)
from catalog.atoms.forecasting.naive import (
    DriftForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
)
from catalog.atoms.forecasting.reduction import ReductionForecaster
from catalog.molecules.forecasting_lag_regression import LagRegressionForecaster
from catalog.organisms.forecasting_pipeline import ForecastingPipeline
from catalog.testing import make_forecasting_series

statsmodels = pytest.importorskip("statsmodels", reason="statistical forecasters wrap statsmodels")


@pytest.fixture(autouse=True)
def _quiet_statsmodels():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def airline() -> pd.Series:
    datasets = pytest.importorskip("aeon.datasets", reason="the airline series ships in aeon")
    return datasets.load_airline(return_array=False).astype(float)


def _mape_on_airline_holdout(model, y: pd.Series) -> float:
    train, test = y.iloc[:-36], y.iloc[-36:]
    return MeanAbsolutePercentageError()(test, model.fit(train).predict(36))


# --- baselines -------------------------------------------------------------------------


def test_naive_repeats_the_last_value():
    y = make_forecasting_series(n=30)
    forecast = NaiveForecaster().fit(y).predict(5)
    assert (forecast == y.iloc[-1]).all()


def test_drift_follows_the_line_through_first_and_last_points():
    y = make_forecasting_series(n=30)
    forecast = DriftForecaster().fit(y).predict([1, 10])
    slope = (y.iloc[-1] - y.iloc[0]) / (len(y) - 1)
    assert np.allclose(forecast.to_numpy(), y.iloc[-1] + slope * np.array([1, 10]))


def test_forecast_index_continues_a_datetime_index():
    y = pd.Series(np.arange(24.0), index=pd.date_range("2020-01-01", periods=24, freq="MS"))
    forecast = SeasonalNaiveForecaster(sp=12).fit(y).predict(2)
    assert list(forecast.index) == list(pd.date_range("2022-01-01", periods=2, freq="MS"))


def test_univariate_forecasters_refuse_several_channels():
    two_channels = pd.DataFrame(np.ones((30, 2)))
    with pytest.raises(ValueError, match="univariate"):
        DriftForecaster().fit(two_channels)


# --- statsmodels wrappers ----------------------------------------------------------------


def test_ets_forecast_is_statsmodels_ets_forecast():
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = make_forecasting_series(n=48)
    ours = get_component("forecasting.ets")(trend="add", seasonal="add", sp=12).fit(y).predict(6)
    direct = ETSModel(y.to_numpy(), error="add", trend="add", seasonal="add", seasonal_periods=12)
    assert np.allclose(ours.to_numpy(), direct.fit(disp=False).forecast(6))


def test_auto_ets_keeps_the_candidate_with_the_lowest_aicc():
    ets = get_component("forecasting.ets")
    y = make_forecasting_series(n=20)  # shorter than two seasons: non-seasonal candidates only
    chosen = ets(sp=12, auto=True).fit(y)
    assert chosen.spec_["seasonal"] is None
    for spec in [{"trend": None, "seasonal": None}, {"trend": "add", "seasonal": None}]:
        other = ets(error="add", damped_trend=False, sp=12, **spec).fit(y)
        assert chosen.results_.aicc <= other.results_.aicc


def test_multiplicative_ets_refuses_a_non_positive_series():
    y = make_forecasting_series(n=48) - 200
    with pytest.raises(ValueError, match="strictly positive"):
        get_component("forecasting.ets")(seasonal="mul").fit(y)


def test_arima_forecast_is_statsmodels_arima_forecast():
    from statsmodels.tsa.arima.model import ARIMA

    y = make_forecasting_series(n=48)
    model = get_component("forecasting.arima")(p=1, d=1, q=0, seasonal_d=1, sp=12)
    ours = model.fit(y).predict(4)
    direct = ARIMA(y.to_numpy(), order=(1, 1, 0), seasonal_order=(0, 1, 0, 12)).fit()
    assert np.allclose(ours.to_numpy(), direct.forecast(4))


def test_auto_arima_differences_a_random_walk_but_not_white_noise():
    auto_arima = get_component("forecasting.auto-arima")
    rng = np.random.default_rng(1)
    walk = pd.Series(np.cumsum(rng.normal(size=80)))
    noise = pd.Series(rng.normal(size=80))
    assert auto_arima(max_p=0, max_q=0).fit(walk).order_[1] == 1
    assert auto_arima(max_p=0, max_q=0).fit(noise).order_[1] == 0


def test_theta_forecast_is_statsmodels_theta_forecast():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = make_forecasting_series(n=48)
    ours = get_component("forecasting.theta")(sp=12).fit(y).predict(5)
    direct = ThetaModel(y.to_numpy(), period=12).fit().forecast(5, theta=2.0)
    assert np.allclose(ours.to_numpy(), np.asarray(direct))


def test_statistical_forecasters_need_two_seasons():
    with pytest.raises(ValueError, match="at least"):
        get_component("forecasting.ets")(sp=12).fit(make_forecasting_series(n=20))


@pytest.mark.parametrize(
    "component_id, params",
    [
        ("forecasting.ets", {"sp": 12}),
        ("forecasting.arima", {"p": 1, "d": 1, "seasonal_d": 1, "sp": 12}),
        ("forecasting.lag-regression", {}),
        ("forecasting.pipeline", {}),
    ],
)
def test_model_beats_seasonal_naive_on_airline_holdout(airline, component_id, params):
    baseline = _mape_on_airline_holdout(SeasonalNaiveForecaster(sp=12), airline)
    model = get_component(component_id)(**params)
    assert _mape_on_airline_holdout(model, airline) < baseline


# --- features --------------------------------------------------------------------------


def test_lag_features_are_shifted_copies_of_each_channel():
    y = pd.DataFrame({"a": np.arange(6.0), "b": np.arange(6.0) ** 2})
    features = LagFeatures(lags=[1, 3]).fit_transform(y)
    assert list(features.columns) == ["a_lag_1", "a_lag_3", "b_lag_1", "b_lag_3"]
    assert features["b_lag_3"].equals(y["b"].shift(3))


def test_rolling_features_never_read_the_current_value():
    y = make_forecasting_series(n=30)
    changed = y.copy()
    changed.iloc[-1] = 1e6
    builder = RollingWindowFeatures(window=4, statistics=("mean", "max")).fit(y)
    pd.testing.assert_frame_equal(builder.transform(y), builder.transform(changed))


def test_calendar_one_hot_marks_the_month_of_each_point():
    y = make_forecasting_series(n=30)
    features = CalendarFeatures().fit_transform(y)
    assert (features.sum(axis=1) == 1).all()
    assert (features.to_numpy().argmax(axis=1) + 1 == y.index.month).all()


def test_calendar_features_need_a_time_index():
    with pytest.raises(ValueError, match="DatetimeIndex or a PeriodIndex"):
        CalendarFeatures().fit(pd.Series(np.arange(5.0)))


def test_fourier_terms_of_a_future_index_continue_the_season():
    y = make_forecasting_series(n=36)
    builder = FourierFeatures(sp=12, n_terms=2).fit(y.iloc[:24])
    pd.testing.assert_frame_equal(
        builder.transform(y.iloc[24:]), builder.transform(y).iloc[24:], check_exact=False
    )
    assert np.allclose(
        builder.transform(y)["sin_12_1"].to_numpy()[12:],
        builder.transform(y)["sin_12_1"].to_numpy()[:-12],
    )


# --- reduction -------------------------------------------------------------------------


def test_reduction_recovers_the_coefficient_of_an_ar1_process():
    rng = np.random.default_rng(0)
    values = np.zeros(2000)
    for t in range(1, len(values)):
        values[t] = 0.7 * values[t - 1] + rng.normal()
    model = ReductionForecaster(LinearRegression(), window_length=1).fit(pd.Series(values))
    assert model.regressor_.coef_[0] == pytest.approx(0.7, abs=0.05)


def test_reduction_refuses_a_classifier():
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(ValueError, match="regressor"):
        ReductionForecaster(LogisticRegression()).fit(make_forecasting_series(n=30))


def test_lag_regression_needs_no_calendar_on_an_integer_index():
    y = pd.Series(make_forecasting_series(n=40).to_numpy())
    forecast = LagRegressionForecaster(calendar=()).fit(y).predict(3)
    assert list(forecast.index) == [40, 41, 42]


# --- metrics ---------------------------------------------------------------------------


def test_rmse_and_mape_follow_their_formulas():
    rng = np.random.default_rng(0)
    truth, pred = rng.uniform(1, 2, 20), rng.uniform(1, 2, 20)
    assert RootMeanSquaredError()(truth, pred) == pytest.approx(
        np.sqrt(np.mean((truth - pred) ** 2))
    )
    assert MeanAbsolutePercentageError()(truth, pred) == pytest.approx(
        np.mean(np.abs(truth - pred) / truth)
    )


def test_smape_is_symmetric_and_bounded():
    rng = np.random.default_rng(0)
    truth, pred = rng.uniform(-1, 2, 20), rng.uniform(-1, 2, 20)
    smape = SymmetricMeanAbsolutePercentageError()
    assert smape(truth, pred) == pytest.approx(smape(pred, truth))
    assert 0 <= smape(truth, pred) <= 2


def test_mase_scales_mae_by_the_in_sample_seasonal_naive_error():
    y = make_forecasting_series(n=48)
    train, test = y.iloc[:36], y.iloc[36:]
    forecast = DriftForecaster().fit(train).predict(12)
    naive_mae = MeanAbsoluteError()(train.iloc[12:], train.iloc[:-12].to_numpy())
    expected = MeanAbsoluteError()(test, forecast) / naive_mae
    assert MeanAbsoluteScaledError(sp=12)(test, forecast, y_train=train) == pytest.approx(expected)
    assert MeanAbsoluteScaledError(sp=1)(test, forecast, y_train=train, sp=12) == pytest.approx(
        expected
    )


def test_mase_without_training_series_says_how_to_pass_it():
    with pytest.raises(ValueError, match="y_train=y_train"):
        MeanAbsoluteScaledError()([1.0, 2.0], [1.0, 2.5])


# --- backtest --------------------------------------------------------------------------


def test_backtest_puts_three_folds_at_the_end_by_default():
    y = make_forecasting_series(n=60)
    table = BacktestEvaluator(horizon=6).evaluate(y)
    assert list(table["cutoff"]) == [y.index[-19], y.index[-13], y.index[-7]]
    assert list(table.columns) == ["fold", "cutoff", "n_train", "mae", "rmse", "mape", "mase"]


def test_backtest_scores_a_fresh_fit_on_each_training_part():
    y = make_forecasting_series(n=60)
    table = BacktestEvaluator(DriftForecaster(), metrics=["metric.mae"], horizon=12).evaluate(y)
    for row in table.itertuples():
        train = y.iloc[: row.n_train]
        forecast = DriftForecaster().fit(train).predict(12)
        assert row.mae == pytest.approx(MeanAbsoluteError()(y.iloc[row.n_train :][:12], forecast))


def test_backtest_uses_the_splitter_it_is_given():
    splitter = get_component("splitter.expanding-window")(initial_window=20, step=5, horizon=5)
    y = make_forecasting_series(n=60)
    table = BacktestEvaluator(splitter=splitter, metrics=["metric.rmse"]).evaluate(y)
    assert len(table) == splitter.get_n_splits(y)


def test_backtest_refuses_a_series_too_short_for_three_folds():
    with pytest.raises(ValueError, match="three folds"):
        BacktestEvaluator(horizon=12).evaluate(make_forecasting_series(n=30))


# --- molecules and organism --------------------------------------------------------------


def test_log_ets_is_ets_on_the_log_scale():
    y = make_forecasting_series(n=48)
    ours = get_component("forecasting.log-ets")(sp=12).fit(y).predict(6)
    ets = get_component("forecasting.ets")(sp=12).fit(np.log(y)).predict(6)
    assert np.allclose(ours.to_numpy(), np.exp(ets.to_numpy()))


def test_pipeline_fills_gaps_before_forecasting():
    y = make_forecasting_series(n=48)
    gappy = y.copy()
    gappy.iloc[[5, 6, 30]] = np.nan
    ets = get_component("forecasting.ets")()
    ours = ForecastingPipeline(transformer="passthrough", forecaster=ets).fit(gappy).predict(6)
    filled = get_component("preprocessing.forward-fill")().fit_transform(gappy)
    direct = ets.fit(filled).predict(6)
    assert np.allclose(ours.to_numpy(), direct.to_numpy())


def test_pipeline_integrates_a_differenced_forecast_over_the_whole_path():
    y = make_forecasting_series(n=48)
    pipeline = ForecastingPipeline(
        transformer=get_component("preprocessing.difference")(), forecaster=DriftForecaster()
    ).fit(y)
    assert pipeline.predict([4]).iloc[0] == pytest.approx(pipeline.predict(4).iloc[-1])


def test_pipeline_refuses_a_transformer_that_cannot_be_inverted():
    with pytest.raises(ValueError, match="inverse_transform"):
        ForecastingPipeline(transformer=LagFeatures()).fit(make_forecasting_series(n=48))
