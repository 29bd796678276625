"""Backtesting: refit a forecaster at several cutoffs and score each forecast."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from catalog import component, get_component
from catalog.base import BaseEvaluator, BaseForecaster
from catalog.validation import check_series

__all__ = ["BacktestEvaluator"]

_DEFAULT_METRICS = ("metric.mae", "metric.rmse", "metric.mape", "metric.mase")


@component(
    id="evaluation.backtest",
    name="Forecast backtest",
    level="atom",
    kind="evaluator",
    tasks=["forecasting"],
    summary="Refits a forecaster on time-ordered folds and scores each forecast: one row a fold.",
    tags=["backtesting", "evaluation"],
    capabilities=["univariate", "exogenous"],
    search_space={"horizon": {"type": "int", "low": 1, "high": 52, "log": True}},
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/tscv.html"],
    since="0.1.0",
)
class BacktestEvaluator(BaseEvaluator):
    """Time-series cross-validation of a forecaster (rolling-origin evaluation).

    For each fold of the splitter, a fresh clone of the forecaster is fitted on the
    training part and forecasts the test part; every metric compares that forecast with
    the truth, with the training part passed as context (``y_train``, which MASE needs).

    The default splitter is the catalog's ``splitter.expanding-window``, looked up with
    :func:`catalog.get_component` when ``evaluate`` runs (so this module does not import
    it), with ``step = horizon`` and the initial window that places three folds at the
    end of the series, the set-up of the published PyCaret airline backtest.

    Parameters
    ----------
    forecaster : BaseForecaster or None, default=None
        Forecaster to evaluate, cloned for every fold; ``None`` means
        ``forecasting.naive``.
    splitter : BaseSplitter or None, default=None
        Any catalog splitter; ``None`` means three expanding-window folds of
        ``horizon`` points at the end of the series.
    metrics : list of (str or BaseMetric) or None, default=None
        Metric ids or instances; ``None`` means MAE, RMSE, MAPE and MASE (sp=1).
    horizon : int, default=12
        Test points per fold of the default splitter.

    Returns
    -------
    pandas.DataFrame
        ``evaluate(y)`` returns one row per fold: ``fold``, ``cutoff`` (last training
        time point), ``n_train`` and one column per metric, named after its id without
        the ``metric.`` prefix.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.10. https://otexts.com/fpp3/tscv.html

    Examples
    --------
    >>> from catalog.atoms.forecasting.evaluation import BacktestEvaluator
    >>> from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=60)
    >>> backtest = BacktestEvaluator(SeasonalNaiveForecaster(sp=12), metrics=["metric.mae"])
    >>> table = backtest.evaluate(y)
    >>> table[["fold", "cutoff", "n_train"]].astype(str).values.tolist()
    [['0', '2001-12', '24'], ['1', '2002-12', '36'], ['2', '2003-12', '48']]
    """

    def __init__(
        self,
        forecaster: BaseForecaster | None = None,
        splitter: Any = None,
        metrics: list[Any] | None = None,
        horizon: int = 12,
    ) -> None:
        self.forecaster = forecaster
        self.splitter = splitter
        self.metrics = metrics
        self.horizon = horizon

    def evaluate(self, *data: Any) -> pd.DataFrame:
        """One row per fold; ``evaluate(y)`` or ``evaluate(y, X)`` with exogenous drivers."""
        if len(data) not in (1, 2):
            raise ValueError(
                "evaluate takes a series y (and optionally its exogenous drivers X) for "
                f"forecasting, found {len(data)} arguments"
            )
        rows = list(self.iter_folds(*data))
        if not rows:
            y = data[0]
            raise ValueError(
                f"the splitter made no fold from {len(y)} points; pass a longer series, a "
                "shorter horizon or another splitter"
            )
        return pd.DataFrame(rows)

    def iter_folds(self, y: Any, X: Any = None) -> Iterator[dict[str, Any]]:
        """The rows of :meth:`evaluate`, one fold at a time (a search can stop early).

        With drivers ``X`` (a ``DataFrame`` row-aligned with ``y``), each fold fits on
        the drivers of its training points and forecasts with those of the steps from
        the cutoff to the last test point, the values a forecaster is given in use.
        """
        y = check_series(y)
        if X is not None:
            X = pd.DataFrame(X)
            if len(X) != len(y):
                raise ValueError(
                    f"X must have one row per point of y: found {len(X)} rows for {len(y)} "
                    "points"
                )
        metrics = self._metrics()
        splitter = self._splitter(len(y))
        forecaster = self.forecaster if self.forecaster is not None else self._naive()
        for fold, (train, test) in enumerate(splitter.split(y)):
            train, test = np.asarray(train), np.asarray(test)
            y_train, y_test = y.iloc[train], y.iloc[test]
            steps = test - train[-1]
            if X is None:
                forecast = clone(forecaster).fit(y_train).predict(steps)
            else:
                future = X.iloc[train[-1] + 1 : train[-1] + 1 + int(steps.max())]
                model = clone(forecaster).fit(y_train, X.iloc[train])
                forecast = model.predict(steps, future)
            row: dict[str, Any] = {
                "fold": fold,
                "cutoff": y.index[train[-1]],
                "n_train": len(train),
            }
            for name, metric in metrics:
                row[name] = metric(y_test, forecast, y_train=y_train)
            yield row

    @staticmethod
    def _naive() -> BaseForecaster:
        return get_component("forecasting.naive")()

    def _metrics(self) -> list[tuple[str, Any]]:
        chosen = _DEFAULT_METRICS if self.metrics is None else self.metrics
        if isinstance(chosen, str) or not len(chosen):
            raise ValueError(
                f"metrics must be a non-empty list of metric ids or instances, found {chosen!r}"
            )
        result = []
        for metric in chosen:
            if isinstance(metric, str):
                metric = get_component(metric)()
            if not callable(metric):
                raise ValueError(f"metrics must hold metric ids or instances, found {metric!r}")
            meta = getattr(type(metric), "__kb_component__", {})
            name = meta.get("id", type(metric).__name__).removeprefix("metric.")
            result.append((name, metric))
        return result

    def _splitter(self, n: int) -> Any:
        if self.splitter is not None:
            return self.splitter
        h = self.horizon
        if not isinstance(h, int | np.integer) or isinstance(h, bool) or h < 1:
            raise ValueError(f"horizon must be a positive int, found {h!r}")
        initial = n - 3 * h
        if initial < 2:
            raise ValueError(
                f"three folds of horizon={h} need more than {3 * h + 1} points, found {n}; "
                "shorten the horizon or pass a splitter"
            )
        expanding = get_component("splitter.expanding-window")
        return expanding(initial_window=initial, step=h, horizon=h)
