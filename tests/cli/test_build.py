"""``kb build``: real Sphinx builds of a copy of the docs sources into a temporary folder.

The catalog builds run with ``--no-examples`` (fast); one build runs the gallery for a
single small example to check outputs, downloads and that an unchanged example is not
run again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog import LEVELS, TASKS, ComponentRecord, filter_records, load_records
from cli.build import ROOT
from cli.examples import find_examples
from cli.main import cli
from indexer.records import read_records

pytest.importorskip("sphinx", reason="kb build needs the docs extra (Sphinx)")

GENERATED = ("components", "datasets", "catalog", "auto_examples", "sg_execution_times.rst")


def copy_sources(target: Path, *, examples: tuple[str, ...] | None = None) -> Path:
    """Copy kb/ without generated files; keep only ``examples`` (task/name) if given."""
    source = target / "kb"
    shutil.copytree(ROOT / "kb", source, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"))
    if examples is not None:
        for script in (source / "examples").glob("*/plot_*.py"):
            if f"{script.parent.name}/{script.stem}" not in examples:
                script.unlink()
    return source


def kb_build(source: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run ``kb build`` in a fresh process, as a user would."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from cli.main import main; main()",
            "build",
            "-q",
            "--source",
            str(source),
            "--out",
            str(out),
            *options,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture(scope="module")
def fast_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ComponentRecord]]:
    """A strict (-W) --no-examples build of the real sources, and the catalog's records."""
    root = tmp_path_factory.mktemp("fast")
    result = kb_build(copy_sources(root), root / "_build", "--no-examples", "-W")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    records, problems = load_records()
    assert problems == []
    return root / "_build", records


def page_of(build: Path, record: ComponentRecord) -> Path:
    folder = "datasets" if record.meta.kind == "dataset" else "components"
    return build / "html" / folder / f"{record.id}.html"


@pytest.mark.slow
def test_fast_build_has_a_page_for_every_component_and_dataset(
    fast_build: tuple[Path, list[ComponentRecord]],
) -> None:
    build, records = fast_build
    assert records
    assert [r.id for r in records if not page_of(build, r).is_file()] == []
    page = page_of(build, records[0]).read_text(encoding="utf-8")
    assert records[0].meta.summary.split()[0] in page and "Signature" in page


@pytest.mark.slow
def test_fast_build_has_overview_pages_per_task_and_level(
    fast_build: tuple[Path, list[ComponentRecord]],
) -> None:
    build, records = fast_build
    for option, names in (("task", TASKS), ("level", LEVELS)):
        for name in names:
            page = build / "html" / "catalog" / f"{name}.html"
            text = page.read_text(encoding="utf-8")
            selected = filter_records(records, **{option: name})
            for record in selected:
                assert f"{record.id}.html" in text, f"{record.id} missing from {page.name}"
            if selected:
                assert "kb-filterable" in text and "catalog-filter.js" in text


@pytest.mark.slow
def test_fast_build_writes_a_search_record_for_every_component_and_dataset(
    fast_build: tuple[Path, list[ComponentRecord]],
) -> None:
    build, records = fast_build
    search = read_records(build / "search" / "records.json")
    urls = {r.url for r in search}
    for record in records:
        assert page_of(build, record).relative_to(build / "html").as_posix() in urls
    examples = {r.url for r in search if r.kind == "example"}
    for example in find_examples():
        assert example.url in examples
    guides = [r for r in search if r.kind == "guide"]
    assert any(r.anchor for r in guides), "guide sections should have their own records"
    assert all((build / "html" / r.url).is_file() for r in search)


@pytest.mark.slow
def test_rebuild_with_nothing_changed_rewrites_no_page(
    fast_build: tuple[Path, list[ComponentRecord]],
) -> None:
    build, _ = fast_build
    source = build.parent / "kb"
    assert kb_build(source, build, "--no-examples").returncode == 0  # settle any change
    pages = sorted((build / "html").rglob("*.html"))
    before = {page: page.stat().st_mtime_ns for page in pages}
    result = kb_build(source, build, "--no-examples")
    assert result.returncode == 0, result.stderr
    # genindex and search are rewritten by Sphinx itself on every build.
    rewritten = [
        p.relative_to(build / "html").as_posix()
        for p in pages
        if p.stat().st_mtime_ns != before[p] and p.name not in ("genindex.html", "search.html")
    ]
    assert rewritten == []


@pytest.mark.slow
def test_search_over_the_built_records_finds_the_component_and_its_example(
    fast_build: tuple[Path, list[ComponentRecord]], run_kb
) -> None:
    build, _ = fast_build
    index = build / "search" / "index.sqlite"
    records = build / "search" / "records.json"
    indexed = run_kb("index", "--records", str(records), "--index-file", str(index))
    assert indexed.returncode == 0, indexed.stderr
    for query in ("anomaly isolation forest", "isolaton forest", "anomaly isol"):
        found = run_kb("search", query, "--json", "--index-file", str(index))
        hits = [hit["id"] for hit in json.loads(found.stdout)["hits"]]
        assert hits[0] == "component-anomaly_isolation-forest", (query, hits[:5])
        if query == "anomaly isolation forest":
            assert "example-plot_isolation_forest" in hits[:3], hits[:5]


@pytest.mark.slow
def test_broken_component_reference_fails_the_strict_build_naming_the_file(
    tmp_path: Path,
) -> None:
    source = copy_sources(tmp_path)
    guide = source / "guides" / "getting-started.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\nSee {component}`anomaly.isolation-forrest`.\n",
        encoding="utf-8",
    )
    result = kb_build(source, tmp_path / "_build", "--no-examples", "-W")
    assert result.returncode == 1
    assert "getting-started.md" in result.stderr
    assert "anomaly.isolation-forrest" in result.stderr
    assert "did you mean 'anomaly.isolation-forest'" in result.stderr


@pytest.mark.slow
def test_gallery_example_shows_its_figure_and_is_not_run_again(tmp_path: Path) -> None:
    example = "anomaly-detection/plot_isolation_forest"
    source = copy_sources(tmp_path, examples=(example,))
    if not (source / "examples" / f"{example}.py").is_file():
        pytest.skip(f"the gallery has no {example}.py yet")
    out = tmp_path / "_build"
    result = kb_build(source, out, "-W")
    assert result.returncode == 0, result.stderr
    html = out / "html" / "auto_examples" / "anomaly-detection"
    page = (html / "plot_isolation_forest.html").read_text(encoding="utf-8")
    assert "sphx_glr_plot_isolation_forest_001.png" in page
    downloads = {p.name for p in (out / "html" / "_downloads").rglob("plot_isolation_forest.*")}
    assert {"plot_isolation_forest.py", "plot_isolation_forest.ipynb"} <= downloads
    figure = source / "auto_examples" / "anomaly-detection" / "images"
    figure = figure / "sphx_glr_plot_isolation_forest_001.png"
    stamp = figure.stat().st_mtime_ns
    result = kb_build(source, out, "-W")
    assert result.returncode == 0, result.stderr
    assert figure.stat().st_mtime_ns == stamp, "an unchanged example must not run again"


def test_build_refuses_a_missing_source_folder(tmp_path: Path) -> None:
    result = kb_build(tmp_path / "nowhere", tmp_path / "_build")
    assert result.returncode == 1
    assert "--source" in result.stderr and "not a folder" in result.stderr


def test_build_help_lists_its_options() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    for option in ("--no-examples", "-W", "--source", "--out"):
        assert option in result.output


def test_kb_help_imports_no_sphinx() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cli.main import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "assert CliRunner().invoke(cli, ['examples', 'list']).exit_code == 0\n"
        "heavy = [m for m in ('sphinx', 'matplotlib', 'sphinx_gallery') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
