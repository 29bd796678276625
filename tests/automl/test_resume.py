"""Behaviour of Ctrl+C and ``--resume``: an interrupted study keeps its finished trials,
resumes to exactly its budget, and refuses to resume on another space or metric.

Real ``kb`` processes and a real SIGINT; nothing is mocked.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BUDGET = 6
STUDY = "forecasting-airline"  # the default name: TASK-DATASET
SEARCH = ("automl", "forecasting", "--dataset", "dataset.airline", "--trials", str(BUDGET))
KB = Path(sys.executable).with_name("kb")
WAIT_S = 300  # a hung process fails the test instead of hanging the suite
FINISHED = "SELECT count(*) FROM trials WHERE state IN ('COMPLETE', 'PRUNED', 'FAIL')"
# A running trial whose pipeline is chosen, so fitting: where a Ctrl+C usually lands. (A
# SIGINT during one of the storage writes around the fit can leave the trial RUNNING.)
FITTING = (
    "SELECT count(*) FROM trials JOIN trial_user_attributes USING (trial_id)"
    " WHERE state = 'RUNNING' AND key = 'pipeline'"
)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}


def _kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KB), *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=WAIT_S
    )


def _count(database: Path, query: str) -> int:
    """A count from the study file, read without a lock while ``kb`` writes it."""
    if not database.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            return connection.execute(query).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet, or a write in progress
        return 0


def _interrupt(folder: Path, finished: int) -> tuple[int, str]:
    """Start the search in ``folder``, send SIGINT while a trial runs after ``finished``
    trials finished, and return the exit code and stderr."""
    database = folder / "automl.db"
    search = subprocess.Popen(
        [str(KB), *SEARCH, "--no-progress"],
        cwd=folder,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + WAIT_S
        while _count(database, FINISHED) < finished or _count(database, FITTING) < 1:
            if search.poll() is not None:
                pytest.fail(f"kb ended before it could be interrupted:\n{search.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no trial ran after {finished} finished ones within {WAIT_S} s")
            time.sleep(0.1)
        search.send_signal(signal.SIGINT)
        _, stderr = search.communicate(timeout=WAIT_S)
    finally:
        if search.poll() is None:
            search.kill()
            search.wait()
    return search.returncode, stderr


def _study(database: Path):
    import optuna

    return optuna.load_study(study_name=STUDY, storage=f"sqlite:///{database}")


def _by_state(study) -> dict[str, list]:
    """Trials by state; interrupted ones apart from those that ran to an end."""
    found: dict[str, list] = {}
    for trial in study.get_trials(deepcopy=False):
        key = "INTERRUPTED" if trial.user_attrs.get("interrupted") else trial.state.name
        found.setdefault(key, []).append(trial)
    return found


def _one_sentence(stderr: str) -> str:
    """The error line ``kb`` ends with, after checking no traceback came before it."""
    assert "Traceback" not in stderr, stderr[-3000:]
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), stderr[-3000:]
    return last


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    """A search stopped with SIGINT after two finished trials: its folder, the stderr, the
    exit code, and a copy of the study file as the interruption left it."""
    folder = tmp_path_factory.mktemp("interrupted")
    returncode, stderr = _interrupt(folder, finished=2)
    shutil.copy(folder / "automl.db", folder / "as-interrupted.db")
    return {"folder": folder, "stderr": stderr, "returncode": returncode}


def test_ctrl_c_is_one_sentence_pointing_to_resume(interrupted):
    assert interrupted["returncode"] == 1
    assert "--resume" in _one_sentence(interrupted["stderr"])


def test_ctrl_c_keeps_the_finished_trials_and_the_budget(interrupted):
    trials = _by_state(_study(interrupted["folder"] / "as-interrupted.db"))
    assert "RUNNING" not in trials, "the interrupted trial must be recorded, not left running"
    finished = [*trials.get("COMPLETE", []), *trials.get("PRUNED", []), *trials.get("FAIL", [])]
    assert len(finished) >= 2
    assert len(finished) + len(trials.get("WAITING", [])) == BUDGET, "the budget is intact"
    for trial in trials.get("INTERRUPTED", []):
        assert trial.state.name == "FAIL"


@pytest.fixture(scope="module")
def interrupted_in_defaults(tmp_path_factory):
    """A search stopped with SIGINT while trial 0, the organism's defaults, runs."""
    folder = tmp_path_factory.mktemp("interrupted-in-defaults")
    returncode, stderr = _interrupt(folder, finished=0)
    return {"folder": folder, "stderr": stderr, "returncode": returncode}


def test_a_trial_interrupted_mid_fit_is_failed_with_its_reason_and_replaced(
    interrupted_in_defaults,
):
    assert interrupted_in_defaults["returncode"] == 1
    assert "--resume" in _one_sentence(interrupted_in_defaults["stderr"])
    trials = _by_state(_study(interrupted_in_defaults["folder"] / "automl.db"))
    (trial,) = trials.pop("INTERRUPTED")
    assert (trial.number, trial.state.name) == (0, "FAIL")
    assert "interrupted" in trial.user_attrs["error"]
    assert set(trials) == {"WAITING"}, "nothing else ran, nothing is left running"
    assert len(trials["WAITING"]) == BUDGET, "a waiting trial took the interrupted one's place"


def test_an_interrupted_defaults_trial_is_replaced_by_the_defaults(interrupted_in_defaults):
    study = _study(interrupted_in_defaults["folder"] / "automl.db")
    defaults = study.trials[0].system_attrs["fixed_params"]
    waiting = [
        t.system_attrs.get("fixed_params") for t in study.trials if t.state.name == "WAITING"
    ]
    assert defaults in waiting


def test_resume_runs_exactly_the_rest_of_the_budget(interrupted):
    folder = interrupted["folder"]
    before = {
        t.number: (t.state, t.value)
        for t in _study(folder / "as-interrupted.db").get_trials(deepcopy=False)
        if t.state.is_finished() and not t.user_attrs.get("interrupted")
    }
    resumed = _kb(*SEARCH, "--no-progress", "--resume", cwd=folder)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    trials = _by_state(_study(folder / "automl.db"))
    assert "WAITING" not in trials and "RUNNING" not in trials
    finished = [*trials.get("COMPLETE", []), *trials.get("PRUNED", []), *trials.get("FAIL", [])]
    assert len(finished) == BUDGET
    after = {t.number: (t.state, t.value) for t in finished}
    assert {number: after[number] for number in before} == before, "earlier trials unchanged"


def _copy_of_interrupted(interrupted, folder: Path) -> Path:
    database = folder / "automl.db"
    shutil.copy(interrupted["folder"] / "as-interrupted.db", database)
    return database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_resume_refuses_a_changed_search_space_and_writes_nothing(interrupted, tmp_path):
    database = _copy_of_interrupted(interrupted, tmp_path)
    study = _study(database)
    space = study.user_attrs["space"]
    gone = sorted(space["roles"]["forecaster"]["candidates"])[0]
    del space["roles"]["forecaster"]["candidates"][gone]  # as if the catalog had gained it
    study.set_user_attr("space", space)
    stored = _digest(database)

    refused = _kb(*SEARCH, "--no-progress", "--resume", cwd=tmp_path)

    assert refused.returncode == 1
    message = _one_sentence(refused.stderr)
    assert "search space changed" in message and f"forecaster gained {gone}" in message
    assert _digest(database) == stored, "a refused resume writes nothing to the study"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["automl.db"], "no MLflow store either"


def test_resume_refuses_another_metric_and_writes_nothing(interrupted, tmp_path):
    database = _copy_of_interrupted(interrupted, tmp_path)
    stored = _digest(database)

    refused = _kb(*SEARCH, "--no-progress", "--resume", "--metric", "smape", cwd=tmp_path)

    assert refused.returncode == 1
    message = _one_sentence(refused.stderr)
    assert "metric.mase" in message and "metric.smape" in message
    assert _digest(database) == stored, "a refused resume writes nothing to the study"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["automl.db"], "no MLflow store either"
