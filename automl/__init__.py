"""AutoML over the catalog: Optuna searches pipelines assembled from catalog components.

Depends on :mod:`catalog` only (the ``kb automl`` command depends on it). The candidate
pipelines come from the catalog's metadata (:mod:`automl.space`), each is scored by its
task's own time-aware evaluation (:mod:`automl.evaluation`), trials run in an Optuna
study that resumes and spreads over workers (:mod:`automl.study`) and are logged to
MLflow (:mod:`automl.tracking`). Heavy libraries are imported when a search starts.
"""

from __future__ import annotations

from automl.errors import AutoMLError

__all__ = ["AutoMLError", "Settings", "run_search", "run_worker"]


def __getattr__(name: str):  # lazy: `import automl` stays light for the CLI
    if name in ("Settings", "run_search", "run_worker"):
        from automl import search

        return getattr(search, name)
    raise AttributeError(name)
