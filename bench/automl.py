"""AutoML (``automl.run_search``) against the published yardsticks and the organism's defaults.

Each task runs one search under a stated wall-clock budget, then scores the winner once on
data the search never saw, beside the catalog organism with its defaults (the search's
trial 0) measured in the same run and the figures of ``../shared/BENCHMARKS.md``:

- **airline, hold-out**: searched on the 108 months before the last 36 (objective MASE,
  seasonal scale sp=12, on the search's own backtest folds of h=12), then MAPE of one
  36-step forecast of the winner refitted on the 108 months (sktime tutorial);
- **airline, backtest**: searched on the 96 months up to 1956-12 only, then the winner
  (and the defaults) on PyCaret's 3 expanding folds of h=12 with cutoffs 1956-12,
  1957-12, 1958-12 (the series without its last 12 months), each fold refitted on the
  past of its cutoff, mean MASE with sp=12 (PyCaret passes the seasonal period as sktime's
  MASE ``sp``, 12 for this series);
- **GunPoint, ArrowHead, ItalyPowerDemand**: searched on the UCR train split (stratified
  cross-validation, accuracy), accuracy on the test split; target: within 2 points of
  MiniRocket;
- **UCR anomaly series 135**: searched on the catalog dataset's unlabelled ``train`` part
  (validation on injected anomalies), VUS-PR on the test split; target: at least .80;
- **M4 weekly**: a seeded random sample of series, each searched under a small per-series
  budget on its own training part (3 backtest folds of h=13 at its end: the fewest the
  search uses, to fit the budget), the winner refitted and scored on the 13 test weeks
  with sMAPE, MASE (m=1) and OWA against Naive2, as in ``bench/gen_forecasting.py``
  (whose functions are reused).

The winner is the search's (``Outcome.best_pipeline``: the best trial when it beats the
defaults by more than one standard error of the paired fold differences, else the
defaults). Also for every task: trials per minute, the time the search took to reach the defaults'
score (``Outcome.seconds_to_default``; trial 0 *is* the defaults, so this is the time of
trial 0) and the time to the first later trial strictly better than the defaults.

Budget, chosen up front and the same for every task: no new trial after 300 s of search,
each trial at most 90 s, at most 300 trials, TPE and median pruning (``kb automl``'s
defaults); with the final refits a task stays under 10 minutes on 2 cores. M4: 100 series,
each with no new trial after 6 s and each trial at most 6 s, on 2 worker processes (about
10 minutes). The printed header repeats all of it. Seeds: 0 everywhere.

Run: ``python bench/automl.py`` (about 50 minutes), ``--quick`` (8 trials or 60 s per
search, 20 M4 series), ``--tasks airline-holdout,gunpoint`` to choose. Not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
# This script is named like the package it measures: keep `import automl` off bench/.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

SEED = 0
M4_H = 13
AIRLINE_H = 12


@dataclass(frozen=True)
class Budget:
    """A search's budget: at most ``trials`` trials, and no new trial after ``timeout`` s."""

    trials: int
    timeout: float
    trial_timeout: float

    def text(self) -> str:
        return (
            f"≤ {self.trials} trials, no new trial after {self.timeout:g} s, "
            f"each trial ≤ {self.trial_timeout:g} s"
        )


@dataclass(frozen=True)
class M4Plan:
    """How many M4 series are drawn, and each one's search budget."""

    series: int
    budget: Budget


FULL = Budget(trials=300, timeout=300, trial_timeout=90)
QUICK = Budget(trials=8, timeout=60, trial_timeout=60)
M4_FULL = M4Plan(series=100, budget=Budget(trials=20, timeout=6, trial_timeout=6))
M4_QUICK = M4Plan(series=20, budget=Budget(trials=20, timeout=6, trial_timeout=6))
M4_FOLDS = 3

AIRLINE_MAPE = {  # sktime forecasting tutorial, last 36 months held out
    "AutoARIMA(sp=12)": 0.0415,
    "ARIMA(1,1,0)(0,1,0)12": 0.0436,
    "Holt-Winters additive": 0.0511,
    "AutoETS": 0.0619,
    "seasonal naive (sp=12)": 0.1319,
}
AIRLINE_MASE = {  # PyCaret tutorial, h=12, 3 expanding folds, mean MASE
    "exponential smoothing (best published)": 0.585,
    "ETS": 0.593,
    "ARIMA": 0.683,
    "auto_arima": 0.718,
    "Theta": 0.973,
    "seasonal naive": 1.148,
    "naive": 2.360,
}
UCR = {  # dataset id -> (name, {method: published accuracy})
    "dataset.gunpoint": (
        "GunPoint",
        {"MiniRocket": 0.993, "ROCKET": 1.000, "1-NN DTW": 0.907, "1-NN ED": 0.913},
    ),
    "dataset.arrowhead": (
        "ArrowHead",
        {"MiniRocket": 0.863, "ROCKET": 0.814, "1-NN DTW": 0.703, "1-NN ED": 0.800},
    ),
    "dataset.italy-power-demand": (
        "ItalyPowerDemand",
        {"MiniRocket": 0.969, "ROCKET": 0.970, "1-NN DTW": 0.950, "1-NN ED": 0.955},
    ),
}
TSB_AD = {"KShapeAD (best)": 0.884, "SAND": 0.791, "Sub-LOF": 0.647, "MatrixProfile": 0.344}
UCR135_TARGET = 0.80
WITHIN = 0.02  # classification: at most 2 accuracy points below MiniRocket


@dataclass(frozen=True)
class Context:
    """What a task runs with: the search budget, the M4 sample and budget, a temp folder."""

    budget: Budget
    m4: M4Plan
    workers: int
    folder: str


@dataclass
class Searched:
    """What one search gives a task: the outcome, and what the bench reads beside it."""

    outcome: Any
    evaluation: Any
    data: Any
    default_spec: dict[str, Any] | None
    seconds_to_beat: float | None  # first trial after 0 strictly better than the defaults
    wall_s: float

    @property
    def kept_defaults(self) -> bool:
        return self.outcome.best_pipeline == self.default_spec

    def both(self, score: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        """``score(spec)`` of the winner and of the defaults; computed once when the winner
        is the defaults' pipeline (an unseeded component would differ by chance alone)."""
        winner = score(self.outcome.best_pipeline)
        default = winner if self.kept_defaults else score(self.default_spec)
        return {"winner": winner, "default": default}


@dataclass
class Row:
    """One line of the summary: AutoML and the defaults beside the best published figure."""

    task: str
    metric: str
    greater_is_better: bool
    automl: float | None
    default: float | None
    reference: str  # who, e.g. "MiniRocket"
    reference_value: float
    target: float | None = None  # the pass mark, where it sets one
    searched: Searched | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def at_least(self, bar: float | None) -> bool | None:
        """Whether AutoML's figure, rounded as the published one is, is as good as ``bar``
        (None: nothing to compare)."""
        if bar is None or self.automl is None:
            return None
        ours = round(self.automl, len(repr(self.reference_value).split(".")[1]))
        return ours >= bar - 1e-9 if self.greater_is_better else ours <= bar + 1e-9


def quiet() -> None:
    """Silence MLflow's, Optuna's and the models' chatter: the tables are the output."""
    warnings.simplefilter("ignore")
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "ERROR")  # read when mlflow is imported
    for name in ("mlflow", "alembic", "optuna"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _fmt(value: float | None, digits: int = 4) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"


def _pipeline(spec: dict[str, Any] | None) -> str:
    from automl.space import spec_text

    return "-" if spec is None else spec_text(spec)


# %% The search: kb automl's own run_search, or the same loop on a hand-built TaskData


def _study_facts(study: Any, direction: str) -> tuple[dict[str, Any] | None, float | None]:
    """Trial 0's pipeline (the organism's defaults) and the seconds from the study's start
    to the first later trial strictly better than trial 0."""
    from optuna.trial import TrialState

    trials = sorted(study.get_trials(deepcopy=False), key=lambda t: t.number)
    if not trials:
        return None, None
    zero = trials[0]
    spec = zero.user_attrs.get("pipeline")
    if zero.state != TrialState.COMPLETE:
        return spec, None
    starts = [t.datetime_start for t in trials if t.datetime_start]
    better = [
        t.datetime_complete
        for t in trials[1:]
        if t.state == TrialState.COMPLETE
        and (t.value > zero.value if direction == "maximize" else t.value < zero.value)
    ]
    return spec, (min(better) - min(starts)).total_seconds() if better else None


def search(
    task: str, source: dict[str, Any], budget: Budget, folder: str, horizon: int | None = None
) -> Searched:
    """``run_search`` on a catalog dataset with temporary study and MLflow stores."""
    import optuna

    from automl import Settings, run_search
    from automl.data import load_task_data
    from automl.evaluation import make_evaluation

    settings = Settings(
        task=task,
        source=source,
        trials=budget.trials,
        timeout=budget.timeout,
        trial_timeout=budget.trial_timeout,
        seed=SEED,
        storage=f"sqlite:///{folder}/study.db",
        tracking_uri=f"sqlite:///{folder}/mlflow.db",
        progress=False,
        refit=False,  # the bench refits the winner and the defaults itself, once each
        horizon=horizon,
        folder=folder,
    )
    start = time.perf_counter()
    outcome = run_search(settings)
    wall = time.perf_counter() - start
    quiet()  # statsmodels, imported by the search, sets its own warnings to "always"
    study = optuna.load_study(study_name=outcome.study, storage=outcome.storage)
    spec, to_beat = _study_facts(study, outcome.direction)
    data = load_task_data(task, {**source, "seed": SEED})
    evaluation = make_evaluation(data, None, SEED, horizon)
    return Searched(outcome, evaluation, data, spec, to_beat, wall)


def search_task_data(
    data: Any, budget: Budget, horizon: int, splitter: dict[str, Any], sampler: str, pruner: str
) -> Searched:
    """The study loop of ``automl.search._run`` on a hand-built TaskData, in memory and
    without MLflow: ``run_search`` only loads catalog datasets and files."""
    import optuna

    from automl import study as studies
    from automl.evaluation import make_evaluation
    from automl.report import summarize
    from automl.space import build_space

    evaluation = make_evaluation(data, None, SEED, horizon, splitter)
    space = build_space(data.task, data.train, evaluation.metric, evaluation.period, SEED)
    study = optuna.create_study(
        direction=evaluation.direction,
        sampler=studies.make_sampler(sampler, SEED),
        pruner=studies.make_pruner(pruner),
    )
    studies.enqueue_budget(study, budget.trials, space.default_params())
    start = time.perf_counter()
    while time.perf_counter() - start <= budget.timeout:
        trial = studies.claim_trial(study)
        if trial is None:
            break
        studies.run_trial(study, trial, space.suggest, evaluation.fold_scores, budget.trial_timeout)
    wall = time.perf_counter() - start
    outcome = summarize(study, "in-memory", data, evaluation, wall, None, None)
    spec, to_beat = _study_facts(study, outcome.direction)
    return Searched(outcome, evaluation, data, spec, to_beat, wall)


def search_lines(found: Searched, budget: Budget) -> list[str]:
    o = found.outcome
    return [
        f"search: {budget.text()}; {o.n_trials} trials ({o.n_complete} complete, "
        f"{o.n_pruned} pruned, {o.n_failed} failed) in {found.wall_s:.0f} s, "
        f"{o.trials_per_minute:g} trials/min; objective {o.metric} "
        f"({o.evaluation.get('folds')} folds)",
        f"defaults' score reached: {_seconds(o.seconds_to_default)} (trial 0 is the "
        f"defaults); first trial strictly better: {_seconds(found.seconds_to_beat)}",
        f"winner: trial {o.best_trial}, chosen as {o.selection}",
        f"winner's pipeline{' (the defaults)' if found.kept_defaults else ''}: "
        f"{_pipeline(o.best_pipeline)}",
    ]


def _table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


# %% Airline: the 36-month hold-out (MAPE) and PyCaret's 3-fold backtest (MASE)


def airline_holdout(ctx: Context) -> Row:
    from catalog import build_component, get_component

    found = search(
        "forecasting",
        {"dataset": "dataset.airline", "holdout": 36},
        ctx.budget,
        ctx.folder,
        AIRLINE_H,
    )
    (y_train, _), (y_test, _) = found.data.train, found.data.test
    mape, mase = get_component("metric.mape")(), get_component("metric.mase")(sp=12)

    def holdout(spec: dict[str, Any]) -> tuple[float, float]:
        forecast = build_component(spec).fit(y_train).predict(len(y_test))
        return mape(y_test, forecast), mase(y_test, forecast, y_train=y_train)

    scores = found.both(holdout)
    o = found.outcome
    print(
        f"\n## airline — last 36 months held out ({y_test.index[0]}..{y_test.index[-1]}), "
        f"searched on the {len(y_train)} months before\n"
    )
    rows = [
        [
            "AutoML winner",
            _fmt(o.best_value, 3),
            _fmt(scores["winner"][0]),
            _fmt(scores["winner"][1], 3),
            "—",
        ],
        [
            "forecasting.pipeline defaults (trial 0)",
            _fmt(o.default_value, 3),
            _fmt(scores["default"][0]),
            _fmt(scores["default"][1], 3),
            "—",
        ],
    ]
    rows += [[name, "—", "—", "—", f"{value:.4f}"] for name, value in AIRLINE_MAPE.items()]
    _table(
        [
            "pipeline",
            f"search MASE ({o.evaluation.get('folds')} folds)",
            "test MAPE",
            "test MASE sp=12",
            "published MAPE",
        ],
        rows,
    )
    print("\n" + "\n".join(search_lines(found, ctx.budget)))
    best = min(AIRLINE_MAPE.values())
    return Row(
        "airline hold-out",
        "MAPE ↓",
        False,
        scores["winner"][0],
        scores["default"][0],
        "AutoARIMA",
        best,
        searched=found,
    )


def airline_backtest(ctx: Context) -> Row:
    from catalog import build_component, get_component
    from catalog.atoms.forecasting.evaluation import BacktestEvaluator

    found = search(
        "forecasting",
        {"dataset": "dataset.airline", "holdout": 48},
        ctx.budget,
        ctx.folder,
        AIRLINE_H,
    )
    y = pd.concat([found.data.train[0], found.data.test[0]])
    searched_until = found.data.train[0].index[-1]

    def backtest(spec: dict[str, Any]) -> pd.DataFrame:
        evaluator = BacktestEvaluator(
            build_component(spec), metrics=[get_component("metric.mase")(sp=12)], horizon=12
        )
        return evaluator.evaluate(y.iloc[:-12])  # PyCaret keeps the last 12 months as test

    tables = found.both(backtest)
    means = {k: (float(t["mase"].mean()), t["mase"].tolist()) for k, t in tables.items()}
    cutoffs = ", ".join(str(c) for c in tables["winner"]["cutoff"])
    o = found.outcome
    print(
        f"\n## airline — 3 expanding folds of h=12 (cutoffs {cutoffs}), mean MASE sp=12; "
        f"searched on the months up to {searched_until}\n"
    )
    rows = [
        [
            "AutoML winner",
            _fmt(o.best_value, 3),
            _fmt(means["winner"][0], 3),
            " / ".join(f"{v:.3f}" for v in means["winner"][1]),
            "—",
        ],
        [
            "forecasting.pipeline defaults (trial 0)",
            _fmt(o.default_value, 3),
            _fmt(means["default"][0], 3),
            " / ".join(f"{v:.3f}" for v in means["default"][1]),
            "—",
        ],
    ]
    rows += [[name, "—", "—", "—", f"{value:.3f}"] for name, value in AIRLINE_MASE.items()]
    _table(
        [
            "pipeline",
            f"search MASE ({o.evaluation.get('folds')} folds ≤ 1956-12)",
            "mean MASE",
            "per fold",
            "published",
        ],
        rows,
    )
    print("\n" + "\n".join(search_lines(found, ctx.budget)))
    best = min(AIRLINE_MASE.values())
    return Row(
        "airline backtest",
        "mean MASE ↓",
        False,
        means["winner"][0],
        means["default"][0],
        "exponential smoothing",
        best,
        searched=found,
    )


# %% UCR classification: train split searched, test split scored


def classification(dataset: str, ctx: Context) -> Row:
    name, published = UCR[dataset]
    found = search("classification", {"dataset": dataset}, ctx.budget, ctx.folder)
    ev, o = found.evaluation, found.outcome
    winner, default = found.both(lambda spec: ev.test_score(ev.fit_final(spec))).values()
    n_train, n_test = len(found.data.train[1]), len(found.data.test[1])
    print(
        f"\n## {name} — UCR split: searched on the {n_train} training cases "
        f"({o.evaluation.get('folds')}-fold stratified CV), accuracy on the {n_test} test cases\n"
    )
    rows = [
        ["AutoML winner", _fmt(o.best_value, 3), _fmt(winner, 3), "—"],
        [
            "classification.pipeline defaults (trial 0)",
            _fmt(o.default_value, 3),
            _fmt(default, 3),
            "—",
        ],
    ]
    rows += [[method, "—", "—", f"{value:.3f}"] for method, value in published.items()]
    _table(["pipeline", "search CV accuracy", "test accuracy", "published"], rows)
    print("\n" + "\n".join(search_lines(found, ctx.budget)))
    return Row(
        name,
        "accuracy ↑",
        True,
        winner,
        default,
        "MiniRocket",
        published["MiniRocket"],
        target=published["MiniRocket"] - WITHIN,
        searched=found,
    )


# %% UCR anomaly series 135: unlabelled train part searched, test labels scored


def anomaly_ucr135(ctx: Context) -> Row:
    found = search(
        "anomaly-detection", {"dataset": "dataset.ucr-anomaly-135"}, ctx.budget, ctx.folder
    )
    ev, o = found.evaluation, found.outcome
    winner, default = found.both(lambda spec: ev.test_score(ev.fit_final(spec))).values()
    print(
        f"\n## UCR anomaly 135 — searched on the {found.data.n_train}-point unlabelled train part "
        f"({o.evaluation.get('validation')}), VUS-PR on the {len(found.data.test[0])}-point "
        "test part\n"
    )
    rows = [
        ["AutoML winner", _fmt(o.best_value, 3), _fmt(winner, 3), "—"],
        ["anomaly.pipeline defaults (trial 0)", _fmt(o.default_value, 3), _fmt(default, 3), "—"],
    ]
    rows += [[f"TSB-AD {m}", "—", "—", f"{v:.3f}"] for m, v in TSB_AD.items()]
    _table(["pipeline", "search VUS-PR (injected)", "test VUS-PR", "published"], rows)
    print("\n" + "\n".join(search_lines(found, ctx.budget)))
    return Row(
        "UCR anomaly 135",
        "VUS-PR ↑",
        True,
        winner,
        default,
        "TSB-AD KShapeAD",
        TSB_AD["KShapeAD (best)"],
        target=UCR135_TARGET,
        searched=found,
    )


# %% M4 weekly: a seeded sample, a small search per series


def _bench_module(name: str) -> ModuleType:
    """A sibling bench script imported by path (bench/ is not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _m4_folds(n: int) -> dict[str, Any]:
    """The last 3 x 13 weeks of a training part: the fewest folds the search uses itself
    (it takes up to 5 where the series has room; 3 fit the per-series budget)."""
    return {
        "id": "splitter.expanding-window",
        "params": {"initial_window": n - M4_FOLDS * M4_H, "step": M4_H, "horizon": M4_H},
    }


def _m4_series(item: tuple[str, pd.Series, np.ndarray], budget: Budget) -> dict[str, Any]:
    """Defaults, Theta, Naive2 and the searched winner on one M4 series."""
    quiet()
    from automl.data import TaskData
    from catalog import build_component, get_component

    gen = _bench_module("gen_forecasting")
    name, y, actual = item
    future = pd.date_range(y.index[-1], periods=M4_H + 1, freq=y.index.freq)[1:]
    digest = hashlib.sha256(y.to_numpy().tobytes() + actual.tobytes()).hexdigest()
    data = TaskData(
        "forecasting", f"m4-weekly.{name}", digest, (y, None), (pd.Series(actual, future), None)
    )
    naive = np.repeat(y.iloc[-1], M4_H)
    _, default, default_s = gen._forecast(get_component("forecasting.pipeline"), y, M4_H)
    _, theta, _ = gen._forecast(lambda: get_component("forecasting.theta")(sp=1), y, M4_H)
    found = search_task_data(data, budget, M4_H, _m4_folds(len(y)), "tpe", "none")
    o = found.outcome
    winner, refit_failed = default, False
    if o.best_pipeline is not None and o.best_pipeline != found.default_spec:
        try:
            _, winner, _ = gen._forecast(lambda: build_component(o.best_pipeline), y, M4_H)
        except Exception:  # noqa: BLE001 - a winner that fails on the full part is counted
            winner = None
        if winner is None:
            winner, refit_failed = default, True
    out: dict[str, Any] = {"scores": {}, "failed": {}}
    for label, forecast in (
        ("automl", winner),
        ("default", default),
        ("theta", theta),
        ("naive2", naive),
    ):
        out["failed"][label] = forecast is None
        forecast = naive if forecast is None else forecast  # as gen_forecasting scores failures
        out["scores"][label] = (
            gen.smape(actual, forecast),
            gen.mase(y.to_numpy(), actual, forecast),
        )
    out.update(
        n_trials=o.n_trials,
        n_complete=o.n_complete,
        wall=found.wall_s,
        default_s=default_s,
        changed=o.best_pipeline is not None and o.best_pipeline != found.default_spec,
        no_trial=o.best_pipeline is None,
        refit_failed=refit_failed,
        to_default=o.seconds_to_default,
        to_beat=found.seconds_to_beat,
        default_complete=o.default_value is not None,
    )
    return out


def m4_weekly(ctx: Context) -> Row:
    n_series, budget, workers = ctx.m4.series, ctx.m4.budget, ctx.workers
    from concurrent.futures import ProcessPoolExecutor

    gen = _bench_module("gen_forecasting")
    everything = gen._load_m4(quick=False)
    picked = np.sort(np.random.default_rng(SEED).choice(len(everything), n_series, replace=False))
    sample = [everything[i] for i in picked]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(partial(_m4_series, budget=budget), sample))
    wall = time.perf_counter() - start
    labels = ("automl", "default", "theta", "naive2")
    scores = {label: [r["scores"][label] for r in results] for label in labels}
    base = np.mean(scores["naive2"], axis=0)
    owa = {label: gen._owa(scores[label], base) for label in labels}
    print(
        f"\n## M4 weekly — {n_series} of {len(everything)} series drawn with seed {SEED} "
        f"(numpy default_rng), h={M4_H}, sMAPE / MASE (m=1) / OWA vs Naive2 on the same sample\n"
    )
    names = {
        "automl": "AutoML winner (refitted on the training part)",
        "default": "forecasting.pipeline defaults",
        "theta": "Theta (ours, M4 benchmark: sp=1)",
        "naive2": "Naive2 (ours)",
    }
    rows = []
    for label in labels:
        s, m = np.mean(scores[label], axis=0)
        failed = sum(r["failed"][label] for r in results)
        rows.append([names[label], f"{s:.3f}", f"{m:.3f}", f"{owa[label]:.3f}", str(failed)])
    for label, key in (
        ("Theta (published, 359 series)", "Theta (ours, M4 benchmark)"),
        ("Damped (published, 359 series)", "Damped (published)"),
        ("Smyl, M4 winner (published)", "Smyl, M4 winner (published)"),
    ):
        s, m, o = gen.PUBLISHED[key]
        rows.append([label, f"{s:.3f}", f"{m:.3f}", f"{o:.3f}", "—"])
    _table(["method", "sMAPE", "MASE", "OWA", "failed"], rows)
    automl_mase = np.array([m for _, m in scores["automl"]])
    default_mase = np.array([m for _, m in scores["default"]])
    tie = np.isclose(automl_mase, default_mase, rtol=0.01)
    trials = sum(r["n_trials"] for r in results)
    searching = sum(r["wall"] for r in results)
    to_default = [r["to_default"] for r in results if r["to_default"] is not None]
    to_beat = [r["to_beat"] for r in results if r["to_beat"] is not None]
    per_minute = 60 * trials / searching if searching else 0.0
    kept = sum(r["to_beat"] is not None and not r["changed"] for r in results)
    print(
        f"\nper series: {budget.text()}, sampler TPE seeded {SEED}, no pruning, objective "
        f"MASE (sp = the series' detected period) on {M4_FOLDS} backtest folds of h={M4_H} "
        f"at the end of the training part; {workers} worker processes; {wall:.0f} s in all"
    )
    print(
        f"trials: {trials} ({trials / n_series:.1f} per series, "
        f"{sum(r['n_complete'] for r in results)} complete), {per_minute:.1f} trials/min; "
        f"trial 0 (defaults) completed on {sum(r['default_complete'] for r in results)} series, "
        f"no trial completed on {sum(r['no_trial'] for r in results)} (defaults used)"
    )
    print(
        f"defaults' score reached after {np.mean(to_default) if to_default else float('nan'):.1f}"
        f" s on average; a trial strictly better than the defaults found on {len(to_beat)} "
        f"series, after {np.mean(to_beat) if to_beat else float('nan'):.1f} s on average; "
        f"the selection rule kept the defaults on {kept} of them"
    )
    print(
        f"winner differs from the defaults on {sum(r['changed'] for r in results)} series "
        f"(refit failed on {sum(r['refit_failed'] for r in results)}, defaults used); per "
        f"series MASE AutoML vs defaults (tie within 1%): "
        f"{int(((automl_mase < default_mase) & ~tie).sum())} / {int(tie.sum())} / "
        f"{int(((automl_mase > default_mase) & ~tie).sum())}"
    )
    extra = {
        "trials_per_minute": per_minute,
        "to_default": float(np.mean(to_default)) if to_default else None,
        "to_beat": float(np.mean(to_beat)) if to_beat else None,
        "wall": wall,
    }
    return Row(
        f"M4 weekly ({n_series})",
        "OWA ↓",
        False,
        owa["automl"],
        owa["default"],
        "Damped (all 359)",
        gen.PUBLISHED["Damped (published)"][2],
        extra=extra,
    )


# %% Report


TASKS: dict[str, Callable[[Context], Row]] = {
    "airline-holdout": airline_holdout,
    "airline-backtest": airline_backtest,
    **{dataset.removeprefix("dataset."): partial(classification, dataset) for dataset in UCR},
    "ucr135": anomaly_ucr135,
    "m4-weekly": m4_weekly,
}


def header(args: argparse.Namespace, budget: Budget, m4: M4Plan) -> None:
    import optuna

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH
    ).stdout.strip()
    print("# AutoML benchmark (bench/automl.py)" + (" — quick run" if args.quick else ""))
    print(
        f"\ncommit {commit or '?'} · Python {platform.python_version()} · optuna "
        f"{optuna.__version__} · {os.cpu_count()} cores · {time.strftime('%Y-%m-%d %H:%M')}"
    )
    print(f"seed {SEED} everywhere (search sampler, CV folds, injected anomalies, M4 sample)")
    print(
        f"budget per search (each task below one search): {budget.text()}; sampler TPE, "
        "median pruner (kb automl's defaults); study and MLflow stores in a temporary folder"
    )
    print(
        f"M4: {m4.series} series, per series {m4.budget.text()}, no pruning, "
        f"{args.workers} worker processes"
    )
    print("objectives: MASE (forecasting), accuracy (classification), VUS-PR (anomaly)")
    print(f"tasks: {', '.join(args.tasks)}")


def summary(rows: list[Row]) -> None:
    print("\n## Summary\n")
    table = []
    for row in rows:
        found = row.searched
        per_minute = found.outcome.trials_per_minute if found else row.extra["trials_per_minute"]
        to_default = found.outcome.seconds_to_default if found else row.extra["to_default"]
        to_beat = found.seconds_to_beat if found else row.extra["to_beat"]
        wall = found.wall_s if found else row.extra["wall"]
        beats, met = row.at_least(row.reference_value), row.at_least(row.target)
        table.append(
            [
                row.task,
                row.metric,
                _fmt(row.automl),
                _fmt(row.default),
                f"{row.reference} {row.reference_value:.4g}",
                {None: "—", True: "as good or better", False: "worse"}[beats],
                "—" if row.target is None else f"{row.target:.3f}",
                {None: "—", True: "yes", False: "**no**"}[met],
                f"{per_minute:.1f}",
                _seconds(to_default),
                _seconds(to_beat),
                f"{wall:.0f}",
            ]
        )
    header = ["task", "metric", "AutoML", "defaults", "best published", "AutoML vs it"]
    header += ["target", "met", "trials/min", "to defaults' score", "to beat defaults"]
    _table([*header, "search s"], table)
    if any(row.searched is None for row in rows):
        print(
            "\n(M4: trials/min over all series' searches; the times are means over the series; "
            "search s is the whole M4 part's wall time)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small budgets, 20 M4 series")
    parser.add_argument(
        "--tasks", default=",".join(TASKS), help=f"comma-separated, of: {', '.join(TASKS)}"
    )
    parser.add_argument("--workers", type=int, default=2, help="M4 worker processes")
    args = parser.parse_args(argv)
    args.tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = sorted(set(args.tasks) - set(TASKS))
    if unknown:
        parser.error(f"unknown task {', '.join(unknown)}; use some of {', '.join(TASKS)}")
    quiet()
    budget, m4 = (QUICK, M4_QUICK) if args.quick else (FULL, M4_FULL)
    header(args, budget, m4)
    rows = []
    for task in args.tasks:
        with tempfile.TemporaryDirectory(prefix=f"bench-automl-{task}-") as folder:
            print(f"\n(load average before {task}: {os.getloadavg()[0]:.1f})")
            rows.append(TASKS[task](Context(budget, m4, args.workers, folder)))
        sys.stdout.flush()
    summary(rows)


if __name__ == "__main__":
    main()
