"""``kb examples``: listing the gallery and copying an example into a project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog import TASKS
from cli.examples import EXAMPLES_DIR, find_examples
from cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def kb(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``kb`` in a fresh process, so exit codes and stderr are the real ones."""
    return subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_every_task_has_at_least_three_examples() -> None:
    found = find_examples()
    for task in TASKS:
        assert len([e for e in found if e.task == task]) >= 3, task


def test_list_json_describes_every_example_file() -> None:
    result = CliRunner().invoke(cli, ["examples", "list", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    files = sorted(p.stem for p in EXAMPLES_DIR.glob("*/plot_*.py"))
    assert sorted(item["name"] for item in listed) == files
    for item in listed:
        assert item["title"] and item["summary"], item["name"]
        assert item["url"] == f"auto_examples/{item['task']}/{item['name']}.html"


def test_list_filters_by_task() -> None:
    result = CliRunner().invoke(cli, ["examples", "list", "--task", "classification", "--json"])
    tasks = {item["task"] for item in json.loads(result.stdout)}
    assert tasks == {"classification"}


def test_copy_writes_the_script_and_refuses_to_overwrite(tmp_path: Path) -> None:
    first = kb("examples", "copy", "plot_isolation_forest", str(tmp_path))
    assert first.returncode == 0, first.stderr
    target = tmp_path / "plot_isolation_forest.py"
    source = EXAMPLES_DIR / "anomaly-detection" / "plot_isolation_forest.py"
    assert target.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")

    target.write_text("# my edits\n", encoding="utf-8")
    second = kb("examples", "copy", "plot_isolation_forest", str(tmp_path))
    assert second.returncode == 1
    assert "already exists" in second.stderr and "--force" in second.stderr
    assert target.read_text(encoding="utf-8") == "# my edits\n"

    forced = kb("examples", "copy", "isolation_forest", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_copy_converts_to_a_notebook_with_one_cell_per_block(tmp_path: Path) -> None:
    target = tmp_path / "backtest.ipynb"
    result = CliRunner().invoke(
        cli, ["examples", "copy", "plot_backtest", str(target), "--format", "ipynb"]
    )
    assert result.exit_code == 0, result.output
    notebook = json.loads(target.read_text(encoding="utf-8"))
    kinds = [cell["cell_type"] for cell in notebook["cells"]]
    assert "markdown" in kinds and "code" in kinds
    code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert "BacktestEvaluator" in code


def test_unknown_name_gets_suggestions() -> None:
    result = kb("examples", "copy", "plot_isolaton_forest")
    assert result.returncode == 1
    assert "no example is named 'plot_isolaton_forest'" in result.stderr
    assert "plot_isolation_forest" in result.stderr


@pytest.mark.parametrize("fmt", ["csv"])
def test_unknown_format_is_a_usage_error(fmt: str) -> None:
    result = kb("examples", "copy", "plot_backtest", "--format", fmt)
    assert result.returncode == 2


def test_a_file_system_refusal_is_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    """OSError from any command (here: a destination under a file) becomes one line."""
    (tmp_path / "notes.txt").write_text("mine")
    done = kb("examples", "copy", "plot_isolation_forest", str(tmp_path / "notes.txt" / "x"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: Not a directory") and "notes.txt" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().count("\n") == 0
