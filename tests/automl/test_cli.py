"""``kb automl`` as a user runs it: bad input is one sentence and writes nothing; a good
run prints its outcome, logs every trial to MLflow and registers the winner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mlflow
import numpy as np
import optuna
import pandas as pd
import pytest

KB = str(Path(sys.executable).with_name("kb"))


def kb(cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KB, "automl", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def assert_one_sentence(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def assert_nothing_written(folder: Path, before: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == before


@pytest.mark.parametrize(
    "args, fragments",
    [
        (
            ["forcasting", "--dataset", "dataset.airline"],
            ["unknown task 'forcasting'", "forecasting"],
        ),
        (
            ["forecasting", "--dataset", "dataset.airline", "--trials", "0"],
            ["--trials must be a positive"],
        ),
        (
            ["forecasting", "--dataset", "dataset.airline", "--timeout", "-5m"],
            ["--timeout", "not a duration"],
        ),
        (
            ["forecasting", "--dataset", "dataset.airline", "--trial-timeout", "0"],
            ["--trial-timeout must be a positive"],
        ),
        (
            ["forecasting", "--dataset", "dataset.airline", "--metric", "nonsense"],
            ["not a catalog metric", "metric.mase"],
        ),
        (
            ["forecasting", "--dataset", "dataset.airline", "--metric", "accuracy"],
            ["metric of another task"],
        ),
        (
            ["forecasting", "--dataset", "dataset.gunpoint"],
            ["dataset for another task", "dataset.airline"],
        ),
        (["classification", "--dataset", "dataset.nosuch"], ["not a catalog dataset"]),
        (["anomaly-detection", "--dataset", "missing.csv"], ["no such file"]),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(tmp_path, args, fragments):
    before = {p.name for p in tmp_path.iterdir()}
    assert_one_sentence(kb(tmp_path, *args, "--no-progress"), *fragments)
    assert_nothing_written(tmp_path, before)


def test_data_unfit_for_the_task_is_one_sentence(tmp_path):
    values = pd.DataFrame({"value": np.arange(200.0)})
    values.to_csv(tmp_path / "no_time.csv", index=False)
    long = pd.DataFrame(
        {
            "case": np.repeat([0, 1, 2], 10),
            "time": np.tile(np.arange(10), 3),
            "value": np.arange(30.0),
        }
    )
    long.to_csv(tmp_path / "no_labels.csv", index=False)
    before = {p.name for p in tmp_path.iterdir()}
    assert_one_sentence(
        kb(tmp_path, "anomaly-detection", "--dataset", "no_time.csv", "--no-progress"),
        "no_time.csv",
        "time column",
    )
    assert_one_sentence(
        kb(tmp_path, "classification", "--dataset", "no_labels.csv", "--no-progress"),
        "label",
    )
    assert_nothing_written(tmp_path, before)


def test_a_study_of_another_task_or_an_existing_one_is_refused(tmp_path):
    storage = f"sqlite:///{tmp_path / 'automl.db'}"
    other = optuna.create_study(study_name="forecasting-airline", storage=storage)
    other.set_user_attr("task", "classification")
    other.enqueue_trial({})
    assert_one_sentence(
        kb(tmp_path, "forecasting", "--dataset", "dataset.airline", "--no-progress"),
        "is a classification study",
        "--study",
    )
    assert len(optuna.load_study(study_name="forecasting-airline", storage=storage).trials) == 1
    assert not (tmp_path / "mlflow.db").exists()


@pytest.mark.slow
def test_a_search_logs_its_trials_registers_the_winner_and_answers_json(tmp_path):
    tracking = f"sqlite:///{tmp_path / 'mlflow.db'}"
    args = [
        "classification",
        "--dataset",
        "dataset.italy-power-demand",
        "--trials",
        "3",
        "--no-progress",
        "--tracking-uri",
        tracking,
        "--register",
        "italy",
    ]
    result = kb(tmp_path, *args, "--json")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["n_trials"] == 3 and outcome["remaining"] == 0
    assert outcome["metric"] == "metric.accuracy" and outcome["direction"] == "maximize"
    assert 1 <= len(outcome["top"]) <= 3
    assert outcome["best_value"] == max(row["score"] for row in outcome["top"])
    assert 0.5 < outcome["test_score"] <= 1.0  # 1,029 test cases never searched on
    assert outcome["default_value"] is not None  # trial 0: the organism's defaults

    client = mlflow.MlflowClient(tracking_uri=tracking)
    parent = client.get_run(outcome["mlflow_run_id"])
    assert parent.data.tags["task"] == "classification"
    assert parent.data.tags["dataset.name"] == "dataset.italy-power-demand"
    assert len(parent.data.tags["dataset.digest"]) == 64
    assert parent.data.metrics["best_accuracy"] == pytest.approx(outcome["best_value"])
    children = client.search_runs(
        [parent.info.experiment_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'"
    )
    assert sorted(int(r.data.tags["automl.trial"]) for r in children) == [0, 1, 2]
    for run in children:
        assert run.data.tags["catalog.ids"].startswith("classification.")
        assert run.data.tags["automl.state"] in ("COMPLETE", "PRUNED", "FAIL")
        assert "duration_s" in run.data.metrics
        assert any(k.startswith("pipeline.id") for k in run.data.params)
    artifacts = {a.path for a in client.list_artifacts(parent.info.run_id, "study")}
    assert {"study/trials.csv", "study/pipeline.json"} <= artifacts

    mlflow.set_tracking_uri(tracking)
    version = client.get_model_version_by_alias("italy", "champion")
    model = mlflow.pyfunc.load_model("models:/italy@champion")
    from catalog.datasets.classification import ItalyPowerDemandDataset

    X, y = ItalyPowerDemandDataset(split="test").load()
    frame = pd.DataFrame(X[:20, 0, :], columns=[f"c0_t{t}" for t in range(X.shape[2])])
    labels = model.predict(frame)["label"].to_numpy()
    assert int(version.version) == 1 and (labels == y[:20]).mean() > 0.5

    again = kb(tmp_path, *args)
    assert_one_sentence(again, "already exists", "--resume")
