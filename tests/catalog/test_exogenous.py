"""Exogenous variables (X): forecasters that use them, and the errors on bad X.

The series are simulated as ``y_t = 3 x_t + e_t`` with AR(1) errors
``e_t = 0.7 e_{t-1} + eps_t``, ``eps_t ~ N(0, 1)`` and a known regressor ``x_t ~ N(0, 1)``.
With n = 200 the standard error of the coefficient of a regression with AR(1) errors
is about ``sigma / sqrt(n (1 + phi^2))`` = 0.058; the tolerances below are four of them.
The 12-step forecast of a model that knows the future x only has the AR(1) error left,
mean squared error ``mean_h sigma^2 (1 - phi^(2h)) / (1 - phi^2)`` = 1.80, against about
``beta^2 + sigma^2 / (1 - phi^2)`` = 10.96 without x.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from catalog import component
from catalog.atoms.forecasting.arima import ARIMAForecaster, AutoARIMAForecaster
from catalog.atoms.forecasting.naive import NaiveForecaster
from catalog.atoms.forecasting.reduction import ReductionForecaster
from catalog.atoms.shared.scaling import StandardScaler
from catalog.molecules.transformed_target import TransformedTargetForecaster
from catalog.organisms.forecasting_pipeline import ForecastingPipeline
from catalog.testing._checks import check_exogenous
from catalog.validation import check_exogenous as validate_exogenous

BETA, PHI, SIGMA, N, H, R = 3.0, 0.7, 1.0, 200, 12, 50
COEFFICIENT_SE = SIGMA / np.sqrt(N * (1 + PHI**2))
MSE_WITH_X = float(
    np.mean([SIGMA**2 * (1 - PHI ** (2 * h)) / (1 - PHI**2) for h in range(1, H + 1)])
)


def simulate(seed: int, random_walk_x: bool = False) -> tuple[pd.Series, pd.DataFrame]:
    """``y = 3 x + AR(1)`` on a monthly index, with ``x`` (column ``price``) as X."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, N + H)
    if random_walk_x:
        x = np.cumsum(x)
    eps = rng.normal(0, SIGMA, N + H + 100)
    e = np.zeros_like(eps)
    for t in range(1, len(e)):
        e[t] = PHI * e[t - 1] + eps[t]
    index = pd.period_range("2000-01", periods=N + H, freq="M")
    y = pd.Series(BETA * x + e[100:], index=index, name="sales")
    return y, pd.DataFrame({"price": x}, index=index)


def split(y: pd.Series, X: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame, pd.DataFrame]:
    return y.iloc[:N], y.iloc[N:], X.iloc[:N], X.iloc[N:]


def mse(forecast: pd.Series, truth: pd.Series) -> float:
    assert forecast.index.equals(truth.index)
    return float(np.mean((forecast.to_numpy() - truth.to_numpy()) ** 2))


@pytest.fixture(scope="module")
def arima_errors() -> dict[str, np.ndarray]:
    """Per replication: 12-step MSE with and without X, and the 90% interval's coverage."""
    out: dict[str, list[float]] = {"with": [], "without": [], "coverage": [], "width": []}
    out["width_without"] = []
    for seed in range(R):
        y_train, y_test, X_train, X_test = split(*simulate(seed))
        with_x = ARIMAForecaster(p=1).fit(y_train, X_train)
        without_x = ARIMAForecaster(p=1).fit(y_train)
        out["with"].append(mse(with_x.predict(H, X_test), y_test))
        out["without"].append(mse(without_x.predict(H), y_test))
        band = with_x.predict_interval(H, X_test, coverage=0.9)
        inside = (band["lower"] <= y_test) & (y_test <= band["upper"])
        out["coverage"].append(float(inside.mean()))
        out["width"].append(float((band["upper"] - band["lower"]).mean()))
        band = without_x.predict_interval(H, coverage=0.9)
        out["width_without"].append(float((band["upper"] - band["lower"]).mean()))
    return {k: np.asarray(v) for k, v in out.items()}


# --- ARIMA ------------------------------------------------------------------------------


def test_arima_with_x_recovers_the_coefficient_and_the_ar_error() -> None:
    y_train, _, X_train, _ = split(*simulate(0))
    results = ARIMAForecaster(p=1).fit(y_train, X_train).results_
    assert abs(results.params["price"] - BETA) < 4 * COEFFICIENT_SE, results.params
    # statsmodels' own standard error agrees with the formula in the module docstring
    assert abs(results.bse["price"] / COEFFICIENT_SE - 1) < 0.3, results.bse
    # the AR coefficient's standard error is about sqrt((1 - phi^2) / n) = 0.05
    assert abs(results.params["ar.L1"] - PHI) < 4 * np.sqrt((1 - PHI**2) / N), results.params


def test_arima_coefficient_is_unbiased_over_replications() -> None:
    estimates = [
        ARIMAForecaster(p=1).fit(*split(*simulate(seed))[::2]).results_.params["price"]
        for seed in range(20)
    ]
    assert abs(np.mean(estimates) - BETA) < 4 * COEFFICIENT_SE / np.sqrt(20), estimates


def test_arima_forecast_with_the_future_x_is_much_better(
    arima_errors: dict[str, np.ndarray],
) -> None:
    with_x, without_x = arima_errors["with"], arima_errors["without"]
    standard_error = with_x.std(ddof=1) / np.sqrt(R)
    # with X, only the AR(1) error is left: its theoretical MSE, within 4 standard errors
    assert abs(with_x.mean() - MSE_WITH_X) < 4 * standard_error, (with_x.mean(), MSE_WITH_X)
    assert with_x.mean() < 0.25 * without_x.mean(), (with_x.mean(), without_x.mean())


def test_arima_interval_with_x_covers_and_is_narrower(
    arima_errors: dict[str, np.ndarray],
) -> None:
    coverage = arima_errors["coverage"]
    assert abs(coverage.mean() - 0.9) < 4 * coverage.std(ddof=1) / np.sqrt(R), coverage.mean()
    assert arima_errors["width"].mean() < 0.6 * arima_errors["width_without"].mean()


def test_auto_arima_tests_unit_roots_on_the_regression_residuals() -> None:
    # x is a random walk, so y is too; y - 3 x is a stationary AR(1), which the KPSS
    # tests see only on the residuals of the regression on X (as R's auto.arima does).
    y_train, y_test, X_train, X_test = split(*simulate(100, random_walk_x=True))
    with_x = AutoARIMAForecaster().fit(y_train, X_train)
    without_x = AutoARIMAForecaster().fit(y_train)
    assert with_x.order_[1] == 0 and without_x.order_[1] == 1, (with_x.order_, without_x.order_)
    coefficient = with_x.coefficients_["price"]
    assert abs(coefficient - BETA) < 0.1 * BETA, with_x.coefficients_
    assert mse(with_x.predict(H, X_test), y_test) < 0.25 * mse(without_x.predict(H), y_test)


# --- reduction --------------------------------------------------------------------------


def test_reduction_with_x_beats_itself_without_x() -> None:
    errors = {"with": [], "without": []}
    for seed in range(R):
        y_train, y_test, X_train, X_test = split(*simulate(seed))
        model = ReductionForecaster(LinearRegression(), window_length=3)
        errors["with"].append(mse(model.fit(y_train, X_train).predict(H, X_test), y_test))
        errors["without"].append(mse(model.fit(y_train).predict(H), y_test))
    with_x, without_x = np.mean(errors["with"]), np.mean(errors["without"])
    assert with_x < 0.25 * without_x, (with_x, without_x)
    # the lags of y cannot stand in for x_t: 3 x_t has variance 9, which stays unexplained
    assert without_x > BETA**2, without_x


def test_reduction_uses_the_x_row_of_the_target_time() -> None:
    # y is exactly 2 x: a regression on [y lags, x_t] is exact, on x_{t-1} it would not be
    x = np.random.default_rng(5).normal(size=40)
    y = pd.Series(2.0 * x[:30])
    model = ReductionForecaster(LinearRegression(), window_length=2)
    forecast = model.fit(y, x[:30, None]).predict([1, 5], x[30:, None])
    np.testing.assert_allclose(forecast.to_numpy(), 2.0 * x[[30, 34]], atol=1e-8)
    assert forecast.index.tolist() == [30, 34]


# --- the X conventions and their errors -------------------------------------------------


@pytest.fixture(scope="module")
def fitted() -> tuple[ARIMAForecaster, pd.DataFrame]:
    y, X = simulate(0)
    X = X.assign(temperature=np.linspace(0, 1, len(X)))
    return ARIMAForecaster(p=1).fit(y.iloc[:N], X.iloc[:N]), X.iloc[N:]


@pytest.mark.parametrize("model", [ARIMAForecaster(p=1), ReductionForecaster(window_length=3)])
def test_predict_without_x_after_fit_with_x_names_the_columns(model: Any) -> None:
    y, X = simulate(0)
    model.fit(y.iloc[:N], X.iloc[:N])
    name = type(model).__name__
    message = (
        f"{name} was fitted with exogenous X (columns price); pass X with the 12 future rows "
        "to predict"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        model.predict([1, 12])


def test_predict_interval_without_x_after_fit_with_x_raises(fitted: Any) -> None:
    model, _ = fitted
    with pytest.raises(ValueError, match=r"columns price, temperature\); pass X with the 6"):
        model.predict_interval(6)


def test_x_with_too_few_future_rows_raises(fitted: Any) -> None:
    model, X_future = fitted
    with pytest.raises(
        ValueError, match=r"^X must have one row per future step 1..12 \(12 rows\), found 5 rows$"
    ):
        model.predict(12, X_future.iloc[:5])


def test_x_with_other_columns_than_at_fit_raises(fitted: Any) -> None:
    model, X_future = fitted
    with pytest.raises(
        ValueError,
        match=r"^X must have the columns seen at fit \(price, temperature\), found \(price, rain\)",
    ):
        model.predict(12, X_future.rename(columns={"temperature": "rain"}))
    with pytest.raises(ValueError, match="columns seen at fit"):
        model.predict(12, X_future[["price"]])


def test_x_columns_in_another_order_rows_beyond_and_arrays_are_accepted(fitted: Any) -> None:
    model, X_future = fitted
    expected = model.predict([2, 4], X_future)
    reordered = model.predict([2, 4], X_future[["temperature", "price"]].iloc[:4])
    positional = model.predict([2, 4], X_future.to_numpy())
    pd.testing.assert_series_equal(reordered, expected)
    pd.testing.assert_series_equal(positional, expected)


def test_x_on_the_wrong_future_dates_raises(fitted: Any) -> None:
    model, X_future = fitted
    shifted = X_future.set_axis(X_future.index + 1)
    with pytest.raises(ValueError, match="X must start at the first future time point"):
        model.predict(6, shifted)


def test_x_at_predict_after_fit_without_x_raises() -> None:
    y, X = simulate(0)
    model = ARIMAForecaster(p=1).fit(y.iloc[:N])
    with pytest.raises(ValueError, match="was fitted without exogenous X, but X was given"):
        model.predict(H, X.iloc[N:])


def test_bad_x_at_fit_raises() -> None:
    y, X = simulate(0)
    y_train, X_train = y.iloc[:N], X.iloc[:N]
    with pytest.raises(
        ValueError, match=r"^X must have one row per time point of y \(200\), found 199 rows$"
    ):
        ARIMAForecaster().fit(y_train, X_train.iloc[1:].reset_index(drop=True))
    with pytest.raises(ValueError, match="X must have the index of y"):
        ARIMAForecaster().fit(y_train, X.iloc[1 : N + 1])
    with pytest.raises(ValueError, match="column 'holiday' of dtype"):
        ARIMAForecaster().fit(y_train, X_train.assign(holiday="no"))
    with_nan = X_train.copy()
    with_nan.iloc[7, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN in columns price"):
        ReductionForecaster().fit(y_train, with_nan)
    with pytest.raises(ValueError, match="found a 3-D input"):
        ReductionForecaster().fit(y_train, np.zeros((N, 1, 1)))


def test_x_without_an_index_aligns_by_position() -> None:
    y, X = simulate(0)
    frame = validate_exogenous(X.iloc[:N].to_numpy(), y.index[:N])
    assert frame.index.equals(y.index[:N]) and frame[0].tolist() == X["price"].iloc[:N].tolist()


def test_forecasters_without_the_capability_ignore_x() -> None:
    y, X = simulate(0)
    plain = NaiveForecaster().fit(y.iloc[:N]).predict(3)
    pd.testing.assert_series_equal(NaiveForecaster().fit(y.iloc[:N], X.iloc[:N]).predict(3), plain)
    pd.testing.assert_series_equal(NaiveForecaster().fit(y.iloc[:N]).predict(3, "anything"), plain)


# --- compositions pass X to their forecaster --------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda f: TransformedTargetForecaster(transformer=StandardScaler(), forecaster=f),
        lambda f: ForecastingPipeline(transformer="passthrough", forecaster=f),
    ],
    ids=["transformed-target", "pipeline"],
)
def test_compositions_pass_x_to_their_forecaster(make: Any) -> None:
    y_train, y_test, X_train, X_test = split(*simulate(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make(ARIMAForecaster(p=1)).fit(y_train, X_train)
        direct = ARIMAForecaster(p=1).fit(y_train, X_train).predict(H, X_test)
    forecast = model.predict(H, X_test)
    np.testing.assert_allclose(forecast.to_numpy(), direct.to_numpy(), rtol=1e-4)
    assert mse(forecast, y_test) < 0.25 * mse(
        make(ARIMAForecaster(p=1)).fit(y_train).predict(H), y_test
    )
    with pytest.raises(ValueError, match="pass X with the 12 future rows"):
        model.predict(H)


# --- the conformance check --------------------------------------------------------------


@component(
    id="demo.exogenous-naive",
    name="Naive forecaster claiming X",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Declares the exogenous capability but ignores X.",
    capabilities=["univariate", "exogenous"],
)
class ClaimsExogenous(NaiveForecaster):
    """The last value, whatever X says."""


def test_check_exogenous_fails_on_a_forecaster_that_ignores_x() -> None:
    with pytest.raises(AssertionError, match="does not change with X"):
        check_exogenous(ClaimsExogenous)


@pytest.mark.parametrize("cls", [ARIMAForecaster, AutoARIMAForecaster, ReductionForecaster])
def test_check_exogenous_passes_on_the_exogenous_forecasters(cls: type) -> None:
    check_exogenous(cls)
