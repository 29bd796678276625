"""End to end: scaffold each template, run the project's own tests, check what MLflow holds.

The three projects' test runs (and the MLflow server's start) overlap in the background;
each test below waits for its project. CI choices differ per template so that GitLab,
GitHub and both are each covered once.
"""

from __future__ import annotations

import math
import re
import subprocess
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement

CI_CHOICE = {"forecasting": "github", "classification": "gitlab", "anomaly-detection": "both"}

pytestmark = pytest.mark.slow
pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra: atomkb[scaffold]")
pytest.importorskip("mlflow", reason="generated projects track with MLflow: atomkb[scaffold]")


@pytest.fixture(scope="module")
def projects(tmp_path_factory, mlflow_server_process, tools):
    """Scaffold the three projects and start their own tests; the server starts too."""
    root = tmp_path_factory.mktemp("projects")
    started = {}
    for template, ci in CI_CHOICE.items():
        answers = root / f"{template}.yml"
        answers.write_text(yaml.safe_dump({"ci": ci, "author": "Ada Lovelace"}))
        name = f"demo-{template}"
        done = tools.kb("scaffold", template, name, "--defaults", "--data", str(answers), cwd=root)
        assert done.returncode == 0, done.stderr
        project, store = root / name, root / f"{template}-mlflow.db"
        uri = f"sqlite:///{store}"
        started[template] = (project, uri, tools.start_project_tests(project, uri))
    yield started
    for _, _, process in started.values():
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("template", list(CI_CHOICE))
def test_generated_project_passes_its_own_tests_and_records_the_run(projects, template):
    project, uri, process = projects[template]
    output, _ = process.communicate(timeout=400)
    assert process.returncode == 0, output[-4000:]
    assert re.search(r"\d+ passed", output)

    from mlflow import MlflowClient
    from mlflow.models import Model

    client = MlflowClient(uri)
    [experiment] = [e for e in client.search_experiments() if e.name == f"demo-{template}"]
    [run] = client.search_runs([experiment.experiment_id])
    config = yaml.safe_load((project / "configs" / "pipeline.yaml").read_text())
    assert run.data.params[
        "pipeline.model.id" if template != "anomaly-detection" else "pipeline.detector.id"
    ]
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
    project, _, _ = projects[template]
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(project).parts:
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
    project, _, _ = projects[template]
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
def test_generated_project_installs_with_its_entry_points(projects, template, tools):
    from importlib.metadata import PathDistribution, version

    project, _, _ = projects[template]
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert meta["name"] == f"demo-{template}"
    requirements = [Requirement(r) for r in meta["dependencies"]]
    assert {r.name for r in requirements} >= {"atomkb", "mlflow"}
    for requirement in requirements:  # what pip would have had to install is here already
        assert requirement.specifier.contains(version(requirement.name), prereleases=True), (
            f"{requirement} is not satisfied by {version(requirement.name)}"
        )
    site = tools.installed(project)
    [info] = site.glob("demo_*.dist-info")
    distribution = PathDistribution(info)
    assert distribution.metadata["Name"] == f"demo-{template}"
    installed_files = {str(f) for f in distribution.files}
    package = f"demo_{template.replace('-', '_')}"
    assert f"{package}/train.py" in installed_files
    assert {e.name for e in distribution.entry_points} == set(meta["scripts"])
    for name in meta["scripts"]:
        assert (site / "bin" / name).is_file(), name
    package = project / "src" / f"demo_{template.replace('-', '_')}"
    for target in meta["scripts"].values():
        module, function = target.split(":")
        source = (project / "src" / (module.replace(".", "/") + ".py")).read_text()
        assert f"def {function}(" in source
    assert (package / "__init__.py").is_file()
    makefile = (project / "Makefile").read_text()
    for target in ("help", "install", "lint", "test", "train", "mlflow-ui"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    ignored = (project / ".gitignore").read_text().split()
    assert {"mlflow.db", "mlruns/", "mlartifacts/", "data/"} <= set(ignored)
    assert "MLFLOW_TRACKING_URI=sqlite:///mlflow.db" in (project / ".env.example").read_text()


def test_smoke_training_logs_to_a_real_mlflow_server(projects, mlflow_server, tools):
    project, _, _ = projects["forecasting"]
    done = subprocess.run(
        tools.project_pytest(project, "-m", "smoke"),
        cwd=project,
        env=tools.project_env(mlflow_server, project),
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
