"""What a person sees: a progress bar while trials run, then the top pipelines."""

from __future__ import annotations

import json
import sys
from typing import Any

from optuna.trial import TrialState

__all__ = ["Progress", "format_outcome", "summarize"]

TOP = 5


class Progress:
    """tqdm bar on stderr: trials done, best so far, trials per second."""

    def __init__(self, total: int, direction: str, enabled: bool = True) -> None:
        from tqdm import tqdm

        self.direction = direction
        self.bar = tqdm(
            total=total,
            unit="trial",
            disable=not enabled,
            file=sys.stderr,
            dynamic_ncols=True,
            leave=True,
        )

    def update(self, study: Any, frozen: Any) -> None:
        try:
            best = f"{study.best_value:.4g}"
        except ValueError:  # no complete trial yet
            best = "-"
        self.bar.set_postfix_str(f"best {best} · last {frozen.state.name.lower()}")
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _components(spec: dict[str, Any] | None) -> str:
    from automl.tracking import catalog_ids

    return " > ".join(catalog_ids(spec)) if spec else "-"


def _params(spec: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters of every component of a spec, keyed ``id.param``."""
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict) and "id" in node:
            for key, value in (node.get("params") or {}).items():
                if isinstance(value, dict) and "id" in value:
                    walk(value)
                else:
                    found[f"{node['id']}.{key}"] = value

    walk(spec)
    return found


def summarize(
    study: Any,
    storage_url: str,
    data: Any,
    evaluation: Any,
    elapsed: float,
    run_id: str | None,
    tracking_uri: str | None,
) -> Any:
    """The :class:`automl.search.Outcome` of a study as it stands."""
    from automl.search import Outcome
    from automl.study import finished_trials, remaining_budget, safe_url

    trials = finished_trials(study)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    reverse = evaluation.greater_is_better
    ranked = sorted(complete, key=lambda t: t.value, reverse=reverse)
    top = [
        {
            "trial": t.number,
            "score": t.value,
            "components": _components(t.user_attrs.get("pipeline")),
            "params": _params(t.user_attrs.get("pipeline")),
            "fit_time_s": t.user_attrs.get("duration_s"),
            "pipeline": t.user_attrs.get("pipeline"),
        }
        for t in ranked[:TOP]
    ]
    default = next((t for t in trials if t.number == 0 and t.state == TrialState.COMPLETE), None)
    from automl.selection import select

    winner, selection = select(ranked, default, reverse) if ranked else (None, "")
    starts = [t.datetime_start for t in trials if t.datetime_start]
    ends = [t.datetime_complete for t in trials if t.datetime_complete]
    span = (max(ends) - min(starts)).total_seconds() if starts and ends else elapsed
    to_default = None
    if default is not None and starts:
        better = (lambda v: v >= default.value) if reverse else (lambda v: v <= default.value)
        reached = [t.datetime_complete for t in complete if better(t.value)]
        to_default = (min(reached) - min(starts)).total_seconds() if reached else None
    return Outcome(
        study=study.study_name,
        storage=safe_url(storage_url),
        task=data.task,
        dataset=data.name,
        metric=evaluation.metric_id,
        direction=evaluation.direction,
        n_trials=len(trials),
        n_complete=len(complete),
        n_failed=sum(t.state == TrialState.FAIL for t in trials),
        n_pruned=sum(t.state == TrialState.PRUNED for t in trials),
        best_value=winner.value if winner else None,
        best_pipeline=winner.user_attrs.get("pipeline") if winner else None,
        best_trial=winner.number if winner else None,
        selection=selection,
        default_value=default.value if default is not None else None,
        test_score=None,
        top=top,
        trials_per_minute=round(60 * len(trials) / span, 2) if span > 0 else 0.0,
        seconds_to_default=to_default,
        elapsed_s=round(elapsed, 2),
        mlflow_run_id=run_id,
        tracking_uri=tracking_uri,
        remaining=remaining_budget(study),
        evaluation=evaluation.describe(),
    )


def format_outcome(outcome: Any) -> str:
    """The top pipelines as a table, and where to find the study and its runs."""
    metric = outcome.metric.removeprefix("metric.")
    lines = [
        f"study {outcome.study} · {outcome.task} on {outcome.dataset} · {outcome.n_trials} "
        f"trials ({outcome.n_complete} complete, {outcome.n_pruned} pruned, "
        f"{outcome.n_failed} failed) · {outcome.trials_per_minute:g} trials/min",
    ]
    if outcome.remaining:
        lines.append(f"{outcome.remaining} trials of the budget still waiting (--resume runs them)")
    if not outcome.top:
        lines.append("no trial completed; see the failed trials' reasons in MLflow")
    else:
        lines.append(f"\n{'#':>4}  {metric:>10}  {'fit s':>7}  pipeline")
        for row in outcome.top:
            params = ", ".join(f"{k}={json.dumps(v)}" for k, v in row["params"].items())
            lines.append(
                f"{row['trial']:>4}  {row['score']:>10.4g}  {row['fit_time_s'] or 0:>7.1f}  "
                f"{row['components']}" + (f"  ({params})" if params else "")
            )
        default = outcome.default_value
        if default is not None:
            lines.append(f"\norganism defaults (trial 0): {metric} {default:.4g}")
        lines.append(
            f"winner: trial {outcome.best_trial} ({metric} {outcome.best_value:.4g}), "
            f"chosen as {outcome.selection}"
        )
        if outcome.test_score is not None:
            lines.append(
                f"winner on the test part, never searched on: {metric} {outcome.test_score:.4g}"
            )
    lines.append(f"study: {outcome.storage} (optuna-dashboard {outcome.storage})")
    if outcome.mlflow_run_id:
        lines.append(f"MLflow: run {outcome.mlflow_run_id} in {outcome.tracking_uri}")
    return "\n".join(lines)
