"""Behaviour of ``kb automl worker``: processes sharing a PostgreSQL study run its budget
exactly, each trial once, and log every trial to one MLflow store.

Real processes and a real (throwaway) PostgreSQL server; nothing is mocked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import _postgres
import psycopg
import pytest

pytestmark = pytest.mark.slow

BUDGET = 6
STUDY = "airline-shared"
KB = Path(sys.executable).with_name("kb")
WAIT_S = 300  # a hung process fails the test instead of hanging the suite


def _start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    return subprocess.Popen(
        [str(KB), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> dict:
    """Wait for a ``--json`` command; its outcome, or a failure showing its stderr."""
    try:
        out, err = process.communicate(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"kb (pid {process.pid}) did not end within {WAIT_S} s:\n{err[-3000:]}")
    assert process.returncode == 0, err[-3000:]
    return json.loads(out)


def _wait_until_blocked(storage: str, workers: list[subprocess.Popen[str]]) -> None:
    """Return once every worker waits on a row lock of the study's database."""
    deadline = time.monotonic() + WAIT_S
    with psycopg.connect(_postgres.libpq_url(storage), autocommit=True) as watch:
        while time.monotonic() < deadline:
            for worker in workers:
                if worker.poll() is not None:
                    pytest.fail(f"a worker ended before its first claim:\n{worker.stderr.read()}")
            (blocked,) = watch.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if blocked == len(workers):
                return
            time.sleep(0.2)
    pytest.fail(f"the workers did not reach their first claim within {WAIT_S} s")


@pytest.fixture(scope="module")
def shared_study(postgres_url, tmp_path_factory):
    """A study started by ``kb automl`` and finished by two concurrent workers."""
    folder = tmp_path_factory.mktemp("scale-out")
    storage = _postgres.create_database(postgres_url, f"automl_scale_out_{uuid.uuid4().hex[:8]}")
    tracking = f"sqlite:///{folder / 'mlflow.db'}"
    shared = ("--storage", storage, "--tracking-uri", tracking, "--no-progress", "--json")
    # --timeout 1s: the creating process stops after its first trial and leaves the rest
    # of the budget waiting in the queue, for the workers.
    creator = _start(
        "automl", "forecasting", "--dataset", "dataset.airline", "--study", STUDY,
        "--trials", str(BUDGET), "--timeout", "1s", "--trial-timeout", "20s", *shared,
        cwd=folder,
    )  # fmt: skip
    created = _finish(creator)
    assert created["remaining"] >= 2, "the creating process left too little for two workers"
    workers: list[subprocess.Popen[str]] = []
    try:
        # The workers start while this test holds the waiting trials' rows locked, so they
        # meet at their first claim and are let go at the same instant: a real race for
        # the same waiting trial, and neither can spend the budget before the other starts.
        with psycopg.connect(_postgres.libpq_url(storage)) as gate:
            gate.execute("SELECT trial_id FROM trials WHERE state = 'WAITING' FOR UPDATE")
            for _ in range(2):
                workers.append(_start("automl", "worker", "--study", STUDY, *shared, cwd=folder))
            _wait_until_blocked(storage, workers)
            gate.rollback()
        outcomes = [_finish(worker) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    host = socket.gethostname()
    return {
        "storage": storage,
        "tracking": tracking,
        "creator": f"{host}:{creator.pid}",
        "workers": [f"{host}:{worker.pid}" for worker in workers],
        "outcomes": outcomes,
    }


def _trials(storage: str) -> list:
    import optuna

    study = optuna.load_study(study_name=STUDY, storage=storage)
    return study.get_trials(deepcopy=False)


def test_two_workers_run_the_budget_exactly_each_trial_once(shared_study):
    from optuna.trial import TrialState

    trials = _trials(shared_study["storage"])
    states = [t.state for t in trials]
    assert TrialState.WAITING not in states, "budget left in the queue"
    assert TrialState.RUNNING not in states, "a trial was claimed and never finished"
    finished = [
        t
        for t in trials
        if t.state in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)
        and not t.user_attrs.get("interrupted")
    ]
    assert len(finished) == BUDGET
    assert len(trials) == BUDGET, "no trial beyond the budget"
    numbers = [t.number for t in trials]
    assert sorted(numbers) == list(range(BUDGET))
    assert all(o["remaining"] == 0 for o in shared_study["outcomes"])


def test_both_workers_ran_trials_and_each_trial_names_its_worker(shared_study):
    trials = _trials(shared_study["storage"])
    ran = [t.user_attrs.get("worker") for t in trials]
    processes = {shared_study["creator"], *shared_study["workers"]}
    assert set(ran) <= processes, f"trials ran by unknown processes: {set(ran) - processes}"
    for worker in shared_study["workers"]:
        assert worker in ran, f"worker {worker} ran no trial: {ran}"
    assert ran[0] == shared_study["creator"], "trial 0 (the defaults) ran in the creating process"


def test_every_trial_of_every_worker_is_one_nested_mlflow_run(shared_study):
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=shared_study["tracking"])
    experiment = client.get_experiment_by_name("automl")
    runs = client.search_runs(
        [experiment.experiment_id], filter_string=f"tags.`automl.study` = '{STUDY}'"
    )
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    nested = [r for r in runs if "mlflow.parentRunId" in r.data.tags]
    assert len(parents) == 1, "one parent run per study, whichever process logs"
    assert {r.data.tags["mlflow.parentRunId"] for r in nested} == {parents[0].info.run_id}
    logged = sorted(
        (int(r.data.tags["automl.trial"]), r.data.tags["automl.worker"]) for r in nested
    )
    trials = _trials(shared_study["storage"])
    assert logged == sorted((t.number, t.user_attrs["worker"]) for t in trials)
