"""Behaviour of ``kb automl`` when its study storage or tracking server does not answer:
one sentence within seconds, and nothing left behind in the working folder.

The port is bound but never listened on, so connections to it are refused and no other
process can take it while the test runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

KB = Path(sys.executable).with_name("kb")
# Generous: the point is that kb gives up by itself instead of waiting on the network;
# how fast it does so is measured in bench/, not here.
GIVE_UP_S = 60
SEARCH = ("automl", "forecasting", "--dataset", "dataset.airline", "--no-progress")


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    try:
        return subprocess.run(
            [str(KB), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=GIVE_UP_S
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kb {' '.join(args)} still waited after {GIVE_UP_S} s")


def _one_sentence(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr[-3000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-3000:]
    return lines[0]


def test_an_unreachable_study_storage_is_one_sentence_and_leaves_nothing(tmp_path, closed_port):
    storage = f"postgresql+psycopg://nobody:secret@127.0.0.1:{closed_port}/x"

    message = _one_sentence(_kb(*SEARCH, "--storage", storage, cwd=tmp_path))

    assert "cannot open the study storage" in message and str(closed_port) in message
    assert "secret" not in message, "the password is not shown"
    assert list(tmp_path.iterdir()) == [], "no automl.db, mlflow.db or mlruns/ in the folder"


def test_an_unreachable_tracking_server_is_one_sentence_and_leaves_nothing(tmp_path, closed_port):
    tracking = f"http://127.0.0.1:{closed_port}"

    message = _one_sentence(_kb(*SEARCH, "--tracking-uri", tracking, cwd=tmp_path))

    assert "MLflow tracking server" in message and tracking in message
    assert "--tracking-uri" in message, "the sentence says what to fix"
    assert list(tmp_path.iterdir()) == [], "no automl.db, mlflow.db or mlruns/ in the folder"


def test_a_worker_on_an_unreachable_storage_is_one_sentence_and_leaves_nothing(
    tmp_path, closed_port
):
    storage = f"postgresql+psycopg://nobody@127.0.0.1:{closed_port}/x"

    message = _one_sentence(
        _kb("automl", "worker", "--study", "s", "--storage", storage, cwd=tmp_path)
    )

    assert "cannot open the study storage" in message
    assert list(tmp_path.iterdir()) == []
