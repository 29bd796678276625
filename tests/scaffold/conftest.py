"""Fixtures for the scaffolding tests: a real ``mlflow server``, loopback package indexes.

Quick tests run a generated project from its ``src`` folder with this environment's
atomkb (``project_env``). The end-to-end tests install it as a user does, in a fresh venv
made by the commands of its README, from loopback package indexes (``package_index``).
"""

from __future__ import annotations

import os
import re
import shutil
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
    """Environment of a generated project's run from its ``src`` folder, with this atomkb."""
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


def _project_name(wheel: str) -> str:
    """The normalised project name of a wheel or sdist file name (PEP 503)."""
    name = wheel.split("-")[0] if wheel.endswith(".whl") else wheel.rsplit("-", 1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="session")
def package_index(tmp_path_factory: pytest.TempPathFactory):
    """Two package indexes on loopback, served by ``python -m http.server``.

    ``deps`` stands in for PyPI: every dependency of a generated project, downloaded once
    (pip reaches them from this machine), and no atomkb. ``team`` stands in for a team's
    index (GitLab's package registry): only the wheel of this atomkb, built by kb's own
    code. Yields the base URL, the wheel and the environment that makes pip use ``deps``
    as its only index (and no pip configuration of this machine).
    """
    from cli._scaffolding.atomkb_source import running_wheel

    root = tmp_path_factory.mktemp("index")
    wheel = running_wheel()
    team = root / "team" / "simple" / "atomkb"
    team.mkdir(parents=True)
    shutil.copy2(wheel, team / wheel.name)
    download = root / "download"
    release = wheel.name.split("-")[1]
    requirements = [f"atomkb[components]=={release}", "mlflow>=3", "pandas>=2.1"]
    requirements += ["pyyaml>=6", "pytest>=8", "ruff>=0.6", "pre-commit>=3", "setuptools>=68"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--dest",
            str(download),
            "--find-links",
            str(team),
            *requirements,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for file in download.iterdir():
        if not file.name.startswith("atomkb-"):
            folder = root / "deps" / "simple" / _project_name(file.name)
            folder.mkdir(parents=True, exist_ok=True)
            file.rename(folder / file.name)
    port = _free_port()
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(root),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/deps/simple/", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail("the loopback package index did not start")
            time.sleep(0.2)
    env = clean_env()
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_INDEX_URL=f"{url}/deps/simple/",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    yield SimpleNamespace(url=url, wheel=wheel, env=env, log=root / "server.log")
    server.terminate()
    server.wait(timeout=20)
    log.close()


def clean_env() -> dict[str, str]:
    """This environment without atomkb's virtual environment, pip's or MLflow's settings."""
    here = str(Path(sys.prefix))
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.startswith(here)]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "MLFLOW_", "PYTEST_", "VIRTUAL_ENV", "PYTHON"))
    }
    env["PATH"] = os.pathsep.join(path)
    return env


def readme_commands(project: Path) -> list[str]:
    """The commands of the ``bash`` block of the README's Start section, word for word."""
    text = (project / "README.md").read_text(encoding="utf-8")
    start = text.index("## Start")
    block = re.search(r"```bash\n(.*?)```", text[start:], re.DOTALL)
    assert block, "README.md has no bash block under Start"
    return [line for line in block.group(1).splitlines() if line.strip()]


def ci_commands(project: Path) -> dict[str, tuple[dict[str, str], list[str]]]:
    """Per CI file: its variables and every ``run``/``script`` line, in job order."""
    import yaml

    found: dict[str, tuple[dict[str, str], list[str]]] = {}
    github = project / ".github" / "workflows" / "ci.yml"
    if github.is_file():
        jobs = yaml.safe_load(github.read_text())["jobs"]
        env = {k: str(v) for job in jobs.values() for k, v in (job.get("env") or {}).items()}
        lines = [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]
        found["github"] = (env, lines)
    gitlab = project / ".gitlab-ci.yml"
    if gitlab.is_file():
        pipeline = yaml.safe_load(gitlab.read_text())
        jobs = [v for v in pipeline.values() if isinstance(v, dict) and "script" in v]
        order = pipeline.get("stages", [])
        jobs.sort(key=lambda job: order.index(job["stage"]))
        env = {k: str(v) for k, v in (pipeline.get("variables") or {}).items()}
        found["gitlab"] = (env, [line for job in jobs for line in job["script"]])
    return found


@pytest.fixture(scope="session")
def tools() -> SimpleNamespace:
    """The helpers above, for test modules (conftest modules are not importable by name)."""
    return SimpleNamespace(
        kb=kb,
        bin=BIN,
        project_env=project_env,
        project_pytest=project_pytest,
        readme_commands=readme_commands,
        ci_commands=ci_commands,
        clean_env=clean_env,
    )
