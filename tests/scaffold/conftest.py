"""Fixtures for the scaffolding tests: a real ``mlflow server`` and scaffolded projects.

Generated projects are tested with the current interpreter and ``PYTHONPATH=src``: their
code runs exactly as installed, against the dependencies already in this environment, so
nothing is resolved or downloaded (installing each project would re-resolve MLflow & co).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

KB = Path(sys.executable).with_name("kb")
BIN = Path(sys.executable).parent


def kb(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real ``kb`` console script."""
    return subprocess.run(
        [str(KB), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def project_env(tracking_uri: str) -> dict[str, str]:
    """Environment of a generated project's own test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "PYTEST_"))}
    env.update(PYTHONPATH="src", SMOKE_TRACKING_URI=tracking_uri, PYTHONWARNINGS="ignore")
    return env


def project_pytest(project: Path, *args: str) -> list[str]:
    """The command that runs a project's tests, with its temporary files beside it."""
    basetemp = project.parent / f"{project.name}-pytest{len(args)}"
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--basetemp",
        str(basetemp),
        *args,
    ]


def start_project_tests(project: Path, tracking_uri: str) -> subprocess.Popen:
    """Start the project's own tests (unit tests and smoke training) in the background."""
    return subprocess.Popen(
        project_pytest(project, "-x"),
        cwd=project,
        env=project_env(tracking_uri),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def mlflow_server_process(tmp_path_factory: pytest.TempPathFactory):
    """A real ``mlflow server`` on loopback with a SQLite store, started but not yet ready.

    It takes about 15 s to answer; starting it early lets other work overlap that wait.
    """
    folder = tmp_path_factory.mktemp("mlflow-server")
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "mlflow"),
            "server",
            "--backend-store-uri",
            f"sqlite:///{folder / 'mlflow.db'}",
            "--artifacts-destination",
            str(folder / "artifacts"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")},
    )
    yield process, f"http://127.0.0.1:{port}", folder / "server.log"
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def mlflow_server(mlflow_server_process) -> str:
    """The URL of the real ``mlflow server``, once its ``/health`` answers."""
    process, url, log = mlflow_server_process
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                if answer.status == 200:
                    return url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"mlflow server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def tools() -> SimpleNamespace:
    """The helpers above, for test modules (conftest modules are not importable by name)."""
    return SimpleNamespace(
        kb=kb,
        bin=BIN,
        project_env=project_env,
        project_pytest=project_pytest,
        start_project_tests=start_project_tests,
    )
