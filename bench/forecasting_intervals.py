"""Prediction intervals of the probabilistic forecasters on the airline series.

Rolling origin: a forecast of 12 months from every third month between 1954-12 and
1959-12 (21 origins, each model refitted on all data up to its origin). For each model:
the empirical coverage of its 80% and 95% intervals (share of the 252 future values
inside; the reference is the nominal level itself) and the mean interval score of the
95% interval (Gneiting and Raftery 2007, lower is better: width plus 2/alpha times the
miss distance). Airline passengers grow multiplicatively, so the additive models'
intervals are expected to under-cover at the later origins. statsmodels' Theta
intervals use the variance of the deseasonalised model without re-seasonalising it
(see ``ThetaModelResults.prediction_intervals``), so they come out wide.

Prints a table; not a test. Run: `.venv/bin/python bench/forecasting_intervals.py`.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from catalog.atoms.forecasting.arima import ARIMAForecaster, AutoARIMAForecaster
from catalog.atoms.forecasting.naive import (
    DriftForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
)
from catalog.atoms.forecasting.statistical import ETSForecaster, ThetaForecaster

H = 12
MODELS = [
    ("naive", NaiveForecaster()),
    ("drift", DriftForecaster()),
    ("seasonal naive (sp=12)", SeasonalNaiveForecaster(sp=12)),
    ("ETS(A,A,A) Holt-Winters", ETSForecaster(sp=12)),
    ("ETS(M,A,M)", ETSForecaster(error="mul", seasonal="mul", sp=12)),
    ("AutoETS", ETSForecaster(sp=12, auto=True)),
    ("ARIMA(1,1,0)(0,1,0)12", ARIMAForecaster(1, 1, 0, 0, 1, 0, sp=12)),
    ("AutoARIMA", AutoARIMAForecaster(sp=12)),
    ("Theta", ThetaForecaster(sp=12)),
]


def interval_score(y: np.ndarray, lower: np.ndarray, upper: np.ndarray, alpha: float) -> float:
    """Mean interval score of central (1 - alpha) intervals (Gneiting and Raftery 2007)."""
    below = (2 / alpha) * (lower - y) * (y < lower)
    above = (2 / alpha) * (y - upper) * (y > upper)
    return float(np.mean(upper - lower + below + above))


def main() -> None:
    from aeon.datasets import load_airline

    warnings.simplefilter("ignore")  # statsmodels' convergence chatter; figures are printed
    y = load_airline(return_array=False).astype(float)
    origins = list(range(71, len(y) - H, 3))  # 1954-12 ... 1959-12, the last with 1960 ahead
    print(
        f"Airline, {len(origins)} origins every 3 months from {y.index[origins[0]]} to "
        f"{y.index[origins[-1]]}, horizon {H}: coverage of nominal 80% and 95% intervals"
    )
    print(f"{'model':<26} {'80% cov':>8} {'95% cov':>8} {'IS 95%':>8} {'s/origin':>9}")
    for label, model in MODELS:
        inside80, inside95, scores = [], [], []
        start = time.perf_counter()
        for origin in origins:
            train, future = y.iloc[: origin + 1], y.iloc[origin + 1 : origin + 1 + H].to_numpy()
            model.fit(train)
            band80 = model.predict_interval(H, coverage=0.8)
            band95 = model.predict_interval(H, coverage=0.95)
            inside80 += list((band80["lower"] <= future) & (future <= band80["upper"]))
            inside95 += list((band95["lower"] <= future) & (future <= band95["upper"]))
            scores.append(interval_score(future, band95["lower"], band95["upper"], 0.05))
        seconds = (time.perf_counter() - start) / len(origins)
        print(
            f"{label:<26} {np.mean(inside80):>8.3f} {np.mean(inside95):>8.3f} "
            f"{np.mean(scores):>8.1f} {seconds:>9.2f}"
        )
    print(f"{'nominal':<26} {0.8:>8.3f} {0.95:>8.3f}")


if __name__ == "__main__":
    pd.set_option("display.width", 120)
    main()
