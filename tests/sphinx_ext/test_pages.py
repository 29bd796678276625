"""Generated pages: written from the catalog, and only when their text changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sphinx_ext._catalog import catalog_view, example_paths
from sphinx_ext.pages import MARKER, component_page, generate_pages

ROOT = Path(__file__).resolve().parents[2]


def test_generate_pages_writes_every_page_once_then_nothing(tmp_path: Path) -> None:
    view = catalog_view()
    written, kept = generate_pages(tmp_path, view)
    assert kept == 0 and written > len(view.records)
    for record in view.components:
        assert (tmp_path / "components" / f"{record.id}.rst").is_file()
    for record in view.datasets:
        assert (tmp_path / "datasets" / f"{record.id}.rst").is_file()
    assert generate_pages(tmp_path, view) == (0, written)


def test_generate_pages_rewrites_an_edited_page_and_removes_stale_ones(tmp_path: Path) -> None:
    view = catalog_view()
    generate_pages(tmp_path, view)
    page = tmp_path / "components" / f"{view.components[0].id}.rst"
    page.write_text("edited by hand", encoding="utf-8")
    stale = tmp_path / "components" / "removed.component.rst"
    stale.write_text(MARKER + "\n", encoding="utf-8")
    own = tmp_path / "components" / "notes.rst"
    own.write_text("not generated", encoding="utf-8")

    written, _ = generate_pages(tmp_path, view)

    assert written == 1
    assert page.read_text(encoding="utf-8").startswith(MARKER)
    assert not stale.exists()
    assert own.read_text(encoding="utf-8") == "not generated"


def test_component_page_shows_parameters_search_space_and_parts() -> None:
    view = catalog_view()
    molecule = next(r for r in view.components if r.meta.composes and r.meta.search_space)
    text = component_page(molecule, view, ["examples/forecasting/plot_x.py"])
    assert molecule.signature in text
    for parameter in molecule.parameters:
        assert f"``{parameter.name}``" in text
    for name in molecule.meta.search_space:
        assert f"``{name}``" in text
    for part in molecule.meta.composes:
        assert f":component:`{part}`" in text
    assert "from catalog import get_component" in text
    assert ".. minigallery::\n   examples/forecasting/plot_x.py" in text


def test_example_paths_finds_examples_by_class_name_or_id() -> None:
    view = catalog_view()
    found = example_paths(ROOT / "kb", view.by_id["anomaly.isolation-forest"])
    assert "examples/anomaly-detection/plot_isolation_forest.py" in found
    airline = example_paths(ROOT / "kb", view.by_id["dataset.airline"])
    assert "examples/forecasting/plot_airline_holdout.py" in airline


def test_template_pages_list_questions_and_generated_files() -> None:
    from sphinx_ext.templates import template_pages

    templates = ROOT / "catalog" / "templates"
    pages = template_pages(templates)
    names = [p.name for p in templates.iterdir() if p.is_dir() and p.name[0] not in "_."]
    assert set(pages) == {"templates/index"} | {f"templates/{n}" for n in names}
    for name in names:
        text = pages[f"templates/{name}"]
        assert f"kb scaffold {name} my-project" in text
        assert "``project_name``" in text
        assert "{{" not in text and "{%" not in text, "file names are shown as generated"


def test_template_pages_show_only_the_questions_that_template_asks() -> None:
    from sphinx_ext.templates import template_pages

    pages = template_pages(ROOT / "catalog" / "templates")
    classification = pages["templates/classification"]
    forecasting = pages["templates/forecasting"]
    assert "``case_column``" in classification and "``case_column``" not in forecasting
    assert "``label_column``" not in forecasting
    assert "Column holding the class of each case" in classification
    assert "asked when ``dataset`` is your own file" in classification


def test_template_page_shows_the_readme_a_scaffolded_project_gets(tmp_path) -> None:
    """The page's README is the template's own, rendered exactly as copier renders it."""
    pytest.importorskip("copier", reason="kb scaffold needs the scaffold extra")
    from sphinx_ext.templates import _readme

    templates = ROOT / "catalog" / "templates"
    config = yaml.safe_load((templates / "copier.yml").read_text())
    kb = Path(sys.executable).with_name("kb")
    env = {**os.environ, "KB_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [str(kb), "scaffold", "anomaly-detection", "my-project", "--defaults"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    generated = (tmp_path / "my-project" / "README.md").read_text().strip()
    assert _readme(templates, "anomaly-detection", config) == generated
