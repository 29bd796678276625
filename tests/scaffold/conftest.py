"""Fixtures for the scaffolding tests: a real ``mlflow server`` and scaffolded projects.

A generated project is installed as a user installs it: pip builds its wheel with the
project's own build backend and installs it, here into a folder of its own (``--target``)
with ``--no-deps --no-index``, so that its dependencies are the ones already in this
environment (the tests check they satisfy the project's requirements) and nothing is
resolved or downloaded. Its tests then run against that installed copy.
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


def installed(project: Path) -> Path:
    """The folder a project is installed into by :func:`install_project`."""
    return project.parent / f"{project.name}-site"


def install_project(project: Path) -> Path:
    """``pip install`` the project (a real wheel build and install) into its own folder."""
    site = installed(project)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            str(site),
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return site


def project_env(tracking_uri: str, project: Path | None = None) -> dict[str, str]:
    """Environment of a generated project's run: its installed copy if any, else ``src``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "PYTEST_"))}
    path = str(installed(project)) if project is not None and installed(project).is_dir() else "src"
    env.update(PYTHONPATH=path, SMOKE_TRACKING_URI=tracking_uri, PYTHONWARNINGS="ignore")
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
    """Install the project, then start its own tests (unit and smoke) in the background."""
    install_project(project)
    return subprocess.Popen(
        project_pytest(project, "-x"),
        cwd=project,
        env=project_env(tracking_uri, project),
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
        installed=installed,
        project_env=project_env,
        project_pytest=project_pytest,
        start_project_tests=start_project_tests,
    )
