"""Base classes: the uniform, scikit-learn-style interface of each kind of component.

Every component inherits ``get_params``/``set_params``/``clone`` from scikit-learn's
``BaseEstimator``: ``__init__`` only stores its arguments, validation happens in ``fit``,
learned state ends in ``_``. The base class says which methods a component offers and
which input it takes; :func:`catalog.testing.check_component` checks exactly that.

=====================  =========================================  ==================
base class             methods                                    input
=====================  =========================================  ==================
BaseSeriesTransformer  fit(y) -> self, transform(y)               series (1-D/2-D)
BasePanelTransformer   fit(X, y=None) -> self, transform(X)       panel (3-D)
BaseForecaster         fit(y, X=None) -> self, predict(fh, X)     series
                       (+ predict_interval(fh, X, coverage=0.9)   (+ X: exogenous)
                       when ``probabilistic``)
BaseClassifier         fit(X, y) -> self, predict, predict_proba  panel
BaseDetector           fit(y) -> self, anomaly_score(y)           series
BaseThreshold          fit(scores) -> self, predict(scores)       scores (1-D)
BaseMetric             __call__(y_true, y_pred, **context)        per ``input``
BaseSplitter           split(y) -> (train_idx, test_idx), ...     series
BaseEvaluator          evaluate(*data) -> DataFrame (one row/fold) task's data
BaseDataset            load()                                     -
=====================  =========================================  ==================
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

__all__ = [
    "BaseClassifier",
    "BaseComponent",
    "BaseDataset",
    "BaseDetector",
    "BaseEvaluator",
    "BaseForecaster",
    "BaseMetric",
    "BasePanelTransformer",
    "BaseSeriesTransformer",
    "BaseSplitter",
    "BaseThreshold",
    "check_coverage",
    "forecast_horizon",
    "future_index",
    "interval_frame",
]


class BaseComponent(BaseEstimator):
    """Root of all components: scikit-learn's parameter handling, nothing else."""

    input: ClassVar[Literal["series", "panel", "scores", "none"]] = "series"


class BaseSeriesTransformer(BaseComponent):
    """Transforms a series; pandas in, pandas out (same index unless documented)."""

    def fit(self, y: Any, X: Any = None) -> BaseSeriesTransformer:
        raise NotImplementedError

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        raise NotImplementedError

    def fit_transform(self, y: Any, X: Any = None) -> pd.Series | pd.DataFrame:
        return self.fit(y, X).transform(y)


class BasePanelTransformer(BaseComponent):
    """Turns a panel ``(n_cases, n_channels, n_timepoints)`` into features or a new panel."""

    input = "panel"

    def fit(self, X: Any, y: Any = None) -> BasePanelTransformer:
        raise NotImplementedError

    def transform(self, X: Any) -> np.ndarray:
        raise NotImplementedError

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        return self.fit(X, y).transform(X)


class BaseForecaster(BaseComponent):
    """Learns a series and forecasts the next steps.

    ``predict(fh)`` takes a horizon in steps: an int ``h`` (steps 1..h) or a list of step
    numbers, and returns a ``pandas.Series`` indexed by the future time points. A
    forecaster with the ``probabilistic`` capability also has
    ``predict_interval(fh, coverage=0.9)``: a ``DataFrame`` with ``lower`` and ``upper``
    columns on the same index, the central prediction interval of that coverage.

    Exogenous variables ``X`` (prices, holidays, temperature...) are a numeric
    ``DataFrame`` or 2-D array, one column per variable. ``fit(y, X)`` takes one row per
    time point of ``y`` (if both have a time index of one kind, they must be equal);
    ``predict(fh, X)`` and ``predict_interval(fh, X)`` take the future rows, one per
    step ``1..max(fh)``, on the future index or aligned by position; rows beyond are
    ignored. A forecaster with the ``exogenous`` capability uses them and raises a
    ``ValueError`` (:func:`catalog.validation.check_future_exogenous`) when ``X`` is
    missing at predict after a fit with ``X``; the others ignore ``X``, as in sktime.

    A forecaster may also offer ``predict_one_step(y)``: the one-step-ahead forecast
    of every point of a series ``y`` from the points before it, with the parameters
    learned at ``fit`` (no refit; NaN where the past is too short). It is how a
    residual-based detector scores a whole series with one fit.
    """

    def fit(self, y: Any, X: Any = None) -> BaseForecaster:
        raise NotImplementedError

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        raise NotImplementedError


class BaseClassifier(ClassifierMixin, BaseComponent):
    """Classifies whole series of a panel ``(n_cases, n_channels, n_timepoints)``."""

    input = "panel"

    def fit(self, X: Any, y: Any) -> BaseClassifier:
        raise NotImplementedError

    def predict(self, X: Any) -> np.ndarray:
        raise NotImplementedError


class BaseDetector(BaseComponent):
    """Scores every point of a series; higher means more anomalous."""

    def fit(self, y: Any, X: Any = None) -> BaseDetector:
        raise NotImplementedError

    def anomaly_score(self, y: Any) -> np.ndarray:
        raise NotImplementedError

    def fit_score(self, y: Any) -> np.ndarray:
        return self.fit(y).anomaly_score(y)


class BaseThreshold(BaseComponent):
    """Turns anomaly scores into 0/1 labels (and anomalous ranges)."""

    input = "scores"

    def fit(self, scores: Any, y: Any = None) -> BaseThreshold:
        raise NotImplementedError

    def predict(self, scores: Any) -> np.ndarray:
        raise NotImplementedError


class BaseMetric(BaseComponent):
    """Compares predictions with the truth; ``__call__`` returns a float.

    ``prediction`` says what ``y_pred`` holds: ``"values"`` (forecasts), ``"labels"`` (classes
    or 0/1 anomaly labels), ``"proba"`` (class probabilities) or ``"scores"`` (anomaly
    scores). ``task`` says which data the metric is for.
    """

    greater_is_better: ClassVar[bool] = False
    input = "none"
    prediction: ClassVar[Literal["values", "labels", "proba", "scores"]] = "values"

    def __call__(self, y_true: Any, y_pred: Any, **context: Any) -> float:
        raise NotImplementedError


class BaseSplitter(BaseComponent):
    """Splits a series in time: every training index comes before every test index."""

    def split(self, y: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        raise NotImplementedError

    def get_n_splits(self, y: Any = None) -> int:
        raise NotImplementedError


class BaseEvaluator(BaseComponent):
    """Runs a component over time-ordered splits and metrics.

    ``evaluate`` takes the task's data — ``(y)`` for forecasting, ``(X, y)`` for
    classification, ``(series, labels)`` for anomaly detection — and returns a
    ``pandas.DataFrame`` with one row per fold and one column per metric.
    """

    def evaluate(self, *data: Any) -> pd.DataFrame:
        raise NotImplementedError


class BaseDataset(BaseComponent):
    """A real data set: ``load()`` returns the task's data convention.

    forecasting: a ``pandas.Series``; classification: ``(X, y)`` with a 3-D ``X``;
    anomaly detection: ``(series, labels)`` with 0/1 labels per point.
    """

    input = "none"

    def load(self) -> Any:
        raise NotImplementedError


def forecast_horizon(fh: int | list[int] | np.ndarray) -> np.ndarray:
    """Step numbers (1-based) of a horizon given as ``h`` or as a list of steps.

    Examples
    --------
    >>> forecast_horizon(3).tolist()
    [1, 2, 3]
    >>> forecast_horizon([2, 4]).tolist()
    [2, 4]
    """
    steps = np.arange(1, int(fh) + 1) if np.isscalar(fh) else np.asarray(fh, dtype=int)
    if steps.ndim != 1 or len(steps) == 0 or (steps < 1).any():
        raise ValueError(f"fh must be a positive int or a list of steps >= 1, found {fh!r}")
    return steps


def future_index(index: pd.Index, steps: np.ndarray) -> pd.Index:
    """The index of the time points ``steps`` after the end of ``index``.

    Works for a ``DatetimeIndex`` with a frequency, a ``PeriodIndex`` and an integer
    index.

    Examples
    --------
    >>> idx = pd.period_range("2000-01", periods=3, freq="M")
    >>> list(future_index(idx, np.array([1, 2])).astype(str))
    ['2000-04', '2000-05']
    """
    if isinstance(index, pd.PeriodIndex):
        return pd.PeriodIndex([index[-1] + int(s) for s in steps], freq=index.freq)
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or pd.infer_freq(index)
        if freq is None:
            raise ValueError(
                "y has a DatetimeIndex without a regular frequency; resample it first "
                "(e.g. with preprocessing.resample)"
            )
        offset = pd.tseries.frequencies.to_offset(freq)
        return pd.DatetimeIndex([index[-1] + int(s) * offset for s in steps], freq=None)
    last = int(index[-1]) if len(index) else -1
    return pd.Index(last + steps, dtype="int64")


def check_coverage(coverage: Any) -> float:
    """Validate the nominal coverage of a prediction interval: a float strictly in (0, 1).

    Examples
    --------
    >>> check_coverage(0.9)
    0.9
    """
    if (
        isinstance(coverage, bool)
        or not isinstance(coverage, int | float | np.floating)
        or not 0.0 < float(coverage) < 1.0
    ):
        raise ValueError(
            f"coverage must be a float strictly between 0 and 1 (e.g. 0.9 for a 90% "
            f"interval), found {coverage!r}"
        )
    return float(coverage)


def interval_frame(lower: Any, upper: Any, index: pd.Index) -> pd.DataFrame:
    """The ``predict_interval`` output: ``lower`` and ``upper`` columns on the forecast index.

    Examples
    --------
    >>> interval_frame([1.0], [3.0], pd.Index([5])).to_dict("records")
    [{'lower': 1.0, 'upper': 3.0}]
    """
    return pd.DataFrame(
        {"lower": np.asarray(lower, dtype=float), "upper": np.asarray(upper, dtype=float)},
        index=index,
    )
