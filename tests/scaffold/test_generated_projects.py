"""End to end, as a new user: scaffold each template, clone the project to a fresh folder,
follow its README word for word (a fresh venv, its `pip install`, `make test`, `make
train`), then run every line of its CI files the same way; check what MLflow holds.

atomkb comes only from the source the answers chose: the forecasting project from a
team's package index (a loopback index holding only atomkb's wheel), the others from the
wheel kb puts in the project's ``wheels/`` folder. Every other dependency comes from a
loopback index of wheels pip downloaded once (the ``package_index`` fixture); pip's
configuration of this machine is switched off. The three projects run in the background,
side by side; each test waits for its own. CI choices differ per template so that GitLab,
GitHub and both are each covered once.
"""

from __future__ import annotations

import math
import os
import re
import shlex
import socket
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

CI_CHOICE = {"forecasting": "github", "classification": "gitlab", "anomaly-detection": "both"}
FROM_TEAM_INDEX = "forecasting"  # the others install atomkb from the project's wheels/
RUN_CI = ("forecasting", "classification")  # the projects whose CI lines run (GitHub, GitLab)

pytestmark = pytest.mark.slow
pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra: atomkb[scaffold]")
pytest.importorskip("mlflow", reason="generated projects track with MLflow: atomkb[scaffold]")


def user_script(project: Path, tools, *, with_ci: bool) -> str:
    """The README's commands, then each CI file's lines (in the venv the README made)."""
    lines = ["set -ex", 'echo "== README"', *tools.readme_commands(project)]
    for name, (variables, commands) in (tools.ci_commands(project) if with_ci else {}).items():
        lines += [f'echo "== CI {name}"', 'export CI_PROJECT_DIR="$PWD"']
        lines += [f"export {key}={shlex.quote(value)}" for key, value in variables.items()]
        lines += commands
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def projects(tmp_path_factory, mlflow_server_process, package_index, tools):
    """Scaffold the three projects, clone each, and start its README and CI in the background."""
    root = tmp_path_factory.mktemp("projects")
    started = {}
    for template, ci in CI_CHOICE.items():
        answers = {"ci": ci, "author": "Ada Lovelace"}
        if template == FROM_TEAM_INDEX:
            answers["atomkb_source"] = f"{package_index.url}/team/simple/"
        (root / f"{template}.yml").write_text(yaml.safe_dump(answers))
        name = f"demo-{template}"
        done = tools.kb("scaffold", template, name, "--data", f"{template}.yml", cwd=root)
        assert done.returncode == 0, done.stderr
        fresh = root / "clones" / name
        subprocess.run(["git", "clone", "-q", str(root / name), str(fresh)], check=True)
        # the CI files are one shared template: run GitHub's and GitLab's once each
        script = user_script(fresh, tools, with_ci=template in RUN_CI)
        (root / f"{name}.sh").write_text(script)
        env = {**package_index.env, "SMOKE_TRACKING_URI": f"sqlite:///{root / f'{name}-smoke.db'}"}
        log = (root / f"{name}.log").open("w")
        process = subprocess.Popen(
            ["bash", str(root / f"{name}.sh")],
            cwd=fresh,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started[template] = (root / name, fresh, root / f"{name}.log", process)
    yield started
    for _, _, _, process in started.values():
        if process.poll() is None:
            process.kill()


def finished(projects, template) -> tuple[Path, Path, str]:
    """The project, its fresh clone and the output of its README and CI, once they ran."""
    project, fresh, log, process = projects[template]
    process.wait(timeout=1500)
    output = log.read_text()
    assert process.returncode == 0, output[-5000:]
    return project, fresh, output


@pytest.mark.parametrize("template", list(CI_CHOICE))
def test_readme_and_ci_commands_install_test_and_train_a_fresh_clone(
    projects, template, package_index
):
    _, fresh, output = finished(projects, template)
    readme, *ci_runs = re.split(r"^== CI \w+$", output.split("== README", 1)[1], flags=re.M)
    ci_files = CI_CHOICE[template].replace("both", "gitlab github").split()
    assert len(ci_runs) == (len(ci_files) if template in RUN_CI else 0)
    # atomkb came from the source the answers chose, and only from there
    if template == FROM_TEAM_INDEX:
        assert f"{package_index.url}/team/simple/atomkb/atomkb-" in readme
    else:
        assert re.search(r"Processing \./wheels/atomkb-[^ ]+\.whl", readme), readme[-3000:]
        assert "/team/simple/" not in readme
    assert re.search(r"\d+ passed", readme)  # make test
    summary = readme[readme.index("metrics (mean over") :]  # make train prints its metrics
    config = yaml.safe_load((fresh / "configs" / "pipeline.yaml").read_text())
    for spec in config["evaluation"]["metrics"]:
        assert re.search(rf"^  {spec['id'].removeprefix('metric.')} +-?\d", summary, re.M)
    assert re.search(rf"run [0-9a-f]{{32}} of experiment 'demo-{template}' in sqlite", summary)
    for run in ci_runs:
        assert "All checks passed!" in run and re.search(r"\d+ passed", run)


@pytest.mark.parametrize("template", list(CI_CHOICE))
def test_make_train_records_the_run_in_the_projects_mlflow_store(projects, template):
    _, fresh, _ = finished(projects, template)
    from mlflow import MlflowClient
    from mlflow.models import Model

    client = MlflowClient(f"sqlite:///{fresh / 'mlflow.db'}")
    [experiment] = [e for e in client.search_experiments() if e.name == f"demo-{template}"]
    [run] = client.search_runs([experiment.experiment_id])
    config = yaml.safe_load((fresh / "configs" / "pipeline.yaml").read_text())
    assert run.data.params[
        "pipeline.model.id" if template != "anomaly-detection" else "pipeline.detector.id"
    ]
    assert run.data.params["data.limit"] == "None"
    if template == "anomaly-detection":  # the organism's window, decided from the data
        assert int(run.data.params["decided.detector.window"]) > 1
    for spec in config["evaluation"]["metrics"]:
        assert math.isfinite(run.data.metrics[spec["id"].removeprefix("metric.")])
    assert run.inputs.dataset_inputs[0].dataset.name == config["data"]["id"]
    tags = run.data.tags
    assert tags["atomkb.template"] == template
    assert re.fullmatch(r"v\d+\.\d+\.\d+(\.post\d+)?", tags["atomkb.template_version"])
    assert config["data"]["id"] in tags["atomkb.components"].split(",")
    assert tags[f"atomkb.component.{config['data']['id']}"].startswith("catalog.datasets.")
    [model] = client.search_logged_models(experiment_ids=[experiment.experiment_id])
    assert model.source_run_id == run.info.run_id
    logged = Model.load(model.artifact_location)  # a local folder with this SQLite store
    assert logged.signature is not None and logged.signature.inputs is not None
    assert logged.saved_input_example_info is not None


@pytest.mark.parametrize("template", list(CI_CHOICE))
def test_generated_project_is_rendered_clean_and_lints(projects, template, tools):
    project = projects[template][0]
    for path in project.rglob("*"):
        parts = path.relative_to(project).parts
        if path.is_file() and ".git" not in parts and parts[0] != "wheels":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "{{" not in text and "{%" not in text, path
            assert "{{" not in str(path) and "{%" not in str(path)
    for command in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        done = subprocess.run(
            [str(tools.bin / "ruff"), *command], cwd=project, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True)
    assert log.stdout.count("\n") == 1 and "Scaffold" in log.stdout
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True
    )
    assert status.stdout == ""


@pytest.mark.parametrize("template", list(CI_CHOICE))
def test_generated_ci_files_pass_the_vendor_schemas(projects, template, tools):
    project = projects[template][0]
    files = {
        "gitlab": project / ".gitlab-ci.yml",
        "github": project / ".github" / "workflows" / "ci.yml",
    }
    wanted = {"gitlab", "github"} if CI_CHOICE[template] == "both" else {CI_CHOICE[template]}
    assert {name for name, path in files.items() if path.exists()} == wanted
    checker = str(tools.bin / "check-jsonschema")
    for name in wanted:
        schema = ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci"]
        if name == "github":
            schema = ["--builtin-schema", "vendor.github-workflows"]
        done = subprocess.run([checker, *schema, str(files[name])], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    ids = {hook["id"] for repo in hooks["repos"] for hook in repo["hooks"]}
    assert {"ruff", "check-merge-conflict"} <= ids
    assert {
        f"check-{name}-ci" if name == "gitlab" else "check-github-workflows" for name in wanted
    } <= ids


@pytest.mark.parametrize("template", list(CI_CHOICE))
def test_generated_project_installs_with_its_entry_points(projects, template):
    _, fresh, _ = finished(projects, template)
    meta = tomllib.loads((fresh / "pyproject.toml").read_text())["project"]
    assert meta["name"] == f"demo-{template}"
    requirements = {Requirement(r).name: Requirement(r) for r in meta["dependencies"]}
    assert set(requirements) >= {"atomkb", "mlflow"}
    venv_python = str(fresh / ".venv" / "bin" / "python")
    probe = (
        "import importlib.metadata as m, json, sys; "
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    done = subprocess.run(
        [venv_python, "-c", probe, *requirements],
        cwd=fresh,  # not this checkout, whose atomkb.egg-info would answer first
        capture_output=True,
        text=True,
        check=True,
    )
    versions = yaml.safe_load(done.stdout)
    for name, requirement in requirements.items():
        assert requirement.specifier.contains(versions[name], prereleases=True), requirement
    for name, target in meta["scripts"].items():
        assert (fresh / ".venv" / "bin" / name).is_file(), name
        module, function = target.split(":")
        source = (fresh / "src" / (module.replace(".", "/") + ".py")).read_text()
        assert f"def {function}(" in source
    makefile = (fresh / "Makefile").read_text()
    for target in ("help", "install", "lint", "test", "train", "mlflow-ui"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    ignored = (fresh / ".gitignore").read_text().split()
    assert {"mlflow.db", "mlruns/", "mlartifacts/", ".venv/"} <= set(ignored)
    assert "MLFLOW_TRACKING_URI=sqlite:///mlflow.db" in (fresh / ".env.example").read_text()


def test_smoke_training_logs_to_a_real_mlflow_server(projects, mlflow_server, tools):
    _, fresh, _ = finished(projects, "forecasting")
    env = {**tools.clean_env(), "SMOKE_TRACKING_URI": mlflow_server, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [
            str(fresh / ".venv" / "bin" / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "smoke",
        ],
        cwd=fresh,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    from mlflow import MlflowClient

    client = MlflowClient(mlflow_server)
    experiment = client.get_experiment_by_name("demo-forecasting")
    [run] = client.search_runs([experiment.experiment_id])
    assert run.data.tags["atomkb.template"] == "forecasting"
    assert run.inputs.dataset_inputs and run.data.metrics
    [model] = client.search_logged_models(experiment_ids=[experiment.experiment_id])
    assert model.artifact_location.startswith("mlflow-artifacts:")


def test_train_against_an_unreachable_server_fails_in_seconds_in_one_sentence(projects):
    _, fresh, _ = finished(projects, "classification")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    done = subprocess.run(
        [
            str(fresh / ".venv" / "bin" / "python"),
            "-m",
            "demo_classification.train",
            "--tracking-uri",
            f"http://127.0.0.1:{port}",
            "--limit",
            "20",
        ],
        cwd=fresh,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert time.monotonic() - started < 30
    assert f"tracking server http://127.0.0.1:{port} does not answer" in done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr


def test_train_logs_through_the_team_platform_with_only_three_variables(
    projects, platform, tools, monkeypatch
):
    """`make train` of a fresh clone, told only the platform's URL and a login."""
    _, fresh, _ = finished(projects, "classification")
    env = {
        **tools.clean_env(),
        "PATH": f"{fresh / '.venv' / 'bin'}{os.pathsep}{tools.clean_env()['PATH']}",
        "MLFLOW_TRACKING_URI": f"{platform.url}/mlflow",
        "MLFLOW_TRACKING_USERNAME": platform.user,
        "MLFLOW_TRACKING_PASSWORD": platform.password,
        "PYTHONWARNINGS": "ignore",
    }
    done = subprocess.run(
        ["make", "train"], cwd=fresh, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    from mlflow import MlflowClient

    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", platform.user)
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", platform.password)
    client = MlflowClient(f"{platform.url}/mlflow")
    experiment = client.get_experiment_by_name("demo-classification")
    [run] = client.search_runs([experiment.experiment_id])
    assert run.data.tags["atomkb.template"] == "classification"
    assert run.data.metrics and run.info.artifact_uri.startswith("mlflow-artifacts:")
    [model] = client.search_logged_models(experiment_ids=[experiment.experiment_id])
    assert model.source_run_id == run.info.run_id
