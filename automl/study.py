"""Optuna studies: where they live, how they resume, and the loop that runs their trials.

A study's budget is Optuna's own trial queue: creating a study (or raising its budget)
enqueues one waiting trial per trial of the budget, the first with the organism's
defaults. Every process — ``kb automl``, or any number of ``kb automl worker`` on other
machines sharing an RDB storage — claims waiting trials with Optuna's atomic
WAITING→RUNNING transition, so the study runs exactly its budget, each trial once,
however many workers join. A trial that is interrupted (Ctrl+C) is recorded as failed
with that reason and a waiting trial takes its place, so ``--resume`` runs the rest.

What a worker needs to rebuild the objective (task, data source, metric, seed, the
search space's signature) is kept in the study's user attributes.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import signal
import socket
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import optuna
from optuna.trial import TrialState

from automl.errors import AutoMLError

__all__ = [
    "Interrupts",
    "TrialTimeout",
    "claim_trial",
    "make_pruner",
    "make_sampler",
    "open_storage",
    "remaining_budget",
    "run_trial",
    "safe_url",
]

WORKER = f"{socket.gethostname()}:{os.getpid()}"  # who ran a trial, shown in MLflow too
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)
CONNECT_TIMEOUT_S = 5


class TrialTimeout(Exception):
    """A trial ran past the per-trial time limit."""


def open_storage(url: str) -> optuna.storages.BaseStorage:
    """Optuna's RDB storage at ``url``; unreachable is one sentence within seconds."""
    kwargs: dict[str, Any] = {}
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    elif url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    try:
        return optuna.storages.RDBStorage(url, engine_kwargs=kwargs, skip_compatibility_check=False)
    except Exception as error:  # noqa: BLE001 - SQLAlchemy's and the drivers' errors alike
        first = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error)
        raise AutoMLError(
            f"cannot open the study storage {safe_url(url)} ({first}); check the URL, that the "
            "database server runs and that this machine may reach it"
        ) from None


def safe_url(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL at all: shown as given
        return url


def make_sampler(name: str, seed: int | None) -> optuna.samplers.BaseSampler:
    """TPE (multivariate, grouped for the conditional space, constant liar for parallel
    workers) or random search, seeded."""
    import warnings

    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    if name != "tpe":
        raise AutoMLError(f"--sampler {name} is not known; use tpe or random")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(
            seed=seed, multivariate=True, group=True, constant_liar=True, n_startup_trials=5
        )


def make_pruner(name: str) -> optuna.pruners.BasePruner:
    """Median pruning after two folds, successive halving, or none."""
    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1)
    if name == "halving":
        return optuna.pruners.SuccessiveHalvingPruner()
    if name == "none":
        return optuna.pruners.NopPruner()
    raise AutoMLError(f"--pruner {name} is not known; use median, halving or none")


def remaining_budget(study: optuna.Study) -> int:
    """Waiting trials: what is left of the study's budget."""
    return len(study.get_trials(deepcopy=False, states=(TrialState.WAITING,)))


def finished_trials(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    """Trials that ran to an end (complete, pruned or failed), interrupted ones left out."""
    return [
        t
        for t in study.get_trials(deepcopy=False, states=FINISHED)
        if not t.user_attrs.get("interrupted")
    ]


def enqueue_budget(study: optuna.Study, n: int, first: dict[str, Any] | None = None) -> None:
    """Add ``n`` waiting trials to the study's queue; ``first`` fixes the first one's params."""
    for number in range(n):
        params = first if (number == 0 and first) else {}
        study.enqueue_trial(params, user_attrs={"budget": True}, skip_if_exists=False)


def claim_trial(study: optuna.Study) -> optuna.Trial | None:
    """A waiting trial of the budget, now RUNNING and ours; ``None`` when none is left.

    Optuna's own queue pop (the one ``Study.ask`` starts with), without its fallback of
    creating a trial beyond the budget: the storage's state transition is atomic, so two
    workers never claim the same trial.
    """
    trial_id = study._pop_waiting_trial_id()
    return None if trial_id is None else optuna.Trial(study, trial_id)


@contextlib.contextmanager
def time_limit(seconds: float | None, limit: float | None = None) -> Iterator[None]:
    """Raise :class:`TrialTimeout` in the main thread after ``seconds`` (SIGALRM);
    ``limit`` is the whole trial's limit, for the message.

    A compiled call (a C or C++ fit) finishes before the exception is raised.
    """
    if not seconds:
        yield
        return
    limit = limit or seconds

    def expire(signum: int, frame: Any) -> None:
        raise TrialTimeout(f"the trial ran past its time limit of {limit:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Interrupts:
    """Ctrl+C during a search, acted on only where nothing is being written.

    While active (the search loop, main thread), SIGINT is remembered; it raises
    ``KeyboardInterrupt`` at once only inside :meth:`fitting` (a fold's fits and
    scores). Elsewhere — a storage write, an MLflow run — :meth:`check` raises it at the
    next safe point, so a study is never left with a half-written trial.
    """

    def __init__(self) -> None:
        self.requested = False
        self._fitting = False
        self._previous: Any = None

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: Any) -> None:
        self.requested = True
        if self._fitting:
            raise KeyboardInterrupt

    def check(self) -> None:
        if self.requested:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def fitting(self) -> Iterator[None]:
        self.check()
        self._fitting = True
        try:
            yield
        finally:
            self._fitting = False


def run_trial(
    study: optuna.Study,
    trial: optuna.Trial,
    suggest: Callable[[optuna.Trial], dict[str, Any]],
    fold_scores: Callable[[dict[str, Any]], Iterator[float]],
    trial_timeout: float | None,
    interrupts: Interrupts | None = None,
) -> tuple[optuna.trial.FrozenTrial, dict[str, Any] | None, list[float]]:
    """Run one claimed trial to its end and tell the study; never raises for the trial's
    own failures (an exception, a timeout, a NaN score), which are recorded with their
    reason. Ctrl+C (through ``interrupts``) records the trial as interrupted, puts a
    waiting trial with the same fixed parameters back in the budget and is raised again."""
    interrupts = interrupts or Interrupts()
    start = time.perf_counter()
    trial.set_user_attr("worker", WORKER)
    spec: dict[str, Any] | None = None
    scores: list[float] = []
    state, value = TrialState.FAIL, None
    try:
        spec = suggest(trial)
        trial.set_user_attr("pipeline", spec)
        # the time limit covers the fits and scores only, never a write to the storage
        deadline = None if not trial_timeout else time.perf_counter() + trial_timeout
        folds = fold_scores(spec)
        for fold in itertools.count():
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                raise TrialTimeout(f"the trial ran past its time limit of {trial_timeout:g} s")
            with interrupts.fitting(), time_limit(left, trial_timeout), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence notes would bury the bar
                score = next(folds, None)
            if score is None:
                break
            scores.append(score)
            trial.report(float(sum(scores) / len(scores)), fold)
            interrupts.check()
            if trial.should_prune():
                raise optuna.TrialPruned()
        value = sum(scores) / len(scores) if scores else math.nan
        if not math.isfinite(value):
            trial.set_user_attr("error", f"the score is {value} (fold scores {scores})")
        else:
            state = TrialState.COMPLETE
    except optuna.TrialPruned:
        state = TrialState.PRUNED
    except KeyboardInterrupt:
        trial.set_user_attr("interrupted", True)
        trial.set_user_attr("error", "interrupted (Ctrl+C); a waiting trial took its place")
        trial.set_user_attr("duration_s", round(time.perf_counter() - start, 3))
        frozen = study.tell(trial, state=TrialState.FAIL)
        fixed = frozen.system_attrs.get("fixed_params") or {}
        study.enqueue_trial(fixed, user_attrs={"budget": True}, skip_if_exists=False)
        raise
    except Exception as error:  # noqa: BLE001 - a failing candidate never ends the study
        trial.set_user_attr("error", _reason(error))
    trial.set_user_attr("fold_scores", scores)
    trial.set_user_attr("duration_s", round(time.perf_counter() - start, 3))
    if state == TrialState.COMPLETE:
        frozen = study.tell(trial, value)
    else:
        frozen = study.tell(trial, state=state)
    return frozen, spec, scores


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    at = f" (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    return f"{type(error).__name__}: {text[:300]}{at}"
