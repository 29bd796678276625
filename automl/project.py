"""``kb automl`` inside a scaffolded project: search on the project's own data and write
the winner into its ``configs/pipeline.yaml``.

The project says everything a search needs: its task (the ``template`` answer of
``.copier-answers.yml``), its data (the ``data`` section of the configuration: a catalog
dataset or the user's file, checked against its recorded SHA-256) and, for forecasting,
its evaluation: the search scores every candidate with the project's own splitter and
first metric, on the whole series, so ``make train`` finds the score AutoML reported.
Classification and anomaly-detection projects are searched with AutoML's own evaluation
(stratified folds; a validation part with labels or injected anomalies), whose numbers
differ from ``make train``'s by protocol.

The winner replaces only the pipeline part of the configuration (``pipeline.model``, or
``pipeline.detector`` and ``pipeline.threshold``); the data and evaluation sections and
the comments stay. The previous file is kept beside it as ``pipeline.yaml.bak`` (a
timestamped name when that exists), and the new one is written atomically. Nothing is
written when the search fails or no trial completes; a search stopped by its timeout
writes the best pipeline it found.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from automl.errors import AutoMLError

__all__ = [
    "CONFIG",
    "PROJECT_TASKS",
    "ProjectTask",
    "find_project",
    "find_task",
    "project_source",
    "read_config",
    "search_project",
    "write_winner",
]

CONFIG = Path("configs") / "pipeline.yaml"
ANSWERS = ".copier-answers.yml"
HEADER = "# kb automl: "  # the lines of the header this module writes start so


def _project_backtest(config: dict[str, Any], metric: str | None) -> dict[str, Any]:
    """The project's splitter and metric spec: the backtest ``make train`` computes."""
    evaluation = config.get("evaluation") or {}
    specs = [s for s in evaluation.get("metrics") or [] if isinstance(s, dict) and "id" in s]
    if "splitter" not in evaluation or not specs:
        raise AutoMLError(
            "configs/pipeline.yaml needs evaluation.splitter and evaluation.metrics for a "
            "forecasting search; restore them from pipeline.yaml.bak or the template"
        )
    if metric:  # one of the project's metrics keeps its params; another id is AutoML's
        wanted = metric if metric.startswith("metric.") else f"metric.{metric}"
        chosen: str | dict[str, Any] = next((s for s in specs if s["id"] == wanted), metric)
    else:
        chosen = specs[0]
    return {"splitter": evaluation["splitter"], "metric": chosen}


def _automl_evaluation(config: dict[str, Any], metric: str | None) -> dict[str, Any]:
    return {"metric": metric}


def _as_model(pipeline: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    return {**pipeline, "model": spec}


def _as_detector(pipeline: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The organism as the detector; a threshold it was searched with becomes the
    project's, which labels the organism's calibration scores as the organism would."""
    params = dict(spec.get("params") or {})
    threshold = params.pop("threshold", None)
    placed = {**pipeline, "detector": {"id": spec["id"], "params": params}}
    if isinstance(threshold, dict):
        placed["threshold"] = threshold
    return placed


@dataclass(frozen=True)
class ProjectTask:
    """How a project of one template is searched and how its winner is written."""

    evaluation: Callable[[dict[str, Any], str | None], dict[str, Any]]
    place: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]
    written: tuple[str, ...]  # the entries of ``pipeline`` the winner replaces
    protocol: str  # how the score was measured, for the header of the file


PROJECT_TASKS = {
    "forecasting": ProjectTask(
        _project_backtest, _as_model, ("model",), "on the project's backtest (make train's)"
    ),
    "classification": ProjectTask(
        _automl_evaluation,
        _as_model,
        ("model",),
        "on AutoML's stratified folds (make train's folds differ)",
    ),
    "anomaly-detection": ProjectTask(
        _automl_evaluation,
        _as_detector,
        ("detector", "threshold"),
        "on AutoML's validation part (make train's split differs)",
    ),
}


def find_project(folder: str | Path) -> Path:
    """The project folder: ``folder`` when it holds ``configs/pipeline.yaml``."""
    project = Path(folder).resolve()
    if not (project / CONFIG).is_file():
        raise AutoMLError(
            "not inside a scaffolded project (no configs/pipeline.yaml); run kb automl TASK "
            "--dataset ... instead"
        )
    return project


def read_config(project: Path) -> dict[str, Any]:
    path = project / CONFIG
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise AutoMLError(f"{CONFIG} is not valid YAML{where}; fix it first") from None
    if not isinstance(config, dict) or not isinstance(config.get("pipeline"), dict):
        raise AutoMLError(f"{CONFIG} has no pipeline section; restore it from the template")
    return config


def template_tags(project: Path, task: str) -> dict[str, str]:
    """The run tags naming the project's template and its version (the answers' commit)."""
    tags = {"template": task}
    answers_file = project / ANSWERS
    if answers_file.is_file():
        with contextlib.suppress(yaml.YAMLError, UnicodeDecodeError):
            answers = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
            if isinstance(answers, dict) and answers.get("_commit"):
                tags["template.version"] = str(answers["_commit"])
    return tags


def find_task(project: Path, config: dict[str, Any]) -> str:
    """The project's task: its ``template`` answer, else what its pipeline section holds."""
    answers_file = project / ANSWERS
    if answers_file.is_file():
        with contextlib.suppress(yaml.YAMLError, UnicodeDecodeError):
            answers = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
            template = answers.get("template") if isinstance(answers, dict) else None
            if template in PROJECT_TASKS:
                return str(template)
    pipeline = config["pipeline"]
    if "detector" in pipeline:
        return "anomaly-detection"
    if "model" in pipeline:
        return "forecasting" if "splitter" in (config.get("evaluation") or {}) else "classification"
    raise AutoMLError(
        f"{CONFIG} names neither pipeline.model nor pipeline.detector, and {ANSWERS} no "
        "template; restore the pipeline section from the template"
    )


def project_source(project: Path, config: dict[str, Any], task: str) -> dict[str, Any]:
    """The :func:`automl.data.load_task_data` source of the project's ``data`` section."""
    data = config.get("data")
    if isinstance(data, dict) and "id" in data:
        source: dict[str, Any] = {"dataset": str(data["id"])}
        if data.get("params"):
            source["params"] = dict(data["params"])
    elif isinstance(data, dict) and "path" in data:
        source = {"path": str(_checked_file(project, data))}
        if data.get("time_column"):
            source["time_column"] = data["time_column"]
        targets = list(data.get("value_columns") or data.get("target_columns") or [])
        if task == "classification":
            source.update(target=targets, case_column=data.get("case_column"))
        elif len(targets) > 1:
            raise AutoMLError(
                f"data.target_columns names {len(targets)} columns; AutoML searches pipelines "
                "for one series, so run kb automl TASK --dataset FILE --target COLUMN instead"
            )
        elif targets:
            source["target"] = targets[0]
        if data.get("label_column"):
            source["label_column"] = data["label_column"]
        if data.get("exog_columns"):
            source["exog_columns"] = list(data["exog_columns"])
    else:
        raise AutoMLError(
            f"{CONFIG}: data must name a catalog dataset (id) or your file (path); restore "
            "the data section from the template"
        )
    if task == "forecasting":
        source["holdout"] = 0  # the project's backtest runs on the whole series
    return source


def _checked_file(project: Path, data: dict[str, Any]) -> Path:
    """The data file, relative to the project, with the content its SHA-256 recorded (the
    check the project's ``config.py`` makes before training)."""
    file = project / str(data["path"])
    if not file.is_file():
        raise AutoMLError(
            f"data file {file} not found; put your file there, or fix data.path in {CONFIG}"
        )
    recorded = str(data.get("sha256") or "")
    if recorded:
        digest = hashlib.sha256()
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        found = digest.hexdigest()
        if found != recorded:
            raise AutoMLError(
                f"{data['path']} has changed since {CONFIG} recorded it (sha256 "
                f"{recorded[:12]}..., now {found[:12]}...); if the change is meant, set "
                f"data.sha256 to {found}"
            )
    return file


def search_project(
    folder: str | Path = ".",
    *,
    trials: int = 30,
    timeout: float | None = None,
    trial_timeout: float | None = 300.0,
    metric: str | None = None,
    seed: int = 0,
    storage: str | None = None,
    study: str | None = None,
    sampler: str = "tpe",
    pruner: str = "median",
    resume: bool = False,
    tracking_uri: str | None = None,
    experiment: str = "automl",
    register: str | None = None,
    progress: bool = True,
) -> tuple[Any, Path, Path]:
    """Search pipelines for the project in ``folder`` and write the winner into its
    ``configs/pipeline.yaml``.

    Returns the :class:`automl.search.Outcome`, the configuration written and the backup
    of the previous one. The study goes to ``sqlite:///<project>/automl.db`` and the runs
    to ``MLFLOW_TRACKING_URI``, else ``sqlite:///<project>/mlflow.db`` (the project's
    store), unless ``storage`` and ``tracking_uri`` say otherwise. ``metric`` replaces
    the objective (forecasting: the project's first metric).
    """
    from automl.search import Settings, run_search

    project = find_project(folder)
    if importlib.util.find_spec("optuna") is None:
        raise AutoMLError(
            "kb automl needs atomkb's automl extra (Optuna); install the project with it: the "
            "pip install line of its README with .[dev,automl] in place of .[dev]"
        )
    config = read_config(project)
    task = find_task(project, config)
    recipe = PROJECT_TASKS[task]
    settings = Settings(
        task=task,
        source=project_source(project, config, task),
        trials=trials,
        timeout=timeout,
        trial_timeout=trial_timeout,
        seed=seed,
        storage=storage,
        study=study,
        sampler=sampler,
        pruner=pruner,
        resume=resume,
        tracking_uri=tracking_uri,
        experiment=experiment,
        register=register,
        progress=progress,
        folder=str(project),
        tags=template_tags(project, task),
        **recipe.evaluation(config, metric),
    )
    outcome = run_search(settings)
    if not outcome.best_pipeline:
        raise AutoMLError(
            f"no trial of study {outcome.study} completed ({outcome.n_failed} failed, "
            f"{outcome.n_pruned} pruned), so {CONFIG} is unchanged; the failed trials' "
            f"reasons are in MLflow ({outcome.tracking_uri})"
        )
    backup = write_winner(project, outcome, recipe)
    return outcome, project / CONFIG, backup


def write_winner(project: Path, outcome: Any, recipe: ProjectTask) -> Path:
    """Back up ``configs/pipeline.yaml`` and write the winner's pipeline into it; returns
    the backup. The comments of the file are kept when its layout is the template's."""
    path = project / CONFIG
    text = path.read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    wanted = {**config, "pipeline": recipe.place(config["pipeline"], outcome.best_pipeline)}
    edited = _edit_pipeline(text, wanted["pipeline"], recipe.written)
    if edited is None or yaml.safe_load(edited) != wanted:  # not the template's layout
        edited = yaml.safe_dump(wanted, sort_keys=False, default_flow_style=None, width=100)
    body = "".join(line for line in edited.splitlines(keepends=True) if not line.startswith(HEADER))
    backup = _backup(path)
    lines = [
        f"pipeline chosen by kb automl, study {outcome.study} ({outcome.n_complete} of "
        f"{outcome.n_trials} trials complete):",
        f"{outcome.metric.removeprefix('metric.')} {outcome.best_value:.6g} {recipe.protocol};",
        f"the previous file is {backup.relative_to(project)}",
    ]
    header = "".join(f"{HEADER}{line}\n" for line in lines)
    _write_atomically(path, header + body)
    return backup


def _backup(path: Path) -> Path:
    """Copy ``path`` to ``pipeline.yaml.bak``, or a timestamped name when that exists; a
    backup is never overwritten."""
    candidates = [path.with_name(f"{path.name}.bak")]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidates += [
        path.with_name(f"{path.stem}.{stamp}{'' if n == 0 else f'-{n}'}.yaml.bak")
        for n in range(100)
    ]
    for candidate in candidates:
        try:
            with candidate.open("xb") as target, path.open("rb") as source:
                shutil.copyfileobj(source, target)
        except FileExistsError:
            continue
        shutil.copystat(path, candidate)
        return candidate
    raise AutoMLError(f"cannot find a free backup name beside {path}; remove old .bak files")


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _edit_pipeline(text: str, pipeline: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """``text`` with the entries ``keys`` of its top-level ``pipeline:`` section replaced
    by those of ``pipeline``, every other line (comments included) as it was; ``None``
    when the section is not laid out as the templates write it."""
    lines = text.splitlines(keepends=True)
    top = [i for i, line in enumerate(lines) if re.match(r"[^\s#]", line)]
    start = next((i for i in top if re.match(r"pipeline:\s*(#.*)?$", lines[i])), None)
    if start is None:
        return None
    end = next((i for i in top if i > start), len(lines))
    for key in keys:
        if key not in pipeline:
            continue
        block = yaml.safe_dump(
            {key: pipeline[key]}, sort_keys=False, default_flow_style=None, width=100
        )
        new = ["  " + line for line in block.splitlines(keepends=True)]
        first = next(
            (i for i in range(start + 1, end) if re.match(rf"  {re.escape(key)}:", lines[i])), None
        )
        if first is None:  # not there yet: after the section's last entry
            last = max((i for i in range(start + 1, end) if lines[i].strip()), default=start)
            lines[last + 1 : last + 1] = new
            end += len(new)
            continue
        stop = first + 1
        while stop < end and (not lines[stop].strip() or _indent(lines[stop]) > 2):
            stop += 1
        while stop > first + 1 and not lines[stop - 1].strip():  # blank lines stay outside
            stop -= 1
        lines[first:stop] = new
        end += len(new) - (stop - first)
    return "".join(lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
