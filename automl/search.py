"""A search from start to end: check the input, open or resume the study, run the trials,
log them, refit and log the winner, and report.

Everything that can be wrong with the input is checked before anything is written: the
storage file, the study and the MLflow runs only appear once the search can run.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from automl.errors import AutoMLError

__all__ = ["Settings", "run_search", "run_worker"]

TASKS = ("forecasting", "classification", "anomaly-detection")


@dataclass
class Settings:
    """What ``kb automl`` was asked; see the command's help for each field."""

    task: str
    source: dict[str, Any]
    trials: int = 30
    timeout: float | None = None
    trial_timeout: float | None = 300.0
    metric: str | dict[str, Any] | None = None  # an id, or a spec {"id", "params"}
    seed: int = 0
    storage: str | None = None
    study: str | None = None
    sampler: str = "tpe"
    pruner: str = "median"
    resume: bool = False
    tracking_uri: str | None = None
    experiment: str = "automl"
    register: str | None = None
    horizon: int | None = None
    splitter: dict[str, Any] | None = None  # forecasting: a splitter spec (a project's)
    progress: bool = True
    refit: bool = True
    folder: str = "."
    tags: dict[str, str] = field(default_factory=dict)  # more MLflow tags (a project's template)


@dataclass
class Outcome:
    """What a search found; ``as_dict()`` is the ``--json`` answer."""

    study: str
    storage: str
    task: str
    dataset: str
    metric: str
    direction: str
    n_trials: int
    n_complete: int
    n_failed: int
    n_pruned: int
    best_value: float | None  # the winner's (see selection), not always the top score
    best_pipeline: dict[str, Any] | None
    best_trial: int | None
    selection: str  # why the winner won (automl.selection)
    default_value: float | None
    test_score: float | None
    top: list[dict[str, Any]]
    trials_per_minute: float
    seconds_to_default: float | None
    elapsed_s: float
    mlflow_run_id: str | None
    tracking_uri: str | None
    remaining: int
    evaluation: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(settings: Settings) -> None:
    if settings.task not in TASKS:
        raise AutoMLError(f"unknown task {settings.task!r}; use one of {', '.join(TASKS)}")
    if settings.trials < 1:
        raise AutoMLError(f"--trials must be a positive number of trials, found {settings.trials}")
    for name in ("timeout", "trial_timeout"):
        value = getattr(settings, name)
        if value is not None and not value > 0:
            flag = "--" + name.replace("_", "-")
            raise AutoMLError(f"{flag} must be a positive duration, found {value}")
    if settings.horizon is not None and settings.horizon < 1:
        raise AutoMLError(f"--horizon must be a positive number of steps, found {settings.horizon}")


def default_storage(folder: str | Path) -> str:
    """The local study file: ``automl.db`` in the project (or current) folder."""
    return f"sqlite:///{(Path(folder) / 'automl.db').resolve()}"


def default_tracking(folder: str | Path) -> str:
    import os

    return os.environ.get("MLFLOW_TRACKING_URI") or (
        f"sqlite:///{(Path(folder) / 'mlflow.db').resolve()}"
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "data"


def run_search(settings: Settings, on_trial: Any = None) -> Outcome:
    """Run (or resume) the study ``settings`` describe; returns the outcome."""
    _check(settings)
    import optuna

    from automl import study as studies
    from automl.data import load_task_data
    from automl.evaluation import make_evaluation
    from automl.resume import check_resume
    from automl.space import build_space
    from automl.study import safe_url
    from automl.tracking import check_tracking

    # servers first: an unreachable one is one sentence before any data is read
    storage_url = settings.storage or default_storage(settings.folder)
    local = storage_url.startswith("sqlite:///")
    if local and settings.resume and not Path(storage_url.removeprefix("sqlite:///")).is_file():
        raise AutoMLError(f"--resume: no study file {storage_url}; start the study without it")
    tracking_uri = settings.tracking_uri or default_tracking(settings.folder)
    check_tracking(tracking_uri)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = None if local else studies.open_storage(storage_url)

    data = load_task_data(settings.task, {**settings.source, "seed": settings.seed})
    evaluation = make_evaluation(
        data, settings.metric, settings.seed, settings.horizon, settings.splitter
    )
    space = build_space(
        settings.task,
        data.train,
        evaluation.metric,
        getattr(evaluation, "period", 1),
        settings.seed,
    )
    label = Path(data.name).stem if "path" in data.source else data.name.removeprefix("dataset.")
    name = settings.study or f"{settings.task}-{_slug(label)}"
    # a local study file is created only once the data and the space are known to be good
    storage = storage or studies.open_storage(storage_url)
    sampler = studies.make_sampler(settings.sampler, settings.seed)
    pruner = studies.make_pruner(settings.pruner)
    signature = space.signature()
    existing = {s.study_name: s for s in optuna.get_all_study_summaries(storage)}
    if name in existing:
        check_resume(
            name,
            existing[name].user_attrs,
            settings.task,
            settings.resume,
            safe_url(storage_url),
            signature,
            data,
            evaluation.metric_id,
        )
        study = optuna.load_study(study_name=name, storage=storage, sampler=sampler, pruner=pruner)
        done = len(studies.finished_trials(study)) + studies.remaining_budget(study)
        if settings.trials > done:
            studies.enqueue_budget(study, settings.trials - done)
            study.set_user_attr("budget", settings.trials)
    else:
        if settings.resume:
            raise AutoMLError(
                f"--resume: no study {name!r} in {safe_url(storage_url)}; start it without --resume"
            )
        study = optuna.create_study(
            study_name=name,
            storage=storage,
            sampler=sampler,
            pruner=pruner,
            direction=evaluation.direction,
        )
        attrs = {
            "task": settings.task,
            "source": data.source,
            "dataset": data.name,
            "dataset_digest": data.digest,
            "metric": evaluation.metric_id,
            "seed": settings.seed,
            "horizon": settings.horizon,
            "metric_spec": settings.metric if isinstance(settings.metric, dict) else None,
            "splitter": settings.splitter,
            "space": signature,
            "budget": settings.trials,
            "evaluation": evaluation.describe(),
            "settings": {
                "sampler": settings.sampler,
                "pruner": settings.pruner,
                "trial_timeout": settings.trial_timeout,
                "trials": settings.trials,
            },
        }
        for key, value in attrs.items():
            study.set_user_attr(key, value)
        studies.enqueue_budget(study, settings.trials, space.default_params())
    return _run(
        study, storage_url, data, evaluation, space, settings, tracking_uri, on_trial, finalize=True
    )


def run_worker(
    study_name: str,
    storage_url: str,
    *,
    timeout: float | None = None,
    trial_timeout: float | None = None,
    tracking_uri: str | None = None,
    seed: int | None = None,
    progress: bool = True,
    on_trial: Any = None,
) -> Outcome:
    """Join the study ``study_name`` in ``storage_url`` and run its waiting trials.

    The data, metric and search space are those the study recorded; the worker checks it
    rebuilds the same space (same catalog, same packages) and the same data (content hash).
    """
    import optuna

    from automl import study as studies
    from automl.data import load_task_data
    from automl.evaluation import make_evaluation
    from automl.space import build_space, describe_change
    from automl.study import safe_url

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = studies.open_storage(storage_url)
    names = [s.study_name for s in optuna.get_all_study_summaries(storage)]
    if study_name not in names:
        raise AutoMLError(
            f"no study {study_name!r} in {safe_url(storage_url)} (found: "
            f"{', '.join(names) or 'none'}); start it with kb automl TASK --storage URL "
            "--study NAME first"
        )
    probe = optuna.load_study(study_name=study_name, storage=storage)
    attrs = probe.user_attrs
    if "task" not in attrs:
        raise AutoMLError(
            f"study {study_name!r} was not made by kb automl; a worker cannot join it"
        )
    settings = Settings(
        task=attrs["task"],
        source=attrs["source"],
        metric=attrs.get("metric_spec") or attrs["metric"],
        splitter=attrs.get("splitter"),
        seed=int(attrs.get("seed", 0)) if seed is None else seed,
        storage=storage_url,
        study=study_name,
        horizon=attrs.get("horizon"),
        timeout=timeout,
        trial_timeout=trial_timeout or attrs["settings"].get("trial_timeout"),
        sampler=attrs["settings"]["sampler"],
        pruner=attrs["settings"]["pruner"],
        progress=progress,
        refit=False,
    )
    _check(settings)
    data = load_task_data(settings.task, settings.source)
    if data.digest != attrs["dataset_digest"]:
        raise AutoMLError(
            f"the data this worker reads ({data.name}) differs from the study's (content hash "
            f"{data.digest[:12]}... vs {attrs['dataset_digest'][:12]}...); give every worker "
            "the same file"
        )
    evaluation = make_evaluation(
        data, settings.metric, int(attrs.get("seed", 0)), settings.horizon, settings.splitter
    )
    space = build_space(
        settings.task,
        data.train,
        evaluation.metric,
        getattr(evaluation, "period", 1),
        int(attrs.get("seed", 0)),
    )
    change = describe_change(attrs["space"], space.signature())
    if change:
        raise AutoMLError(
            f"this worker's catalog builds another search space than the study's ({change}); "
            "install the same atomkb and packages on every worker"
        )
    import os

    sampler = studies.make_sampler(settings.sampler, settings.seed + os.getpid())
    study = optuna.load_study(
        study_name=study_name,
        storage=storage,
        sampler=sampler,
        pruner=studies.make_pruner(settings.pruner),
    )
    return _run(
        study,
        storage_url,
        data,
        evaluation,
        space,
        settings,
        tracking_uri or default_tracking("."),
        on_trial,
        finalize=False,
    )


def _run(
    study: Any,
    storage_url: str,
    data: Any,
    evaluation: Any,
    space: Any,
    settings: Settings,
    tracking_uri: str,
    on_trial: Any,
    finalize: bool,
) -> Outcome:
    from automl import study as studies
    from automl.report import Progress, summarize
    from automl.tracking import Tracker

    tracker = Tracker(tracking_uri, settings.experiment)
    tags = {
        "task": data.task,
        "dataset.name": data.name,
        "dataset.digest": data.digest,
        "automl.study": study.study_name,
        "metric.primary": evaluation.metric_id,
        "metric.direction": evaluation.direction,
        **settings.tags,
    }
    parent = tracker.parent_run(study, tags)
    start = time.perf_counter()
    progress = Progress(
        studies.remaining_budget(study), evaluation.direction, enabled=settings.progress
    )
    with studies.Interrupts() as interrupts:
        _loop(
            study,
            space,
            evaluation,
            settings,
            tracker,
            parent,
            tags,
            progress,
            on_trial,
            interrupts,
            start,
        )
    elapsed = time.perf_counter() - start
    outcome = summarize(study, storage_url, data, evaluation, elapsed, parent, tracking_uri)
    if finalize and settings.refit and outcome.remaining == 0 and outcome.best_pipeline:
        fitted = evaluation.fit_final(outcome.best_pipeline)
        outcome.test_score = evaluation.test_score(fitted)
        tracker.finish(
            parent, study, outcome.as_dict(), fitted, data.task, data.train, settings.register
        )
    return outcome


def _loop(
    study: Any,
    space: Any,
    evaluation: Any,
    settings: Settings,
    tracker: Any,
    parent: str,
    tags: dict[str, str],
    progress: Any,
    on_trial: Any,
    interrupts: Any,
    start: float,
) -> None:
    """Claim and run trials until the budget or the time is spent (Ctrl+C at safe points)."""
    from automl import study as studies

    try:
        while not (settings.timeout and time.perf_counter() - start > settings.timeout):
            interrupts.check()
            trial = studies.claim_trial(study)
            if trial is None:
                break
            frozen, spec, scores = studies.run_trial(
                study,
                trial,
                space.suggest,
                evaluation.fold_scores,
                settings.trial_timeout,
                interrupts,
            )
            tracker.log_trial(
                parent, frozen, spec, scores, tags, evaluation.metric_id.removeprefix("metric.")
            )
            progress.update(study, frozen)
            if on_trial is not None:
                on_trial(frozen)
    finally:
        progress.close()
