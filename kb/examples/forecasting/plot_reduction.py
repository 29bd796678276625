"""
Forecasting by reduction to regression
======================================

A regressor does not know about time, but it can learn "the next value from the last
``k`` values" — reducing forecasting to a tabular problem. This example forecasts the
monthly CO2 concentration at Mauna Loa (1958-2001) two years ahead with the catalog's
reduction forecasters: a ridge regression on a window of past values, and a gradient
boosting model on lags, rolling statistics and the month.

It starts with the seasonal naive forecast, the baseline every model must beat, and
evaluates all of them on the same two held-out years with MAE and RMSE.
"""

# %%
# Load the series and hold out two years
# --------------------------------------
import matplotlib.pyplot as plt
from sklearn.ensemble import HistGradientBoostingRegressor

from catalog import get_component

y = get_component("dataset.co2")().load()
train, test = y.iloc[:-24], y.iloc[-24:]
print(f"{len(y)} months, {y.index[0]} to {y.index[-1]}; forecasting {len(test)} months")

# %%
# The naive approach: repeat last year
# ------------------------------------
MAE, RMSE = get_component("metric.mae"), get_component("metric.rmse")
forecasts = {
    "seasonal naive": get_component("forecasting.seasonal-naive")(sp=12)
    .fit(train)
    .predict(len(test))
}

# %%
# Reduction with a linear model
# -----------------------------
# ``forecasting.reduction`` trains a regressor (ridge by default) on windows of the
# last ``window_length`` values and forecasts recursively, one step at a time.
Reduction = get_component("forecasting.reduction")
forecasts["ridge on 24 lags"] = Reduction(window_length=24).fit(train).predict(len(test))

# %%
# Reduction with engineered features
# ----------------------------------
# ``forecasting.lag-regression`` builds lags, rolling means and deviations and the month
# (one-hot) from the catalog's feature atoms, and fits any scikit-learn regressor.
# Gradient boosting is a strong tabular model, but trees predict only values within
# the range seen in training, which a rising series leaves. We show the effect rather
# than hide it.
LagRegression = get_component("forecasting.lag-regression")
boosting = LagRegression(
    regressor=HistGradientBoostingRegressor(max_iter=50, random_state=0), lags=24
)
forecasts["boosting on lag features"] = boosting.fit(train).predict(len(test))

for name, forecast in forecasts.items():
    print(f"{name:>25}: MAE {MAE()(test, forecast):.3f} ppm, RMSE {RMSE()(test, forecast):.3f} ppm")

# %%
# Plot the last years and the forecasts
# -------------------------------------
recent = y.iloc[-96:]
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
ax.plot(
    recent.index.to_timestamp(), recent.to_numpy(), color="black", linewidth=1, label="observed"
)
for name, forecast in forecasts.items():
    ax.plot(
        forecast.index.to_timestamp(),
        forecast.to_numpy(),
        linewidth=1.2,
        label=f"{name} (MAE {MAE()(test, forecast):.2f})",
    )
ax.axvline(test.index[0].to_timestamp(), color="grey", linestyle=":")
ax.set_ylabel("CO2 (ppm)")
ax.set_title("Mauna Loa CO2: two years held out")
ax.legend(loc="upper left", fontsize="small")
plt.show()

# %%
# Conclusion
# ----------
# A linear model on past values extrapolates the rising trend and the season. A tree
# ensemble only predicts values it has seen, so on a trending series it falls behind;
# difference the series first (``preprocessing.difference``) or prefer a linear or
# statistical model. Whatever the model, compare it with the seasonal naive forecast
# on the same held-out period.
