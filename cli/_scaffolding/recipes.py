"""The three templates, and the catalog components each one uses by role."""

from __future__ import annotations

import os
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import catalog
from cli.errors import KbError

__all__ = ["RECIPES", "TEMPLATES", "pick_components", "suggest", "templates_source"]

# name -> (task, one-line summary)
TEMPLATES: dict[str, tuple[str, str]] = {
    "forecasting": (
        "forecasting",
        "Forecast a series: expanding-window backtest, MASE/MAE, MLflow, CI.",
    ),
    "classification": (
        "classification",
        "Classify whole series (aeon panels): stratified folds, accuracy, MLflow, CI.",
    ),
    "anomaly-detection": (
        "anomaly-detection",
        "Score and flag anomalies: temporal split, range F1 and VUS-PR, MLflow, CI.",
    ),
}

# Components of each template by role: the first candidate the catalog holds is used.
# A role is a list of (id, params) candidates; "metrics" is a list of such roles.
RECIPES: dict[str, dict[str, Any]] = {
    "forecasting": {
        "dataset": [("dataset.airline", {})],
        # the organism decides season, transform and model from the data at fit time
        "model": [("forecasting.pipeline", {}), ("forecasting.ets", {"sp": 12})],
        "splitter": [
            ("splitter.expanding-window", {"initial_window": 96, "step": 12, "horizon": 12})
        ],
        "metrics": [[("metric.mase", {})], [("metric.mae", {})]],
    },
    "classification": {
        "dataset": [("dataset.gunpoint", {})],
        "model": [("classification.rocket", {}), ("classification.summary-forest", {})],
        "metrics": [[("metric.accuracy", {})], [("metric.balanced-accuracy", {})]],
    },
    "anomaly-detection": {
        "dataset": [("dataset.ucr-anomaly-135", {})],
        # the organism decides window, detector and score scale from the data at fit time
        "detector": [("anomaly.pipeline", {}), ("anomaly.isolation-forest", {})],
        "threshold": [("threshold.pot", {}), ("threshold.quantile", {"q": 0.999})],
        "splitter": [("splitter.temporal-train-test", {"test_size": 0.75})],
        "metrics": [[("metric.range-f1", {})], [("metric.vus-pr", {})]],
    },
}


def templates_source() -> Path:
    """The folder of templates to publish: ``KB_TEMPLATES_SOURCE`` or the packaged one."""
    override = os.environ.get("KB_TEMPLATES_SOURCE")
    return Path(override) if override else Path(catalog.__file__).parent / "templates"


def suggest(value: str, choices: list[str] | dict[str, Any]) -> str:
    """`` Did you mean 'x'?`` for the closest choice, or an empty string."""
    close = get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""


def pick_components(template: str, known: set[str]) -> dict[str, Any]:
    """The components of ``template``: per role, the first candidate in ``known``."""
    chosen: dict[str, Any] = {}
    for role, candidates in RECIPES[template].items():
        if role == "metrics":
            metrics = [_first(options, known) for options in candidates]
            chosen[role] = [metric for metric in metrics if metric is not None]
            if not chosen[role]:
                wanted = ", ".join(c[0][0] for c in candidates)
                raise KbError(
                    f"the catalog has none of the metrics the {template} template uses "
                    f"({wanted}); update atomkb or pass components in --data answers.yml"
                )
            continue
        found = _first(candidates, known)
        if found is None:
            wanted = " or ".join(c[0] for c in candidates)
            raise KbError(
                f"the catalog has no {role} for the {template} template (wanted {wanted}); "
                "update atomkb, or name another component in --data answers.yml"
            )
        chosen[role] = found
    return chosen


def _first(candidates: list[tuple[str, dict[str, Any]]], known: set[str]) -> dict | None:
    for component_id, params in candidates:
        if component_id in known:
            return {"id": component_id, "params": dict(params)}
    return None
