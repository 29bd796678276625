"""The GitLab job that publishes atomkb's wheel, the index generated projects install from."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CI_FILE = ROOT / "infra" / "gitlab-ci.yml"


def test_publish_job_passes_gitlabs_schema(tools):
    checker = str(tools.bin / "check-jsonschema")
    done = subprocess.run(
        [
            checker,
            "--builtin-schema",
            "vendor.gitlab-ci",
            "--data-transform",
            "gitlab-ci",
            str(CI_FILE),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_publish_job_runs_on_release_tags_only_and_uploads_to_the_package_registry():
    pipeline = yaml.safe_load(CI_FILE.read_text())
    job = pipeline["publish-wheel"]
    [rule] = job["rules"]
    assert "$CI_COMMIT_TAG" in rule["if"]
    tag_pattern = re.search(r"/(.+)/", rule["if"]).group(1)
    assert re.match(tag_pattern, "v0.2.0") and not re.match(tag_pattern, "main")
    script = "\n".join(job["script"])
    assert "${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/packages/pypi" in script
    assert "CI_JOB_TOKEN" in script and "--wheel" in script
    assert pipeline["stages"].index(pipeline["test"]["stage"]) < pipeline["stages"].index("publish")
