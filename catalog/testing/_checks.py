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
)
from catalog.testing._forecasting_checks import check_exogenous, check_prediction_interval
from catalog.testing._support import (
    _assert_same,
    _expect_value_error,
    _instance,
    _meta,
    _metric_inputs,
    _output_calls,
    _params,
    _run,
    _sample_data,
)

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


def check_fit_and_output(cls: type) -> None:
    _run(_instance(cls), _sample_data())


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
