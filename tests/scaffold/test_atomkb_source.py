"""``atomkb_source``: each kind of source lands the same in pyproject, README, Makefile and CI.

The end-to-end test installs from a package index and from the project's ``wheels/``;
here the git URL and an explicit wheel are rendered and checked without installing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra: atomkb[scaffold]")


def scaffold(tools, folder: Path, **answers: object) -> Path:
    (folder / "answers.yml").write_text(yaml.safe_dump({"ci": "both", **answers}))
    done = tools.kb("scaffold", "forecasting", "p", "--data", "answers.yml", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "p"


def install_lines(project: Path) -> dict[str, str]:
    """The pip install line of the README, the Makefile and each CI file."""
    files = {
        "README.md": project / "README.md",
        "Makefile": project / "Makefile",
        ".gitlab-ci.yml": project / ".gitlab-ci.yml",
        "ci.yml": project / ".github" / "workflows" / "ci.yml",
    }
    found = {}
    for name, path in files.items():
        [line] = [x for x in path.read_text().splitlines() if "pip install" in x and "-e" in x]
        found[name] = line[line.index("pip install") :].rstrip("'")
    return found


def test_a_git_url_pinned_to_a_tag_is_a_direct_reference_everywhere(tools, tmp_path):
    url = "git+https://gitlab.example.org/team/atomkb.git@v0.2.0"
    project = scaffold(tools, tmp_path, atomkb_source=url)
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    [atomkb] = [Requirement(r) for r in meta["dependencies"] if r.startswith("atomkb")]
    assert atomkb.url == url and atomkb.extras == {"components"}
    assert set(install_lines(project).values()) == {'pip install -e ".[dev]"'}
    assert not (project / "wheels").exists()


def test_an_index_url_is_searched_besides_pypi_everywhere(tools, tmp_path):
    url = "https://gitlab.example.org/api/v4/projects/7/packages/pypi/simple"
    project = scaffold(tools, tmp_path, atomkb_source=url)
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert f"atomkb[components]=={recorded['atomkb_version']}" in meta["dependencies"]
    wanted = f'pip install --extra-index-url {url} -e ".[dev]"'
    assert set(install_lines(project).values()) == {wanted}


def test_a_wheel_path_is_copied_into_the_project(tools, tmp_path):
    from cli._scaffolding.atomkb_source import running_wheel

    wheel = tmp_path / "dist" / running_wheel().name
    wheel.parent.mkdir()
    wheel.write_bytes(running_wheel().read_bytes())
    project = scaffold(tools, tmp_path, atomkb_source=str(wheel))
    assert (project / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()
    assert set(install_lines(project).values()) == {'pip install --find-links wheels -e ".[dev]"'}
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert recorded["atomkb_source"] == "wheels"
    assert recorded["atomkb_version"] == wheel.name.split("-")[1]
