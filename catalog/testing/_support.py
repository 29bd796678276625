"""What the checks share: an instance, sample data, running a component, comparisons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from catalog._core.declare import META_ATTRIBUTE
from catalog.base import (
    BaseClassifier,
    BaseDetector,
    BaseEvaluator,
    BaseForecaster,
    BaseMetric,
    BasePanelTransformer,
    BaseSeriesTransformer,
    BaseSplitter,
    BaseThreshold,
)
from catalog.testing._data import make_anomaly_series, make_forecasting_series, make_panel


def _meta(cls: type) -> dict[str, Any]:
    return getattr(cls, META_ATTRIBUTE)


def _params(cls: type) -> list[str]:
    return list(cls._get_param_names())  # type: ignore[attr-defined]


def _instance(cls: type) -> Any:
    est = cls()
    if "random_state" in _params(cls):
        est.set_params(random_state=0)
    return est


def _run(est: Any, data: dict[str, Any]) -> Any:
    """Fit on the sample data of its kind and return its main output."""
    if isinstance(est, BaseForecaster):
        y = data["forecast"]
        assert est.fit(y) is est, "fit must return self"
        out = est.predict(6)
        assert isinstance(out, pd.Series) and len(out) == 6, "predict(6) must give 6 values"
        assert out.index[0] > y.index[-1], "the forecast must start after the series ends"
        return out.to_numpy()
    if isinstance(est, BaseClassifier):
        X, y = data["panel"]
        assert est.fit(X, y) is est, "fit must return self"
        pred = est.predict(X)
        assert pred.shape == y.shape and set(pred) <= set(y), "predict must return known labels"
        if hasattr(est, "predict_proba"):
            proba = est.predict_proba(X)
            assert np.allclose(proba.sum(axis=1), 1.0), "predict_proba rows must sum to 1"
        return pred
    if isinstance(est, BasePanelTransformer):
        X, y = data["panel"]
        assert est.fit(X, y) is est, "fit must return self"
        out = np.asarray(est.transform(X))
        assert out.shape[0] == X.shape[0], "transform must keep one row per case"
        return out
    if isinstance(est, BaseDetector):
        y = data["anomaly"][0]
        assert est.fit(y) is est, "fit must return self"
        scores = np.asarray(est.anomaly_score(y))
        assert scores.shape == (len(y),), "anomaly_score must give one score per point"
        assert np.isfinite(scores).all(), "scores must be finite"
        return scores
    if isinstance(est, BaseThreshold):
        scores = data["scores"]
        assert est.fit(scores) is est, "fit must return self"
        labels = np.asarray(est.predict(scores))
        assert labels.shape == scores.shape and set(np.unique(labels)) <= {0, 1}
        return labels
    if isinstance(est, BaseSeriesTransformer):
        y = data["forecast"] if "forecasting" in _meta(type(est))["tasks"] else data["anomaly"][0]
        assert est.fit(y) is est, "fit must return self"
        out = est.transform(y)
        if "inverse-transform" in _meta(type(est)).get("capabilities", []):
            back = est.inverse_transform(out)
            assert np.allclose(np.asarray(back, dtype=float), np.asarray(y, dtype=float)), (
                "inverse_transform(transform(y)) must give y back"
            )
        return np.asarray(out, dtype=float)
    if isinstance(est, BaseMetric):
        y_true, y_pred = _metric_inputs(est, data)
        value = est(y_true, y_pred, **_metric_context(est, data))
        assert isinstance(value, float) and np.isfinite(value), "a metric returns a finite float"
        return value
    if isinstance(est, BaseSplitter):
        y = data["forecast"]
        folds = list(est.split(y))
        assert folds, "split must yield at least one fold"
        assert len(folds) == est.get_n_splits(y), "get_n_splits must count the folds"
        for train, test in folds:
            assert len(train) and len(test), "every fold needs training and test points"
            assert train.max() < test.min(), "training points must all precede test points"
        return [np.concatenate(f) for f in folds]
    if isinstance(est, BaseEvaluator):
        task = _meta(type(est))["tasks"][0]
        args = {"forecasting": (data["forecast"],), "classification": data["panel"]}.get(
            task, data["anomaly"]
        )
        table = est.evaluate(*args)
        assert isinstance(table, pd.DataFrame) and len(table) >= 1, (
            "evaluate must return a DataFrame with one row per fold"
        )
        return table.select_dtypes("number").to_numpy()
    raise AssertionError(
        f"{type(est).__name__} derives from no catalog base class; see catalog.base"
    )


def _metric_context(metric: BaseMetric, data: dict[str, Any]) -> dict[str, Any]:
    """Context a metric may need besides the two inputs (MASE scales by the training part)."""
    if _meta(type(metric))["tasks"][0] == "forecasting":
        return {"y_train": data["forecast"].iloc[:-12]}
    return {}


def _metric_inputs(metric: BaseMetric, data: dict[str, Any]) -> tuple[Any, Any]:
    task = _meta(type(metric))["tasks"][0]
    if task == "forecasting":
        y = data["forecast"]
        return y.iloc[-12:], y.iloc[-24:-12].set_axis(y.index[-12:])
    if task == "classification":
        labels = data["panel"][1]
        if metric.prediction == "proba":
            proba = np.where(labels[:, None] == np.unique(labels)[None, :], 0.8, 0.2)
            return labels, proba
        return labels, np.roll(labels, 1)
    truth = data["anomaly"][1]
    if metric.prediction == "scores":
        return truth, data["scores"]
    return truth, np.roll(truth, 2)


def _sample_data() -> dict[str, Any]:
    series, labels = make_anomaly_series()
    scores = np.abs(series.to_numpy() - series.rolling(5, min_periods=1).median().to_numpy())
    return {
        "forecast": make_forecasting_series(),
        "panel": make_panel(),
        "anomaly": (series, labels),
        "scores": scores,
    }


def _output_calls(cls: type, data: dict[str, Any]) -> Iterator[tuple[str, Callable[[Any], Any]]]:
    """(method name, call) pairs of the output methods of the component's kind."""
    if issubclass(cls, BaseForecaster):
        yield "predict", lambda est: est.predict(6)
        if hasattr(cls, "predict_interval"):
            yield "predict_interval", lambda est: est.predict_interval(6)
    elif issubclass(cls, BaseClassifier):
        X = data["panel"][0]
        yield "predict", lambda est: est.predict(X)
        if hasattr(cls, "predict_proba"):
            yield "predict_proba", lambda est: est.predict_proba(X)
    elif issubclass(cls, BasePanelTransformer):
        yield "transform", lambda est: est.transform(data["panel"][0])
    elif issubclass(cls, BaseDetector):
        y = data["anomaly"][0]
        yield "anomaly_score", lambda est: est.anomaly_score(y)
        if hasattr(cls, "predict"):
            yield "predict", lambda est: est.predict(y)
    elif issubclass(cls, BaseThreshold):
        yield "predict", lambda est: est.predict(data["scores"])
    elif issubclass(cls, BaseSeriesTransformer):
        y = data["forecast"] if "forecasting" in _meta(cls)["tasks"] else data["anomaly"][0]
        yield "transform", lambda est: est.transform(y)
        if hasattr(cls, "inverse_transform"):
            yield "inverse_transform", lambda est: est.inverse_transform(y)


def _assert_same(first: Any, second: Any, message: str) -> None:
    if isinstance(first, list):
        assert len(first) == len(second), message
        for a, b in zip(first, second, strict=True):
            _assert_same(a, b, message)
        return
    a, b = np.asarray(first), np.asarray(second)
    if a.dtype.kind in "fc":
        assert np.allclose(a, b, equal_nan=True), message
    else:
        assert np.array_equal(a, b), message


def _expect_value_error(cls: type, what: str, call: Callable[[], Any], hint: str = "") -> None:
    """Assert that ``call()`` raises a ``ValueError`` with a message, and nothing else."""
    try:
        call()
    except ValueError as error:
        assert str(error), f"{cls.__name__} raised an empty ValueError for {what}"
        return
    except Exception as error:
        raise AssertionError(
            f"{cls.__name__} raised {type(error).__name__} for {what}; expected a clear "
            f"ValueError{hint}: {error}"
        ) from error
    raise AssertionError(f"{cls.__name__} accepted {what} without a ValueError")
