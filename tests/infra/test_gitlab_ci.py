"""The repository's GitLab pipeline: check, test, build, index, deploy, rollback, publish."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROOT_CI = ROOT / ".gitlab-ci.yml"
INFRA_CI = ROOT / "infra" / "gitlab-ci.yml"
COMPOSE_FILE = ROOT / "infra" / "compose.yaml"
DEPLOY_SCRIPT = ROOT / "infra" / "deploy.sh"
CHECKER = Path(sys.executable).with_name("check-jsonschema")
DEFAULT_BRANCH_ONLY = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
# Top-level keys that are settings of the pipeline, not jobs.
GLOBAL_KEYWORDS = {"stages", "include", "workflow", "default", "variables", "image", "cache"}


def merge(base: dict, override: dict) -> dict:
    """GitLab's merge for `include` and `extends`: mappings deep-merged, the rest replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def pipeline() -> dict:
    """The root file with its local includes and every job's `extends` resolved."""
    root = yaml.safe_load(ROOT_CI.read_text())
    merged: dict = {}
    for entry in root.get("include", []):
        merged = merge(merged, yaml.safe_load((ROOT / entry["local"]).read_text()))
    merged = merge(merged, root)

    def resolved(name: str) -> dict:
        job = merged[name]
        parents = job.get("extends", [])
        parents = [parents] if isinstance(parents, str) else parents
        base: dict = {}
        for parent in parents:
            base = merge(base, resolved(parent))
        return merge(base, {key: value for key, value in job.items() if key != "extends"})

    return {
        name: resolved(name) if isinstance(value, dict) and not name.startswith(".") else value
        for name, value in merged.items()
    }


def jobs() -> dict[str, dict]:
    return {
        name: job
        for name, job in pipeline().items()
        if name not in GLOBAL_KEYWORDS and not name.startswith(".") and isinstance(job, dict)
    }


def script(job: dict) -> str:
    return "\n".join(job.get("before_script", []) + job["script"])


def only_on_default_branch(job: dict) -> bool:
    return [rule["if"] for rule in job["rules"]] == [DEFAULT_BRANCH_ONLY]


def job_running(command: str) -> dict:
    [job] = [job for job in jobs().values() if command in script(job)]
    return job


@pytest.mark.parametrize("ci_file", [ROOT_CI, INFRA_CI], ids=lambda path: path.name)
def test_ci_files_pass_gitlabs_schema(ci_file):
    schema = ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci"]
    done = subprocess.run(
        [str(CHECKER), *schema, str(ci_file)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_stages_run_check_test_build_index_deploy_then_publish():
    resolved = pipeline()
    assert resolved["stages"] == ["check", "test", "build", "index", "deploy", "publish"]
    assert yaml.safe_load(ROOT_CI.read_text())["include"] == [{"local": "infra/gitlab-ci.yml"}]
    for name, job in jobs().items():
        assert job["stage"] in resolved["stages"], name


def test_check_stage_checks_the_catalog_and_lints():
    job = job_running("kb catalog check")
    assert job["stage"] == "check"
    assert "ruff check ." in script(job)
    assert "make install" in script(job)


def test_test_stage_runs_the_readmes_test_command():
    job = job_running(".ci/run")
    assert job["stage"] == "test"


def test_build_stage_builds_the_site_with_warnings_as_errors_and_keeps_it():
    job = job_running("kb build -W")
    assert job["stage"] == "build"
    assert {"_build/html/", "_build/search/"} <= set(job["artifacts"]["paths"])


def test_index_runs_on_the_default_branch_into_meilisearch_on_the_platform_network():
    job = job_running("kb index --backend meilisearch")
    assert job["stage"] == "index"
    assert only_on_default_branch(job)
    command = script(job)
    assert '--url "$KB_MEILI_URL" --api-key "$KB_MEILI_API_KEY"' in command
    # The key travels by name from the CI/CD variables, never as a value on a command line.
    assert "--env KB_MEILI_API_KEY " in command
    network = yaml.safe_load(COMPOSE_FILE.read_text())["networks"]["default"]["name"]
    assert f"--network {network} " in command
    assert job["variables"]["KB_MEILI_URL"] == "http://meilisearch:7700"
    assert job["needs"] == ["build-site"]
    assert job["tags"] == ["atomkb-deploy"]


def test_deploy_runs_on_the_servers_runner_for_the_default_branch_with_the_built_site():
    job = job_running("infra/deploy.sh deploy")
    assert job["stage"] == "deploy"
    assert only_on_default_branch(job)
    assert job["tags"] == ["atomkb-deploy"]
    assert job["environment"]["name"] == "production"
    assert job["resource_group"] == "production"
    build = job_running("kb build -W")
    archive = script(job).split("infra/deploy.sh deploy ", 1)[1].split()[0]
    assert archive in build["artifacts"]["paths"] and archive in script(build)
    assert set(job["needs"]) == {"build-site", "index"}
    # docker compose reads the server's settings file as infra/.env.
    assert "infra/.env" in script(job)


def test_rollback_is_manual_on_the_servers_runner_and_never_blocks_the_pipeline():
    job = job_running("infra/deploy.sh rollback")
    assert job["stage"] == "deploy"
    [rule] = job["rules"]
    assert rule == {"if": DEFAULT_BRANCH_ONLY, "when": "manual", "allow_failure": True}
    assert job["tags"] == ["atomkb-deploy"]
    assert job["environment"]["name"] == "production"
    assert job["resource_group"] == "production"
    assert job["needs"] == []


def test_publish_wheel_still_runs_on_release_tags():
    job = jobs()["publish-wheel"]
    assert job["stage"] == "publish"
    assert "$CI_COMMIT_TAG" in job["rules"][0]["if"]


def test_the_deploy_script_the_jobs_call_exists_and_knows_both_commands():
    if not DEPLOY_SCRIPT.exists():
        pytest.skip("infra/deploy.sh is not written yet")
    assert os.access(DEPLOY_SCRIPT, os.X_OK)
    text = DEPLOY_SCRIPT.read_text()
    assert "deploy" in text and "rollback" in text
