"""Forecasting components on the airline passengers series, next to published figures.

Two set-ups from /work/shared/BENCHMARKS.md, both on `aeon.datasets.load_airline()`:

1. last 36 months held out, MAPE of one 36-step forecast (sktime forecasting tutorial);
2. horizon 12, 3-fold expanding window (cutoffs 1956-12, 1957-12, 1958-12), mean MASE
   with the seasonal naive scale (sp=12) (PyCaret time-series tutorial), run with
   `evaluation.backtest` on the series without its last 12 months (PyCaret keeps them
   as a final test set), which puts the folds' cutoffs where the tutorial has them.

PyCaret's `exp_smooth`, `ets` and `arima` use their own default settings, so in the
second table those rows compare model families rather than identical models; naive,
seasonal naive and auto-ARIMA are the same models in both.

Prints two tables (and the fit time of each model, for information); not a test.
Run: `.venv/bin/python bench/forecasting_airline.py`.
"""

from __future__ import annotations

import time
import warnings

import pandas as pd

from catalog.atoms.forecasting.arima import ARIMAForecaster, AutoARIMAForecaster
from catalog.atoms.forecasting.evaluation import BacktestEvaluator
from catalog.atoms.forecasting.metrics import MeanAbsolutePercentageError, MeanAbsoluteScaledError
from catalog.atoms.forecasting.naive import (
    DriftForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
)
from catalog.atoms.forecasting.reduction import ReductionForecaster
from catalog.atoms.forecasting.statistical import ETSForecaster, ThetaForecaster
from catalog.molecules.forecasting_lag_regression import LagRegressionForecaster
from catalog.molecules.forecasting_log_ets import LogETSForecaster
from catalog.organisms.forecasting_pipeline import ForecastingPipeline

# (label, forecaster, published MAPE on the 36-month hold-out, published mean MASE)
MODELS = [
    ("naive", NaiveForecaster(), None, 2.360),
    ("drift", DriftForecaster(), None, None),
    ("seasonal naive (sp=12)", SeasonalNaiveForecaster(sp=12), 0.1319, 1.148),
    ("AutoETS  [ets auto=True]", ETSForecaster(sp=12, auto=True), 0.0619, 0.593),
    ("Holt-Winters additive  [ets]", ETSForecaster(sp=12), 0.0511, 0.585),
    ("ARIMA(1,1,0)(0,1,0)12  [arima]", ARIMAForecaster(1, 1, 0, 0, 1, 0, sp=12), 0.0436, 0.683),
    ("AutoARIMA(sp=12)  [auto-arima]", AutoARIMAForecaster(sp=12), 0.0415, 0.718),
    ("Theta  [theta]", ThetaForecaster(sp=12), None, 0.973),
    ("reduction (ridge, 12 lags)", ReductionForecaster(window_length=12), None, None),
    ("lag-regression (ridge)", LagRegressionForecaster(), None, None),
    ("log-ets", LogETSForecaster(sp=12), None, None),
    ("forecasting.pipeline (defaults)", ForecastingPipeline(), None, None),
]


def _load() -> pd.Series:
    from aeon.datasets import load_airline

    return load_airline(return_array=False).astype(float)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def holdout_table(y: pd.Series) -> None:
    train, test = y.iloc[:-36], y.iloc[-36:]
    mape = MeanAbsolutePercentageError()
    print(f"Hold-out: train {train.index[0]}..{train.index[-1]}, test {len(test)} months, MAPE")
    print(f"{'model':<34} {'atomkb':>8} {'published':>10} {'fit s':>7}")
    for label, model, published, _ in MODELS:
        start = time.perf_counter()
        forecast = model.fit(train).predict(36)
        seconds = time.perf_counter() - start
        extra = ""
        if hasattr(model, "order_"):
            extra = f"  {model.order_}{model.seasonal_order_[:3]}{model.seasonal_order_[3]}"
        if getattr(model, "auto", False):
            extra = f"  {model.spec_}"
        print(
            f"{label:<34} {mape(test, forecast):>8.4f} {_fmt(published):>10} {seconds:>7.2f}{extra}"
        )


def backtest_table(y: pd.Series) -> None:
    print("\nBacktest: horizon 12, 3 expanding-window folds, mean MASE (sp=12)")
    print(f"{'model':<34} {'atomkb':>8} {'published':>10} {'cutoffs'}")
    for label, model, _, published in MODELS:
        evaluator = BacktestEvaluator(model, metrics=[MeanAbsoluteScaledError(sp=12)], horizon=12)
        table = evaluator.evaluate(y.iloc[:-12])
        cutoffs = ",".join(str(c) for c in table["cutoff"])
        print(f"{label:<34} {table['mase'].mean():>8.3f} {_fmt(published):>10} {cutoffs}")


def main() -> None:
    warnings.simplefilter("ignore")  # statsmodels' convergence chatter; figures are printed
    y = _load()
    holdout_table(y)
    backtest_table(y)


if __name__ == "__main__":
    main()
