"""``kb automl``: search catalog pipelines for a task's data, or join a study as a worker.

``kb automl TASK --dataset ID|FILE`` runs a study; ``kb automl worker --study NAME
--storage URL`` joins one from any machine; ``kb automl`` alone, inside a scaffolded
project, searches for that project and writes the winner into its
``configs/pipeline.yaml``. :mod:`automl` is imported only when a search starts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from cli.errors import KbError
from cli.output import echo_json

__all__ = ["automl"]

TASKS = ("forecasting", "classification", "anomaly-detection")


def parse_duration(text: str | None, flag: str) -> float | None:
    """Seconds in ``"90"``, ``"90s"``, ``"10m"`` or ``"1h"``.

    Examples
    --------
    >>> parse_duration("10m", "--timeout"), parse_duration("90", "--timeout")
    (600.0, 90.0)
    """
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        raise KbError(f"{flag} {text!r} is not a duration; write e.g. 90s, 10m or 1h")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if seconds <= 0:
        raise KbError(f"{flag} must be a positive duration, found {text!r}")
    return seconds


class AutomlGroup(click.Group):
    """``kb automl TASK`` for each task, plus ``worker``; unknown names are one sentence."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in self.commands:
            from difflib import get_close_matches

            close = get_close_matches(name, list(self.commands), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise KbError(f"unknown task '{name}': use one of {', '.join(TASKS)} (or worker){hint}")
        return super().resolve_command(ctx, args)


def _common(function: Any) -> Any:
    options = [
        click.option(
            "--trials",
            type=int,
            default=30,
            show_default=True,
            help="Budget: number of trials of the study (all workers together).",
        ),
        click.option("--timeout", help="Stop starting trials after this long (e.g. 10m)."),
        click.option(
            "--trial-timeout",
            default="5m",
            show_default=True,
            help="Time limit of one trial; a trial past it is recorded as failed.",
        ),
        click.option("--metric", help="Objective metric id (default: the task's, e.g. mase)."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sampler."),
        click.option("--storage", help="Optuna storage URL [default: sqlite:///automl.db here]."),
        click.option("--study", "study_name", help="Study name [default: TASK-DATASET]."),
        click.option(
            "--sampler", type=click.Choice(["tpe", "random"]), default="tpe", show_default=True
        ),
        click.option(
            "--pruner",
            type=click.Choice(["median", "halving", "none"]),
            default="median",
            show_default=True,
            help="Pruning on fold scores.",
        ),
        click.option("--resume", is_flag=True, help="Continue the study where it stopped."),
        click.option(
            "--tracking-uri",
            envvar="MLFLOW_TRACKING_URI",
            help="MLflow tracking URI [env MLFLOW_TRACKING_URI; default sqlite:///mlflow.db].",
        ),
        click.option(
            "--experiment",
            default="automl",
            show_default=True,
            help="MLflow experiment of the study's runs.",
        ),
        click.option(
            "--register", help="Register the winner under this model name (alias champion)."
        ),
        click.option(
            "--json", "as_json", is_flag=True, help="Print the outcome as one JSON object."
        ),
        click.option("--no-progress", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _need_automl() -> None:
    """One sentence, not a traceback, when atomkb was installed without its automl extra."""
    import importlib.util

    if importlib.util.find_spec("optuna") is None:
        raise KbError(
            "kb automl needs atomkb's automl extra (Optuna): pip install 'atomkb[automl]'"
        )


def _run(settings: Any, as_json: bool) -> None:
    _need_automl()
    from automl import AutoMLError, run_search
    from automl.report import format_outcome

    try:
        outcome = run_search(settings)
    except AutoMLError as error:
        raise KbError(str(error)) from None
    except KeyboardInterrupt:
        raise KbError(
            "interrupted; the finished trials are kept: run the same command with --resume "
            "to continue"
        ) from None
    if as_json:
        echo_json(outcome.as_dict())
    else:
        click.echo(format_outcome(outcome))


def _task_command(task: str) -> click.Command:
    @click.command(name=task, help=f"Search {task} pipelines for a dataset.")
    @click.option(
        "--dataset", required=True, help="A catalog dataset id, or the path of a CSV/Parquet file."
    )
    @click.option("--time-column", help="File: the time column [default: 'time', else the first].")
    @click.option("--target", help="File: the series column [default: 'value', else the only one].")
    @click.option("--label-column", help="File: labels (anomaly 0/1, or the class of a case).")
    @click.option("--case-column", help="File (classification): the case of each row.")
    @click.option("--exog", help="File (forecasting): known drivers, comma-separated.")
    @click.option("--horizon", type=int, help="Forecasting: steps per backtest fold.")
    @click.option(
        "--holdout",
        type=int,
        help="Forecasting: last points kept out of the search [default: one horizon].",
    )
    @_common
    def command(
        dataset: str,
        time_column: str | None,
        target: str | None,
        label_column: str | None,
        case_column: str | None,
        exog: str | None,
        horizon: int | None,
        holdout: int | None,
        **options: Any,
    ) -> None:
        suffixes = (".csv", ".gz", ".bz2", ".zip", ".xz", ".zst", ".parquet", ".pq")
        looks_like_file = (
            Path(dataset).exists() or "/" in dataset or dataset.lower().endswith(suffixes)
        )
        if looks_like_file:
            source: dict[str, Any] = {"path": str(Path(dataset).expanduser().resolve())}
            for key, value in (
                ("time_column", time_column),
                ("target", target),
                ("label_column", label_column),
                ("case_column", case_column),
            ):
                if value:
                    source[key] = value
            if exog:
                source["exog_columns"] = [c.strip() for c in exog.split(",") if c.strip()]
        else:
            source = {"dataset": dataset}
        if holdout is not None:
            source["holdout"] = holdout
        _run(_settings(task, source, horizon, options), options["as_json"])

    return command


def _settings(
    task: str, source: dict[str, Any], horizon: int | None, options: dict[str, Any]
) -> Any:
    from automl import Settings

    return Settings(task=task, source=source, horizon=horizon, **search_options(options))


def search_options(options: dict[str, Any]) -> dict[str, Any]:
    """The common options as keyword arguments of a search (standalone or in a project)."""
    return {
        "trials": options["trials"],
        "timeout": parse_duration(options["timeout"], "--timeout"),
        "trial_timeout": parse_duration(options["trial_timeout"], "--trial-timeout"),
        "metric": options["metric"],
        "seed": options["seed"],
        "storage": options["storage"],
        "study": options["study_name"],
        "sampler": options["sampler"],
        "pruner": options["pruner"],
        "resume": options["resume"],
        "tracking_uri": options["tracking_uri"],
        "experiment": options["experiment"],
        "register": options["register"],
        "progress": not options["no_progress"],
    }


@click.group(cls=AutomlGroup, invoke_without_command=True)
@_common
@click.pass_context
def automl(ctx: click.Context, **options: Any) -> None:
    """Search catalog pipelines with Optuna, each trial a nested MLflow run.

    kb automl TASK --dataset ID|FILE runs a study (resumable with --resume);
    kb automl worker --study NAME --storage URL joins it from another machine.
    kb automl [OPTIONS] alone, in a scaffolded project, searches on the project's data
    (and, for forecasting, with its own backtest) and writes the winner into its
    configs/pipeline.yaml, keeping the previous file as configs/pipeline.yaml.bak.
    """
    from click.core import ParameterSource

    given = [
        param.opts[0]
        for param in ctx.command.params
        if param.name and ctx.get_parameter_source(param.name) == ParameterSource.COMMANDLINE
    ]
    if ctx.invoked_subcommand is not None:
        if given:
            task = ctx.invoked_subcommand
            raise KbError(f"{given[0]} goes after the task: kb automl {task} {given[0]} ...")
        return
    if not given and not Path("configs", "pipeline.yaml").is_file():
        click.echo(ctx.get_help())
        return
    _search_project(options)


def _search_project(options: dict[str, Any]) -> None:
    """``kb automl`` in a project: search, write the winner, say where."""
    from automl import AutoMLError
    from automl.project import search_project

    try:
        outcome, written, backup = search_project(".", **search_options(options))
    except AutoMLError as error:
        raise KbError(str(error)) from None
    except KeyboardInterrupt:
        raise KbError(
            "interrupted; configs/pipeline.yaml is unchanged and the finished trials are "
            "kept: run kb automl --resume to continue"
        ) from None
    from automl.report import format_outcome

    here = Path.cwd().resolve()
    written, backup = written.relative_to(here), backup.relative_to(here)
    if options["as_json"]:
        echo_json({**outcome.as_dict(), "written": str(written), "backup": str(backup)})
    else:
        click.echo(format_outcome(outcome))
        click.echo(f"wrote {written} (previous: {backup})")


for _task in TASKS:
    automl.add_command(_task_command(_task))


@automl.command()
@click.option("--study", "study_name", required=True, help="The study to join.")
@click.option("--storage", required=True, help="Its shared storage, e.g. postgresql://...")
@click.option("--timeout", help="Stop starting trials after this long (e.g. 10m).")
@click.option("--trial-timeout", help="Time limit of one trial [default: the study's].")
@click.option(
    "--tracking-uri",
    envvar="MLFLOW_TRACKING_URI",
    help="MLflow tracking URI [env MLFLOW_TRACKING_URI].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as one JSON object.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def worker(
    study_name: str,
    storage: str,
    timeout: str | None,
    trial_timeout: str | None,
    tracking_uri: str | None,
    as_json: bool,
    no_progress: bool,
) -> None:
    """Run waiting trials of a shared study until its budget is spent."""
    _need_automl()
    from automl import AutoMLError, run_worker
    from automl.report import format_outcome

    try:
        outcome = run_worker(
            study_name,
            storage,
            timeout=parse_duration(timeout, "--timeout"),
            trial_timeout=parse_duration(trial_timeout, "--trial-timeout"),
            tracking_uri=tracking_uri,
            progress=not no_progress,
        )
    except AutoMLError as error:
        raise KbError(str(error)) from None
    except KeyboardInterrupt:
        raise KbError("interrupted; the study keeps its finished trials") from None
    if as_json:
        echo_json(outcome.as_dict())
    else:
        click.echo(format_outcome(outcome))
