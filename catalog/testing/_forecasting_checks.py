"""Checks of the forecasting capabilities: prediction intervals and exogenous variables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from catalog.base import future_index
from catalog.testing._support import _expect_value_error, _instance, _sample_data


def check_prediction_interval(cls: type) -> None:
    """A ``probabilistic`` forecaster: nested intervals on the forecast's own index."""
    y = _sample_data()["forecast"]
    est = _instance(cls).fit(y)
    assert hasattr(est, "predict_interval"), (
        f"{cls.__name__} declares the probabilistic capability but has no predict_interval"
    )
    point = est.predict(6)
    narrow, wide = est.predict_interval(6, coverage=0.5), est.predict_interval(6, coverage=0.95)
    for frame in (narrow, wide):
        assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["lower", "upper"], (
            f"{cls.__name__}.predict_interval must return a DataFrame of lower and upper"
        )
        assert frame.index.equals(point.index), "the interval must be on the forecast's index"
        assert np.isfinite(frame.to_numpy()).all(), "interval bounds must be finite"
    assert (wide["lower"] <= narrow["lower"]).all() and (narrow["upper"] <= wide["upper"]).all(), (
        f"{cls.__name__}: the 95% interval must contain the 50% interval"
    )
    assert (narrow["lower"] < narrow["upper"]).all(), "an interval must have a positive width"
    for bad in (0.0, 1.0, 90, "0.9"):
        try:
            est.predict_interval(6, coverage=bad)
        except ValueError:
            continue
        raise AssertionError(f"{cls.__name__}.predict_interval accepted coverage={bad!r}")


def _sample_exogenous(y: pd.Series, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two exogenous variables on ``y``'s index and on the ``horizon`` steps after it."""
    values = np.random.default_rng(1).normal(size=(len(y) + horizon, 2))
    columns = ["price", "temperature"]
    future = future_index(y.index, np.arange(1, horizon + 1))
    return (
        pd.DataFrame(values[: len(y)], index=y.index, columns=columns),
        pd.DataFrame(values[len(y) :], index=future, columns=columns),
    )


def check_exogenous(cls: type) -> None:
    """An ``exogenous`` forecaster: fit with X, forecast with the future X, refuse bad X."""
    base = _sample_data()["forecast"]
    X, X_future = _sample_exogenous(base, 6)
    y = base + 5.0 * X["price"]
    est = _instance(cls)
    assert est.fit(y, X) is est, "fit(y, X) must return self"
    out = est.predict(6, X_future)
    assert isinstance(out, pd.Series) and len(out) == 6, "predict(6, X) must give 6 values"
    assert out.index.equals(X_future.index), (
        f"{cls.__name__}.predict(6, X) must be indexed by the 6 future time points"
    )
    assert np.isfinite(out.to_numpy(dtype=float)).all(), "the forecast must be finite"
    moved = est.predict(6, X_future.assign(price=X_future["price"] + 3.0))
    assert not np.allclose(moved.to_numpy(dtype=float), out.to_numpy(dtype=float)), (
        f"{cls.__name__} declares the exogenous capability but its forecast does not "
        "change with X (y depends on X['price'] here)"
    )
    if hasattr(est, "predict_interval"):
        band = est.predict_interval(6, X_future)
        assert band.index.equals(out.index), "predict_interval(6, X) must be on the forecast index"
    bad_calls = [
        ("fitted with X, predict without X", lambda: est.predict(6)),
        ("X with 3 rows for 6 steps", lambda: est.predict(6, X_future.iloc[:3])),
        ("fitted without X, predict with X", lambda: _instance(cls).fit(y).predict(6, X_future)),
    ]
    for what, call in bad_calls:
        _expect_value_error(cls, what, call, " (catalog.validation.check_future_exogenous)")
