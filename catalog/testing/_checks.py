"""The individual conformance checks and the function that runs them all."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags

from catalog._core.declare import META_ATTRIBUTE
from catalog.base import (
    BaseClassifier,
    BaseDataset,
    BaseDetector,
    BaseEvaluator,
    BaseForecaster,
    BaseMetric,
    BasePanelTransformer,
    BaseSeriesTransformer,
    BaseSplitter,
    BaseThreshold,
    future_index,
)
from catalog.testing._data import make_anomaly_series, make_forecasting_series, make_panel

__all__ = ["check_component", "component_checks"]

Check = Callable[[type], None]


def check_component(cls: type) -> None:
    """Run every conformance check on a component class; raise on the first failure.

    Checks: the constructor stores its parameters (``get_params`` / ``set_params``
    round-trip, ``clone``), fitting and predicting on small data for each declared
    task, identical output twice with a fixed ``random_state``, identical output after
    a pickle round-trip, nested ``predict_interval`` bounds for a ``probabilistic``
    forecaster, ``fit(y, X)`` and ``predict(6, X_future)`` for an ``exogenous``
    forecaster (a forecast on the future index that moves with ``X``, and a
    ``ValueError`` when ``X`` is missing or too short at predict), scikit-learn's
    ``NotFittedError`` from every output method (``predict``, ``transform``,
    ``anomaly_score``...) called before ``fit`` unless the component declares
    ``requires_fit=False`` in its tags (then the same output unfitted as fitted), and
    a clear ``ValueError`` on wrongly shaped input or on NaN unless ``missing-values``
    is a declared capability.

    Raises
    ------
    AssertionError
        Naming the check that failed and what it found.
    """
    for check in component_checks(cls):
        check(cls)


def component_checks(cls: type) -> Iterator[Check]:
    """The checks that apply to ``cls`` (for ``pytest.mark.parametrize``)."""
    if META_ATTRIBUTE not in vars(cls):
        raise TypeError(f"{cls.__name__} is not decorated with @component")
    yield check_constructor_stores_parameters
    yield check_set_params_round_trip
    yield check_clone
    if issubclass(cls, BaseDataset):
        yield check_dataset_loads
        return
    yield check_fit_and_output
    if not issubclass(cls, BaseMetric | BaseSplitter | BaseEvaluator):
        if get_tags(cls()).requires_fit:
            yield check_not_fitted_raises
        else:
            yield check_stateless_works_unfitted
    if issubclass(cls, BaseForecaster) and "probabilistic" in _meta(cls).get("capabilities", []):
        yield check_prediction_interval
    if issubclass(cls, BaseForecaster) and "exogenous" in _meta(cls).get("capabilities", []):
        yield check_exogenous
    if "randomized" in _meta(cls).get("capabilities", []) or "random_state" in _params(cls):
        yield check_reproducible
    yield check_pickle_round_trip
    if not issubclass(cls, BaseSplitter):
        yield check_wrong_shape_raises
    if "missing-values" not in _meta(cls).get("capabilities", []) and not issubclass(
        cls, BaseSplitter
    ):
        yield check_nan_raises


def _meta(cls: type) -> dict[str, Any]:
    return getattr(cls, META_ATTRIBUTE)


def _params(cls: type) -> list[str]:
    return list(cls._get_param_names())  # type: ignore[attr-defined]


def _instance(cls: type) -> Any:
    est = cls()
    if "random_state" in _params(cls):
        est.set_params(random_state=0)
    return est


# --- construction -------------------------------------------------------------------


def check_constructor_stores_parameters(cls: type) -> None:
    import inspect

    est = cls()
    signature = inspect.signature(cls.__init__) if "__init__" in vars(cls) else None
    params = est.get_params(deep=False)
    expected = [] if signature is None else list(signature.parameters)[1:]
    assert sorted(params) == sorted(expected), (
        f"{cls.__name__}.get_params() returned {sorted(params)}, expected the constructor "
        f"parameters {sorted(expected)}; __init__ must store every argument unchanged"
    )
    for name in expected:
        default = signature.parameters[name].default  # type: ignore[union-attr]
        assert params[name] is default or params[name] == default, (
            f"{cls.__name__}.__init__ changed {name}: stored {params[name]!r}, received {default!r}"
        )


def check_set_params_round_trip(cls: type) -> None:
    est = cls()
    params = est.get_params(deep=False)
    assert est.set_params(**params) is est, f"{cls.__name__}.set_params must return self"
    assert est.get_params(deep=False).keys() == params.keys()


def check_clone(cls: type) -> None:
    est = cls()
    copy = clone(est)
    assert copy is not est
    assert type(copy) is cls
    assert copy.get_params(deep=False).keys() == est.get_params(deep=False).keys()


# --- behaviour per kind ---------------------------------------------------------------


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


def check_fit_and_output(cls: type) -> None:
    _run(_instance(cls), _sample_data())


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


def check_stateless_works_unfitted(cls: type) -> None:
    """``requires_fit=False``: every output method gives, unfitted, what it gives fitted."""
    data = _sample_data()
    calls = list(_output_calls(cls, data))
    assert calls, f"{cls.__name__} derives from no catalog base class with an output method"
    fitted = _instance(cls)
    _run(fitted, data)
    for method, call in calls:
        _assert_same(
            call(_instance(cls)),
            call(fitted),
            f"{cls.__name__}.{method} declares requires_fit=False but gives another output "
            "unfitted than fitted",
        )


def check_not_fitted_raises(cls: type) -> None:
    calls = list(_output_calls(cls, _sample_data()))
    assert calls, f"{cls.__name__} derives from no catalog base class with an output method"
    for method, call in calls:
        try:
            call(_instance(cls))
        except NotFittedError:
            continue
        except Exception as error:
            raise AssertionError(
                f"{cls.__name__}.{method} called before fit raised {type(error).__name__}; "
                f"expected sklearn's NotFittedError: call check_is_fitted(self) first in "
                f"{method}, or set tags.requires_fit = False if fit learns nothing: {error}"
            ) from error
        raise AssertionError(
            f"{cls.__name__}.{method} called before fit raised nothing; expected sklearn's "
            f"NotFittedError (call check_is_fitted(self) first in {method}), or set "
            "tags.requires_fit = False in __sklearn_tags__ if fit learns nothing"
        )


def check_reproducible(cls: type) -> None:
    data = _sample_data()
    first, second = _run(_instance(cls), data), _run(_instance(cls), data)
    _assert_same(first, second, f"{cls.__name__} gave different results with random_state=0")


def check_pickle_round_trip(cls: type) -> None:
    data = _sample_data()
    est = _instance(cls)
    expected = _run(est, data)
    restored = pickle.loads(pickle.dumps(est))
    _assert_same(expected, _run(restored, data), f"{cls.__name__} changed after pickling")


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


def _bad_inputs(cls: type, data: dict[str, Any]) -> Iterator[tuple[str, Callable[[Any], Any]]]:
    """(what is wrong, call) pairs for the component's kind."""
    wrong_series = np.zeros((4, 2, 10))
    if issubclass(cls, BaseForecaster | BaseSeriesTransformer | BaseDetector):
        yield "a 3-D array", lambda est: est.fit(wrong_series)
    elif issubclass(cls, BaseEvaluator) and _meta(cls)["tasks"][0] != "classification":
        yield (
            "a 3-D array",
            lambda est: est.evaluate(
                wrong_series, *(() if _meta(cls)["tasks"][0] == "forecasting" else (np.zeros(4),))
            ),
        )
    elif issubclass(cls, BaseClassifier | BasePanelTransformer):
        X, y = data["panel"]
        yield "a 2-D array", lambda est: est.fit(X[:, 0, :], y)
    elif issubclass(cls, BaseThreshold):
        yield "a 3-D array", lambda est: est.fit(wrong_series)
    elif issubclass(cls, BaseMetric):
        yield (
            "inputs of different lengths",
            lambda est: est(
                *(_shorten(v) if i else v for i, v in enumerate(_metric_inputs(est, data)))
            ),
        )


def _shorten(value: Any) -> Any:
    return value.iloc[:-1] if isinstance(value, pd.Series) else np.asarray(value)[:-1]


def _with_nan(value: Any) -> Any:
    if isinstance(value, tuple):
        return (_with_nan(value[0]), *value[1:])
    copy = value.astype(float) if isinstance(value, np.ndarray) else value.astype(float).copy()
    if isinstance(copy, pd.Series):
        copy.iloc[len(copy) // 2] = np.nan
    else:
        copy[(len(copy) // 2,) + (0,) * (copy.ndim - 1)] = np.nan
    return copy


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


def check_wrong_shape_raises(cls: type) -> None:
    data = _sample_data()
    for what, call in _bad_inputs(cls, data):
        _expect_value_error(cls, what, lambda call=call: call(_instance(cls)))


def check_nan_raises(cls: type) -> None:
    data = _sample_data()
    data_nan = dict(data)
    for key in ("forecast", "panel", "anomaly", "scores"):
        data_nan[key] = _with_nan(data[key])
    if issubclass(cls, BaseMetric):
        est = _instance(cls)
        y_true, y_pred = _metric_inputs(est, data)
        if _meta(cls)["tasks"][0] == "classification" and est.prediction != "proba":
            return  # labels may be strings; NaN is not a meaningful label
        call: Callable[[], Any] = lambda: est(y_true, _with_nan(np.asarray(y_pred, dtype=float)))  # noqa: E731
    else:
        call = lambda: _run(_instance(cls), data_nan)  # noqa: E731
    try:
        call()
    except ValueError as error:
        assert "nan" in str(error).lower() or "missing" in str(error).lower(), (
            f"{cls.__name__} raised a ValueError on NaN that does not say so: {error}"
        )
        return
    except AssertionError:
        raise
    except Exception as error:
        raise AssertionError(
            f"{cls.__name__} raised {type(error).__name__} on NaN input; expected a ValueError "
            "saying that missing values are not handled (or declare 'missing-values')"
        ) from error
    raise AssertionError(
        f"{cls.__name__} accepted NaN input but does not declare the 'missing-values' capability"
    )


def check_dataset_loads(cls: type) -> None:
    meta = _meta(cls)
    info = meta.get("dataset") or {}
    data = cls().load()
    task = meta["tasks"][0]
    if task == "forecasting":
        assert isinstance(data, pd.Series | pd.DataFrame), "a forecasting dataset loads a series"
        assert len(data) == info.get("length"), (
            f"declared length {info.get('length')}, loaded {len(data)}"
        )
    elif task == "classification":
        X, y = data
        assert X.ndim == 3 and len(X) == len(y), "a classification dataset loads (X 3-D, y)"
        if info.get("n_classes"):
            assert len(np.unique(y)) == info["n_classes"], "n_classes does not match the data"
    else:
        series, labels = data
        assert len(series) == len(labels), "an anomaly dataset loads (series, labels)"
        assert set(np.unique(labels)) <= {0, 1}, "anomaly labels are 0/1"
