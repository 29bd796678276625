"""Behaviour of the shared atoms beyond the conformance suite: values checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalog.atoms.shared.differencing import Differencer
from catalog.atoms.shared.imputation import ForwardFillImputer, InterpolationImputer
from catalog.atoms.shared.power import BoxCoxTransformer, LogTransformer
from catalog.atoms.shared.resampling import Resampler
from catalog.atoms.shared.scaling import MinMaxScaler, RobustScaler
from catalog.atoms.shared.splitters import (
    ExpandingWindowSplitter,
    SlidingWindowSplitter,
    TemporalTrainTestSplitter,
)
from catalog.testing._data import make_anomaly_series, make_forecasting_series

NAN = np.nan


def monthly(values: list[float], start: str = "2000-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


# --- imputation ------------------------------------------------------------------------


def test_forward_fill_carries_the_last_value_and_backfills_the_start() -> None:
    y = monthly([NAN, 2.0, NAN, NAN, 5.0, NAN])
    out = ForwardFillImputer().fit_transform(y)
    assert out.tolist() == [2.0, 2.0, 2.0, 2.0, 5.0, 5.0]
    assert out.index.equals(y.index)


def test_forward_fill_limit_leaves_the_rest_of_a_long_gap() -> None:
    y = pd.Series([1.0, NAN, NAN, NAN, 5.0])
    out = ForwardFillImputer(limit=1).fit_transform(y)
    assert out.iloc[:2].tolist() == [1.0, 1.0]
    assert out.iloc[2:4].isna().all(), "limit=1 must not fill the 2nd and 3rd NaN of the gap"


def test_forward_fill_without_backfill_keeps_leading_nan() -> None:
    out = ForwardFillImputer(backfill_start=False).fit_transform(pd.Series([NAN, 1.0, NAN]))
    assert np.isnan(out.iloc[0]) and out.iloc[1:].tolist() == [1.0, 1.0]


def test_interpolate_fills_a_gap_on_the_straight_line() -> None:
    y = monthly([10.0, NAN, NAN, NAN, 30.0])
    assert InterpolationImputer().fit_transform(y).tolist() == [10.0, 15.0, 20.0, 25.0, 30.0]


def test_interpolate_time_method_weights_by_elapsed_time() -> None:
    index = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"])
    y = pd.Series([0.0, NAN, 8.0], index=index)
    # 1 of 4 days elapsed: 0 + 8 * 1/4
    assert InterpolationImputer(method="time").fit_transform(y).tolist() == [0.0, 2.0, 8.0]


def test_interpolate_cubic_recovers_a_cubic_exactly() -> None:
    t = np.arange(8.0)
    y = pd.Series(t**3)
    y.iloc[4] = NAN
    out = InterpolationImputer(method="cubic").fit_transform(y)
    assert out.iloc[4] == pytest.approx(64.0)


def test_interpolate_fills_ends_and_each_channel_of_a_frame() -> None:
    frame = pd.DataFrame({"a": [NAN, 1.0, NAN, 3.0], "b": [4.0, NAN, 6.0, NAN]})
    out = InterpolationImputer().fit_transform(frame)
    assert out["a"].tolist() == [1.0, 1.0, 2.0, 3.0]
    assert out["b"].tolist() == [4.0, 5.0, 6.0, 6.0]


def test_imputers_refuse_a_channel_without_any_value() -> None:
    frame = pd.DataFrame({"a": [1.0, NAN], "b": [NAN, NAN]})
    for imputer in (ForwardFillImputer(), InterpolationImputer()):
        with pytest.raises(ValueError, match="all NaN"):
            imputer.fit_transform(frame)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"method": "magic"}, "method must be one of"),
        ({"method": "spline"}, "needs order"),
        ({"limit": 0}, "limit must be"),
    ],
)
def test_interpolate_bad_parameters_raise_in_fit(params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        InterpolationImputer(**params).fit(pd.Series([1.0, NAN, 3.0]))


# --- scalers ---------------------------------------------------------------------------


def test_min_max_scaler_maps_training_extremes_to_the_range() -> None:
    y = make_forecasting_series()
    scaler = MinMaxScaler(feature_range=(-1.0, 1.0)).fit(y)
    out = scaler.transform(y)
    assert out.min() == pytest.approx(-1.0) and out.max() == pytest.approx(1.0)
    expected = -1 + 2 * (y - y.min()) / (y.max() - y.min())
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(scaler.inverse_transform(out), y)


def test_min_max_scaler_refuses_an_inverted_range() -> None:
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler(feature_range=(1.0, 0.0)).fit(pd.Series([1.0, 2.0]))


def test_robust_scaler_uses_median_and_interquartile_range() -> None:
    y, _ = make_anomaly_series()
    out = RobustScaler().fit(y).transform(y)
    q1, median, q3 = np.percentile(y.to_numpy(), [25, 50, 75])
    np.testing.assert_allclose(out, (y - median) / (q3 - q1))
    assert out.index.equals(y.index)


# --- differencing ----------------------------------------------------------------------


@pytest.mark.parametrize(("lag", "order"), [(1, 1), (12, 1), (1, 2), (12, 2), (3, 3)])
def test_difference_inverse_rebuilds_the_training_series(lag: int, order: int) -> None:
    y = make_forecasting_series()
    differencer = Differencer(lag=lag, order=order).fit(y)
    diffs = differencer.transform(y)
    assert len(diffs) == len(y) - lag * order
    assert diffs.index.equals(y.index[lag * order :])
    back = differencer.inverse_transform(diffs)
    assert back.index.equals(y.index)
    np.testing.assert_allclose(back, y)


def test_difference_transform_matches_pandas_diff() -> None:
    y = make_forecasting_series()
    expected = y.diff(12).diff(12).dropna()
    np.testing.assert_allclose(Differencer(lag=12, order=2).fit(y).transform(y), expected)


@pytest.mark.parametrize(("lag", "order"), [(1, 1), (12, 1), (1, 2), (12, 2)])
def test_difference_inverse_of_a_forecast_integrates_from_the_last_fitted_values(
    lag: int, order: int
) -> None:
    y = make_forecasting_series()
    train, future = y.iloc[:60], y.iloc[60:]
    differencer = Differencer(lag=lag, order=order).fit(train)
    # a perfect forecast of the differences must integrate to the true future values
    future_diffs = Differencer(lag=lag, order=order).fit(y).transform(y).loc[future.index]
    back = differencer.inverse_transform(future_diffs)
    assert back.index.equals(future.index)
    np.testing.assert_allclose(back, future)


def test_difference_inverse_of_a_constant_forecast_is_a_straight_line() -> None:
    y = monthly([1.0, 2.0, 4.0])
    forecast = monthly([3.0, 3.0, 3.0], start="2000-04")
    assert Differencer().fit(y).inverse_transform(forecast).tolist() == [7.0, 10.0, 13.0]


def test_difference_inverse_refuses_an_index_that_does_not_continue() -> None:
    y = monthly([1.0, 2.0, 4.0, 7.0])
    gap = monthly([1.0], start="2001-01")
    with pytest.raises(ValueError, match="continue right after"):
        Differencer().fit(y).inverse_transform(gap)


def test_difference_refuses_a_series_shorter_than_lag_times_order() -> None:
    with pytest.raises(ValueError, match="at least 25 time points"):
        Differencer(lag=12, order=2).fit(make_forecasting_series(n=20))


# --- power transforms --------------------------------------------------------------------


def test_log_with_offset_and_its_inverse() -> None:
    y = pd.Series([-0.5, 0.0, 9.0])
    log = LogTransformer(offset=1.0).fit(y)
    np.testing.assert_allclose(log.transform(y), np.log([0.5, 1.0, 10.0]))
    np.testing.assert_allclose(log.inverse_transform(log.transform(y)), y)


def test_log_refuses_values_outside_its_domain_and_names_the_offset() -> None:
    with pytest.raises(ValueError, match=r"pass offset > 2"):
        LogTransformer().fit(pd.Series([-2.0, 1.0]))


def test_box_cox_with_lambda_zero_is_the_log_and_one_is_a_shift() -> None:
    y = make_forecasting_series()
    np.testing.assert_allclose(BoxCoxTransformer(lmbda=0.0).fit(y).transform(y), np.log(y))
    np.testing.assert_allclose(BoxCoxTransformer(lmbda=1.0).fit(y).transform(y), y - 1)


def test_box_cox_fitted_lambda_gives_an_exact_inverse_per_channel() -> None:
    y = make_forecasting_series()
    frame = pd.DataFrame({"a": y, "b": y**2})
    boxcox = BoxCoxTransformer().fit(frame)
    assert boxcox.lmbdas_.shape == (2,)
    # squaring the series halves the power that best normalises it
    assert boxcox.lmbdas_[1] == pytest.approx(boxcox.lmbdas_[0] / 2, rel=1e-3)
    np.testing.assert_allclose(boxcox.inverse_transform(boxcox.transform(frame)), frame)


def test_box_cox_refuses_non_positive_values() -> None:
    with pytest.raises(ValueError, match="strictly positive"):
        BoxCoxTransformer().fit(pd.Series([0.0, 1.0, 2.0]))


# --- resampling ------------------------------------------------------------------------


def test_resample_monthly_periods_to_quarterly_sums() -> None:
    y = monthly([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    out = Resampler(frequency="Q", aggregation="sum").fit_transform(y)
    assert isinstance(out.index, pd.PeriodIndex) and out.index.freqstr == "Q-DEC"
    assert out.tolist() == [6.0, 15.0, 7.0]


def test_resample_hourly_to_daily_mean_sets_the_frequency() -> None:
    y, _ = make_anomaly_series()
    out = Resampler(frequency="D").fit_transform(y)
    assert out.index.freqstr == "D"
    assert len(out) == int(np.ceil(len(y) / 24))
    assert out.iloc[0] == pytest.approx(y.iloc[:24].mean())


def test_resample_leaves_empty_periods_as_nan_for_every_aggregation() -> None:
    index = pd.to_datetime(["2024-01-01", "2024-01-03"])
    y = pd.Series([1.0, 3.0], index=index)
    for aggregation in ("mean", "sum", "last"):
        out = Resampler(frequency="D", aggregation=aggregation).fit_transform(y)
        assert out.index.freqstr == "D" and np.isnan(out.iloc[1]) and out.iloc[2] == 3.0


def test_resample_refuses_an_integer_index_and_period_aliases_on_timestamps() -> None:
    with pytest.raises(ValueError, match="DatetimeIndex or a PeriodIndex"):
        Resampler().fit(pd.Series([1.0, 2.0]))
    y, _ = make_anomaly_series()
    with pytest.raises(ValueError, match="use 'MS', 'QS', 'YS'"):
        Resampler(frequency="Q").fit(y)


# --- splitters -------------------------------------------------------------------------


@pytest.mark.parametrize(("test_size", "n_test"), [(0.25, 18), (0.1, 8), (5, 5)])
def test_temporal_split_puts_the_last_points_in_the_test_part(
    test_size: float, n_test: int
) -> None:
    [(train, test)] = TemporalTrainTestSplitter(test_size).split(make_forecasting_series())
    assert test.tolist() == list(range(72 - n_test, 72))  # 0.1 * 72 = 7.2, rounded up
    assert train.tolist() == list(range(72 - n_test))


@pytest.mark.parametrize("test_size", [0, 72, 1.0, -0.5, "10"])
def test_temporal_split_refuses_a_test_size_that_empties_a_part(test_size: object) -> None:
    with pytest.raises(ValueError, match="test_size"):
        list(TemporalTrainTestSplitter(test_size).split(make_forecasting_series()))


def test_expanding_window_reproduces_the_pycaret_airline_folds() -> None:
    # 132 training months of Airline (1949-01..1959-12), horizon 12, three folds with
    # cutoffs 1956-12, 1957-12 and 1958-12 (see BENCHMARKS.md)
    index = pd.period_range("1949-01", periods=132, freq="M")
    splitter = ExpandingWindowSplitter(initial_window=96, step=12, horizon=12)
    folds = list(splitter.split(np.zeros(132)))
    assert splitter.get_n_splits(np.zeros(132)) == len(folds) == 3
    assert [str(index[train[-1]]) for train, _ in folds] == ["1956-12", "1957-12", "1958-12"]
    for train, test in folds:
        assert train[0] == 0 and len(test) == 12 and test[0] == train[-1] + 1


def test_sliding_window_moves_a_fixed_window() -> None:
    splitter = SlidingWindowSplitter(window=24, step=10, horizon=6)
    folds = list(splitter.split(np.zeros(72)))
    # cutoffs 24, 34, 44, 54, 64: the test part must end by 72, so 64 + 6 <= 72 is last
    assert [test[0] for _, test in folds] == [24, 34, 44, 54, 64]
    assert all(len(train) == 24 and train[-1] + 1 == test[0] for train, test in folds)
    assert splitter.get_n_splits(np.zeros(72)) == 5


@pytest.mark.parametrize("n", [36, 37, 50, 71, 72, 100])
def test_window_splitters_count_folds_from_first_principles(n: int) -> None:
    y = np.zeros(n)
    for splitter, window in (
        (ExpandingWindowSplitter(initial_window=24, step=5, horizon=12), 24),
        (SlidingWindowSplitter(window=24, step=5, horizon=12), 24),
    ):
        expected = (n - window - 12) // 5 + 1
        assert splitter.get_n_splits(y) == len(list(splitter.split(y))) == expected


def test_window_splitters_refuse_a_series_too_short_for_one_fold() -> None:
    with pytest.raises(ValueError, match="needs at least 36 points, found 30"):
        list(ExpandingWindowSplitter().split(np.zeros(30)))
    with pytest.raises(ValueError, match="y is required"):
        SlidingWindowSplitter().get_n_splits()
