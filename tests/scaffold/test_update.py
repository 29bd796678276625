"""``kb update``: a project made from an older template version takes in a newer one.

The newer version is a copy of the packaged templates with a change and a higher VERSION,
published through ``KB_TEMPLATES_SOURCE`` exactly as a new atomkb release would be.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra: atomkb[scaffold]")

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = (ROOT / "catalog" / "templates" / "VERSION").read_text().strip()
NEW_TARGET = "\nclean:  ## Remove caches and build folders\n\trm -rf build dist .pytest_cache\n"


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def setup(tmp_path, tools):
    """A forecasting project from the packaged templates, and a newer templates folder."""
    env = {"KB_CACHE_DIR": str(tmp_path / "cache")}
    done = tools.kb("scaffold", "forecasting", "proj", "--defaults", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    newer = tmp_path / "templates-next"
    shutil.copytree(ROOT / "catalog" / "templates", newer)
    version = (newer / "VERSION").read_text().strip().split(".")
    (newer / "VERSION").write_text(f"{version[0]}.{int(version[1]) + 1}.0\n")
    makefile = newer / "_shared" / "Makefile.jinja"
    makefile.write_text(makefile.read_text() + NEW_TARGET)
    (newer / "forecasting" / "CHANGELOG.md").write_text("# Changes\n\n- a `clean` target\n")
    return tmp_path / "proj", {**env, "KB_TEMPLATES_SOURCE": str(newer)}, newer


def test_update_brings_the_template_change_and_keeps_local_edits(setup, tools):
    project, env, newer = setup
    config = project / "configs" / "pipeline.yaml"
    config.write_text(config.read_text().replace('"horizon": 12', '"horizon": 6'))
    git("commit", "-qam", "Use a 6-step horizon", cwd=project)
    before = yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"]

    done = tools.kb("update", str(project), cwd=project.parent, env=env)

    assert done.returncode == 0, done.stderr
    after = yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"]
    new_version = (newer / "VERSION").read_text().strip()
    assert (before, after) == (f"v{PACKAGED}", f"v{new_version}")
    assert "clean:  ## Remove caches" in (project / "Makefile").read_text()
    assert (project / "CHANGELOG.md").is_file()
    assert '"horizon": 6' in config.read_text()
    tracking = (project / "src" / "proj" / "tracking.py").read_text()
    assert f'TEMPLATE_VERSION = "v{new_version}"' in tracking
    assert "<<<<<<<" not in (project / "Makefile").read_text()


def test_update_marks_conflicts_inline_and_loses_nothing(setup, tools):
    project, env, _ = setup
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text() + "\nclean:  ## My own clean\n\trm -rf out\n")
    git("commit", "-qam", "My clean target", cwd=project)

    done = tools.kb("update", str(project), cwd=project.parent, env=env)

    assert done.returncode == 1
    assert "Conflicts marked inline in: Makefile" in done.stderr
    text = makefile.read_text()
    assert "<<<<<<<" in text and "rm -rf out" in text and "rm -rf build dist" in text


def test_update_refuses_uncommitted_changes(setup, tools):
    project, env, _ = setup
    (project / "README.md").write_text("draft\n")
    done = tools.kb("update", str(project), cwd=project.parent, env=env)
    assert done.returncode == 1
    assert "uncommitted changes; commit or stash them" in done.stderr
    assert (project / "README.md").read_text() == "draft\n"


def test_update_says_when_the_project_is_current(setup, tools):
    project, env, _ = setup
    env = {k: v for k, v in env.items() if k != "KB_TEMPLATES_SOURCE"}
    done = tools.kb("update", str(project), cwd=project.parent, env=env)
    assert done.returncode == 0, done.stderr
    assert f"Already at the newest template version v{PACKAGED}" in done.stdout


def test_update_outside_a_scaffolded_project_says_what_to_do(tmp_path, tools):
    done = tools.kb("update", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "has no .copier-answers.yml" in done.stderr


def test_update_on_another_machine_uses_that_machines_templates(setup, tools, tmp_path):
    project, env, newer = setup
    elsewhere = {**env, "KB_CACHE_DIR": str(tmp_path / "other-machine-cache")}
    # That machine's kb has the project's version (it scaffolded from its packaged
    # templates once) and now ships the newer one.
    other = {"KB_CACHE_DIR": elsewhere["KB_CACHE_DIR"]}
    made = tools.kb("scaffold", "forecasting", "other", "--defaults", cwd=tmp_path, env=other)
    assert made.returncode == 0, made.stderr

    done = tools.kb("update", str(project), cwd=tmp_path, env=elsewhere)

    assert done.returncode == 0, done.stderr
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert Path(answers["_src_path"]) == tmp_path / "other-machine-cache" / "templates-repo"
    assert answers["_commit"] == f"v{(newer / 'VERSION').read_text().strip()}"
    assert "clean:  ## Remove caches" in (project / "Makefile").read_text()
    log = git("log", "--format=%s", cwd=project)
    assert "Point .copier-answers.yml at this machine's kb templates" in log


def test_update_without_the_old_version_here_says_where_to_run_it(setup, tools, tmp_path):
    project, env, _ = setup
    elsewhere = {**env, "KB_CACHE_DIR": str(tmp_path / "fresh-machine-cache")}
    before = (project / ".copier-answers.yml").read_text()

    done = tools.kb("update", str(project), cwd=tmp_path, env=elsewhere)

    assert done.returncode == 1
    assert "does not have" in done.stderr and f"v{PACKAGED}" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert (project / ".copier-answers.yml").read_text() == before
    assert git("status", "--porcelain", cwd=project) == ""


def test_update_of_a_project_from_before_atomkb_source_gets_the_wheel(setup, tools):
    """A project made before the question existed installs atomkb like a new one after."""
    project, env, _ = setup
    answers = project / ".copier-answers.yml"
    kept = [line for line in answers.read_text().splitlines() if not line.startswith("atomkb_")]
    answers.write_text("\n".join(kept) + "\n")
    shutil.rmtree(project / "wheels")
    git("commit", "-qam", "As made before atomkb_source", cwd=project)

    done = tools.kb("update", str(project), cwd=project.parent, env=env)

    assert done.returncode == 0, done.stderr
    recorded = yaml.safe_load(answers.read_text())
    assert recorded["atomkb_source"] == "wheels"
    [wheel] = (project / "wheels").glob("atomkb-*.whl")
    assert wheel.name.split("-")[1] == recorded["atomkb_version"]
    assert (
        f"atomkb[components]=={recorded['atomkb_version']}"
        in (project / "pyproject.toml").read_text()
    )
