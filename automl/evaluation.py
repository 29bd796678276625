"""Each task's own evaluation, one fold at a time, on the search part of the data only.

- **forecasting**: the catalog's expanding-window backtest (``evaluation.backtest``,
  the one the templates run): folds of one horizon at the end of the search part, as
  many as fit after two seasons of training (three to five), each model refitted on the
  past of its cutoff (drivers ``X`` included); a project's own splitter when given;
- **classification**: stratified k-fold cross-validation (scikit-learn's
  ``StratifiedKFold``, shuffled with the seed) on the training cases;
- **anomaly detection**: the detector is fitted on the first 60% of the training part
  and scores the last 40%. With labels there, they are the truth; without, three
  validation copies get seeded synthetic anomalies (:mod:`automl.injection`), one copy
  per fold. Test labels are never read.

A fold yields one score of the objective metric; the search reports them as they come so
that a poor candidate is pruned before its last fold.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from automl.data import TaskData
from automl.errors import AutoMLError

__all__ = [
    "DEFAULT_METRICS",
    "Evaluation",
    "default_horizon",
    "make_evaluation",
    "resolve_metric",
]

# The objective when --metric is not given: scale-free MASE for forecasting (the M4
# measure), accuracy for classification (the UCR archive's), VUS-PR for anomaly
# detection (threshold-free and range-aware; point-adjusted F1 is not credible).
DEFAULT_METRICS = {
    "forecasting": "metric.mase",
    "classification": "metric.accuracy",
    "anomaly-detection": "metric.vus-pr",
}
FOLDS = 3  # at least; anomaly detection: injected copies
MAX_FOLDS = 5  # forecasting: more origins where the series has room (less selection noise)
MIN_TRAIN = 10
VALIDATION_SHARE = 0.4  # anomaly detection: the last 40% of the training part


def default_horizon(y: Any) -> int:
    """One season (at most 24 steps) for seasonal frequencies, else a tenth of the series
    (at most 12): the rule ``kb scaffold`` sizes a project's backtest with."""
    from catalog.atoms.shared.seasonality import frequency_period

    period = frequency_period(getattr(y, "index", None))
    return min(period, 24) if period > 1 else max(1, min(12, len(y) // 10))


def resolve_metric(task: str, metric: str | dict[str, Any] | None) -> tuple[str, Any]:
    """The metric id and a fresh instance (``metric``: an id, a short name such as
    ``mase``, or a spec ``{"id", "params"}``); a metric of another task is a clear error."""
    import catalog

    params: dict[str, Any] = {}
    if isinstance(metric, dict):
        metric, params = str(metric["id"]), dict(metric.get("params") or {})
    metric_id = metric or DEFAULT_METRICS[task]
    if not metric_id.startswith("metric."):
        metric_id = f"metric.{metric_id}"
    records, _ = catalog.load_records()
    mine = sorted(r.id for r in records if r.meta.kind == "metric" and task in r.meta.tasks)
    if metric_id not in mine:
        other = any(r.id == metric_id for r in records)
        hint = "is a metric of another task" if other else "is not a catalog metric"
        raise AutoMLError(f"--metric {metric} {hint}; for {task} use one of {', '.join(mine)}")
    return metric_id, catalog.get_component(metric_id)(**params)


class Evaluation:
    """Folds of one task's evaluation: ``fold_scores(spec)`` yields a score per fold."""

    def __init__(self, data: TaskData, metric_id: str, metric: Any, seed: int) -> None:
        self.data = data
        self.metric_id = metric_id
        self.metric = metric
        self.seed = seed
        self.greater_is_better = bool(type(metric).greater_is_better)

    @property
    def direction(self) -> str:
        return "maximize" if self.greater_is_better else "minimize"

    def fold_scores(self, spec: dict[str, Any]) -> Iterator[float]:
        raise NotImplementedError

    def fit_final(self, spec: dict[str, Any]) -> Any:
        """The pipeline of ``spec`` fitted on all the search data."""
        raise NotImplementedError

    def test_score(self, fitted: Any) -> float | None:
        """The metric of a fitted pipeline on the test part; ``None`` without one."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """What the folds are, for the study's record and the report."""
        return {"metric": self.metric_id, "direction": self.direction}


class ForecastingEvaluation(Evaluation):
    """The backtest: ``splitter`` (a spec, e.g. a project's) or three expanding folds."""

    def __init__(
        self,
        data: TaskData,
        metric_id: str,
        metric: Any,
        seed: int,
        horizon: int | None = None,
        splitter: dict[str, Any] | None = None,
        seasonal_scale: bool = True,
    ) -> None:
        super().__init__(data, metric_id, metric, seed)
        from catalog.atoms.shared.seasonality import seasonal_period

        y, _ = data.train
        self.splitter = splitter
        self.horizon = int(horizon or default_horizon(y))
        self.period = seasonal_period(y)
        # As many one-horizon folds as fit after two seasons of training (3 to 5): a
        # search picks among many candidates, and the more forecast origins score them,
        # the less the winner owes to the noise of a few (Tashman, 2000).
        room = (len(y) - max(MIN_TRAIN, 2 * self.period + 1)) // self.horizon
        self.folds = max(FOLDS, min(MAX_FOLDS, room))
        if splitter is None and len(y) - FOLDS * self.horizon < MIN_TRAIN:
            raise AutoMLError(
                f"{data.name}: {len(y)} points to search on are too few for {FOLDS} backtest "
                f"folds of horizon {self.horizon} after {MIN_TRAIN} training points; pass a "
                "shorter --horizon or a longer series"
            )
        # scaled by the data's season, as in M4; a metric given as a spec (a project's) is
        # computed as the spec says, so that the project's own backtest finds the same score
        if seasonal_scale and metric.get_params().get("sp") == 1:
            metric.set_params(sp=self.period)

    def _backtest(self, forecaster: Any) -> Any:
        from catalog import build_component, get_component
        from catalog.atoms.forecasting.evaluation import BacktestEvaluator

        y, _ = self.data.train
        if self.splitter is not None:
            splitter = build_component(self.splitter)
        else:
            splitter = get_component("splitter.expanding-window")(
                initial_window=len(y) - self.folds * self.horizon,
                step=self.horizon,
                horizon=self.horizon,
            )
        return BacktestEvaluator(forecaster, splitter=splitter, metrics=[self.metric])

    def fold_scores(self, spec: dict[str, Any]) -> Iterator[float]:
        from catalog import build_component

        y, X = self.data.train
        name = self.metric_id.removeprefix("metric.")
        for row in self._backtest(build_component(spec)).iter_folds(y, X):
            yield float(row[name])

    def fit_final(self, spec: dict[str, Any]) -> Any:
        from catalog import build_component

        y, X = self.data.train
        return build_component(spec).fit(y) if X is None else build_component(spec).fit(y, X)

    def test_score(self, fitted: Any) -> float | None:
        if self.data.test is None:
            return None
        (y_train, _), (y_test, X_test) = self.data.train, self.data.test
        steps = np.arange(1, len(y_test) + 1)
        forecast = fitted.predict(steps) if X_test is None else fitted.predict(steps, X_test)
        return float(self.metric(y_test, forecast, y_train=y_train))

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "folds": self.folds if self.splitter is None else "the project's splitter",
            "horizon": self.horizon,
            "period": self.period,
        }


class ClassificationEvaluation(Evaluation):
    def __init__(self, data: TaskData, metric_id: str, metric: Any, seed: int) -> None:
        super().__init__(data, metric_id, metric, seed)
        _, y = data.train
        _, counts = np.unique(np.asarray(y), return_counts=True)
        if len(counts) < 2:
            raise AutoMLError(f"{data.name}: the training cases hold a single class")
        self.n_splits = int(min(5, counts.min()))
        if self.n_splits < 2:
            raise AutoMLError(
                f"{data.name}: a class has a single training case, so stratified folds "
                "cannot be made; give every class at least two cases"
            )

    def _score(self, model: Any, X: Any, y: Any) -> float:
        kind = getattr(type(self.metric), "prediction", "labels")
        predicted = model.predict_proba(X) if kind == "proba" else model.predict(X)
        return float(self.metric(y, predicted))

    def fold_scores(self, spec: dict[str, Any]) -> Iterator[float]:
        from sklearn.model_selection import StratifiedKFold

        from catalog import build_component

        X, y = self.data.train
        y = np.asarray(y)
        folds = StratifiedKFold(self.n_splits, shuffle=True, random_state=self.seed)
        for fit_idx, val_idx in folds.split(np.zeros(len(y)), y):
            model = build_component(spec).fit(X[fit_idx], y[fit_idx])
            yield self._score(model, X[val_idx], y[val_idx])

    def fit_final(self, spec: dict[str, Any]) -> Any:
        from catalog import build_component

        X, y = self.data.train
        return build_component(spec).fit(X, np.asarray(y))

    def test_score(self, fitted: Any) -> float | None:
        if self.data.test is None:
            return None
        X, y = self.data.test
        return self._score(fitted, X, np.asarray(y))

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "folds": self.n_splits}


class AnomalyEvaluation(Evaluation):
    def __init__(self, data: TaskData, metric_id: str, metric: Any, seed: int) -> None:
        super().__init__(data, metric_id, metric, seed)
        series, labels = data.train
        self.cut = int(len(series) * (1 - VALIDATION_SHARE))
        self.labelled = labels is not None and bool(np.asarray(labels)[self.cut :].any())
        if len(series) < 50:
            raise AutoMLError(
                f"{data.name}: {len(series)} training points are too few to fit a detector and "
                "validate it; pass a series with at least 50"
            )
        self.validations = list(self._validations())

    def _validations(self) -> Iterator[tuple[Any, np.ndarray]]:
        series, labels = self.data.train
        validation = series.iloc[self.cut :]
        if self.labelled:
            yield validation, np.asarray(labels)[self.cut :]
            return
        from automl.injection import inject_anomalies

        for fold in range(FOLDS):
            yield inject_anomalies(validation, seed=self.seed + fold)

    def _score(self, fitted: Any, series: Any, truth: np.ndarray) -> float:
        kind = getattr(type(self.metric), "prediction", "scores")
        predicted = fitted.anomaly_score(series) if kind == "scores" else fitted.predict(series)
        return float(self.metric(truth, predicted))

    def fold_scores(self, spec: dict[str, Any]) -> Iterator[float]:
        from catalog import build_component

        series, _ = self.data.train
        fitted = build_component(spec).fit(series.iloc[: self.cut])
        for validation, truth in self.validations:
            yield self._score(fitted, validation, truth)

    def fit_final(self, spec: dict[str, Any]) -> Any:
        from catalog import build_component

        return build_component(spec).fit(self.data.train[0])

    def test_score(self, fitted: Any) -> float | None:
        if self.data.test is None or self.data.test[1] is None:
            return None
        series, labels = self.data.test
        if not np.asarray(labels).any():
            return None
        return self._score(fitted, series, np.asarray(labels))

    def describe(self) -> dict[str, Any]:
        how = "labelled validation part" if self.labelled else f"{FOLDS} injected copies"
        return {**super().describe(), "folds": len(self.validations), "validation": how}


def make_evaluation(
    data: TaskData,
    metric: str | dict[str, Any] | None,
    seed: int,
    horizon: int | None = None,
    splitter: dict[str, Any] | None = None,
) -> Evaluation:
    """The evaluation of ``data``'s task with the objective ``metric`` (its default if None);
    ``splitter`` (a spec) replaces the default backtest folds of forecasting."""
    metric_id, instance = resolve_metric(data.task, metric)
    if data.task == "forecasting":
        return ForecastingEvaluation(
            data, metric_id, instance, seed, horizon, splitter, not isinstance(metric, dict)
        )
    if data.task == "classification":
        return ClassificationEvaluation(data, metric_id, instance, seed)
    return AnomalyEvaluation(data, metric_id, instance, seed)
