"""The forecast-residual detector fits its forecaster once and runs it over the series."""

from __future__ import annotations

import numpy as np
import pytest

from catalog.atoms.forecasting.auto_ets import AutoETSForecaster
from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
from catalog.atoms.forecasting.statistical import ThetaForecaster
from catalog.molecules.anomaly_forecast_residual import ForecastResidualDetector


def seasonal_with_spike(n: int = 240) -> np.ndarray:
    rng = np.random.default_rng(3)
    y = np.tile([1.0, 3.0, 2.0, 5.0], n // 4) + rng.normal(0, 0.1, n)
    y[200] += 4.0
    return y


def test_fitting_once_gives_the_rolling_refit_residuals_of_a_parameter_free_forecaster():
    y = seasonal_with_spike()
    once = ForecastResidualDetector(forecaster=SeasonalNaiveForecaster(sp=4)).fit(y[:150])
    rolling = ForecastResidualDetector(forecaster=SeasonalNaiveForecaster(sp=4), refit_every=1).fit(
        y[:150]
    )
    np.testing.assert_allclose(once.residuals(y), rolling.residuals(y))


def test_a_fitted_automatic_model_scores_a_new_series_without_refitting():
    y = seasonal_with_spike()
    detector = ForecastResidualDetector(forecaster=AutoETSForecaster(sp=4)).fit(y[:150])
    fitted_params = detector.forecaster_.results_.model_["par"].copy()
    scores = detector.anomaly_score(y)
    assert int(np.argmax(scores)) == 200
    np.testing.assert_array_equal(detector.forecaster_.results_.model_["par"], fitted_params)


def test_a_forecaster_without_one_step_forecasts_needs_refit_every():
    y = seasonal_with_spike()
    with pytest.raises(ValueError, match=r"has no predict_one_step.*pass refit_every=k"):
        ForecastResidualDetector(forecaster=ThetaForecaster(sp=4)).fit(y[:150])
    detector = ForecastResidualDetector(forecaster=ThetaForecaster(sp=4), refit_every=50)
    assert len(detector.fit(y[:150]).anomaly_score(y)) == len(y)
