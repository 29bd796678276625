"""MLflow: one parent run per study, one nested run per trial, the winner's artifacts.

Runs are written with :class:`mlflow.MlflowClient`, so trials logged by workers on other
machines land under the same parent run (its id is kept in the study). Every run carries
the tags of the run contract: task, dataset name and content hash, the catalog ids used.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from automl.errors import AutoMLError

__all__ = ["Tracker", "catalog_ids", "check_tracking"]


def check_tracking(uri: str) -> None:
    """Fail in seconds, in one sentence, when an HTTP tracking server does not answer."""
    if not uri.startswith(("http://", "https://")):
        return
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=5):
            pass
    except urllib.error.HTTPError as error:
        if error.code not in (401, 403):  # a login in front answers: the server is there
            raise AutoMLError(
                f"the MLflow tracking server {uri} answered {error.code} on /health; check "
                "--tracking-uri (or MLFLOW_TRACKING_URI)"
            ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise AutoMLError(
            f"the MLflow tracking server {uri} cannot be reached ({reason}); start it or fix "
            "--tracking-uri (or MLFLOW_TRACKING_URI)"
        ) from None


def catalog_ids(spec: Any) -> list[str]:
    """Every catalog id in a pipeline spec, outermost first."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "id" in node:
                found.append(str(node["id"]))
            for value in (node.get("params") or {}).values() if "id" in node else node.values():
                walk(value)

    walk(spec)
    return found


def _flat(prefix: str, node: Any, into: dict[str, str]) -> None:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            _flat(f"{prefix}.{key}" if prefix else str(key), value, into)
    else:
        into[prefix] = str(node)[:500]


def _artifacts(uri: str) -> str | None:
    """Artifacts beside a SQLite tracking file (``mlartifacts/``), not in the working
    folder; a server decides for itself."""
    if not uri.startswith("sqlite:///"):
        return None
    return (Path(uri.removeprefix("sqlite:///")).parent / "mlartifacts").resolve().as_uri()


class Tracker:
    """Writes a study's runs to the tracking store at ``uri``."""

    def __init__(self, uri: str, experiment: str) -> None:
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "20")
        check_tracking(uri)
        import mlflow

        self.uri = uri
        mlflow.set_tracking_uri(uri)
        self.client = mlflow.MlflowClient(tracking_uri=uri)
        found = self.client.get_experiment_by_name(experiment)
        self.experiment_id = (
            found.experiment_id
            if found
            else self.client.create_experiment(experiment, artifact_location=_artifacts(uri))
        )

    def parent_run(self, study: Any, tags: dict[str, str]) -> str:
        """The study's parent run: created once, its id kept in the study."""
        run_id = study.user_attrs.get("mlflow_run_id")
        if run_id:
            return str(run_id)
        run = self.client.create_run(
            self.experiment_id, run_name=f"automl {study.study_name}", tags=tags
        )
        study.set_user_attr("mlflow_run_id", run.info.run_id)
        for key, value in study.user_attrs.get("settings", {}).items():
            self.client.log_param(run.info.run_id, f"automl.{key}", str(value)[:500])
        return run.info.run_id

    def log_trial(
        self,
        parent: str,
        frozen: Any,
        spec: Any,
        scores: list[float],
        tags: dict[str, str],
        metric: str,
    ) -> None:
        """One nested run for a finished trial."""
        run = self.client.create_run(
            self.experiment_id,
            run_name=f"trial {frozen.number}",
            tags={
                **tags,
                "mlflow.parentRunId": parent,
                "automl.trial": str(frozen.number),
                "automl.state": frozen.state.name,
                "automl.worker": str(frozen.user_attrs.get("worker", "")),
                "catalog.ids": ",".join(catalog_ids(spec)) if spec else "",
            },
        )
        params: dict[str, str] = {}
        if spec:
            _flat("pipeline", spec, params)
        if params:
            from mlflow.entities import Param

            self.client.log_batch(
                run.info.run_id, params=[Param(k[:250], v) for k, v in params.items()]
            )
        for fold, score in enumerate(scores):
            self.client.log_metric(run.info.run_id, f"fold_{metric}", float(score), step=fold)
        if frozen.value is not None:
            self.client.log_metric(run.info.run_id, metric, float(frozen.value))
        self.client.log_metric(
            run.info.run_id, "duration_s", float(frozen.user_attrs.get("duration_s", 0.0))
        )
        if frozen.user_attrs.get("error"):
            self.client.set_tag(run.info.run_id, "automl.error", frozen.user_attrs["error"][:5000])
        status = "FINISHED" if frozen.state.name in ("COMPLETE", "PRUNED") else "FAILED"
        self.client.set_terminated(run.info.run_id, status=status)

    def finish(
        self,
        parent: str,
        study: Any,
        result: dict[str, Any],
        fitted: Any,
        task: str,
        train: tuple[Any, Any],
        register: str | None,
    ) -> None:
        """The winner refitted, logged as a model (registered if asked), with the study's
        trials table, plots and winning pipeline as artifacts of the parent run."""
        import mlflow

        from automl.serving import log_pipeline

        metric = str(result["metric"]).removeprefix("metric.")
        with mlflow.start_run(run_id=parent):
            mlflow.log_metric(f"best_{metric}", float(result["best_value"]))
            if result.get("test_score") is not None:
                mlflow.log_metric(f"test_{metric}", float(result["test_score"]))
            mlflow.set_tag("catalog.ids", ",".join(catalog_ids(result["best_pipeline"])))
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                study.trials_dataframe().to_csv(root / "trials.csv", index=False)
                (root / "pipeline.json").write_text(
                    json.dumps(result["best_pipeline"], indent=2), encoding="utf-8"
                )
                _plots(study, root)
                mlflow.log_artifacts(folder, artifact_path="study")
            if fitted is not None:
                log_pipeline(task, fitted, train, register)
        self.client.set_terminated(parent, status="FINISHED")


def _plots(study: Any, folder: Path) -> None:
    """Optimisation history and parameter importances (Optuna's matplotlib plots)."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from optuna.visualization import matplotlib as plots

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, draw in (
            ("history", plots.plot_optimization_history),
            ("importances", plots.plot_param_importances),
        ):
            try:
                axes = draw(study)
            except Exception:  # noqa: BLE001 - e.g. importances need two complete trials
                continue
            figure = axes.figure if hasattr(axes, "figure") else axes
            figure.savefig(folder / f"{name}.png", dpi=100, bbox_inches="tight")
            plt.close(figure)
