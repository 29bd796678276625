"""`kb catalog list/show` and the CLI conventions: --json, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BROKEN = ("catalog", "--package", "broken_catalog", "--search-path", str(FIXTURES))
HEAVY = ("sklearn", "scipy", "statsmodels", "mlflow", "sphinx", "aeon", "matplotlib", "copier")


def test_help_lists_the_command_groups(run_kb) -> None:
    result = run_kb("--help")
    assert result.returncode == 0
    assert "catalog" in result.stdout and "Commands" in result.stdout


def test_list_json_gives_every_component(run_kb) -> None:
    from catalog import load_records

    result = run_kb("catalog", "list", "--json")
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    records, _ = load_records()
    assert [item["id"] for item in listed] == [r.id for r in records]
    assert {"id", "level", "kind", "tasks", "summary", "source_file", "signature"} <= set(listed[0])


def test_list_filters_by_task_level_kind_and_tag(run_kb) -> None:
    result = run_kb("catalog", "list", "--json", "--task", "forecasting", "--kind", "model")
    items = json.loads(result.stdout)
    assert items and all("forecasting" in i["tasks"] and i["kind"] == "model" for i in items)
    result = run_kb("catalog", "list", "--json", "--level", "molecule", "--tag", "scaling")
    items = json.loads(result.stdout)
    assert all(i["level"] == "molecule" and "scaling" in i["tags"] for i in items)


def test_list_prints_a_table(run_kb) -> None:
    result = run_kb("catalog", "list", "--task", "anomaly-detection")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].split()[:4] == ["id", "level", "kind", "tasks"]
    assert "anomaly.isolation-forest" in result.stdout


def test_unknown_filter_value_is_a_usage_error(run_kb) -> None:
    result = run_kb("catalog", "list", "--task", "regression")
    assert result.returncode == 2
    assert "regression" in result.stderr


def test_show_describes_metadata_parameters_and_composition(run_kb) -> None:
    result = run_kb("catalog", "show", "forecasting.transformed-target")
    assert result.returncode == 0
    out = result.stdout
    assert "Transformed-target forecaster" in out
    assert "from catalog.molecules.transformed_target import TransformedTargetForecaster" in out
    assert "Parameters" in out and "transformer" in out
    assert "Built from" in out and "preprocessing.standard-scaler" in out


def test_show_lists_used_by_and_search_space(run_kb) -> None:
    result = run_kb("catalog", "show", "preprocessing.standard-scaler")
    assert "Used by" in result.stdout and "forecasting.transformed-target" in result.stdout
    assert "Search space" in result.stdout and "with_mean: one of True, False" in result.stdout


def test_show_json_is_the_record(run_kb) -> None:
    result = run_kb("catalog", "show", "anomaly.isolation-forest", "--json")
    record = json.loads(result.stdout)
    assert record["id"] == "anomaly.isolation-forest"
    assert record["search_space"]["n_estimators"] == {
        "type": "int",
        "low": 50,
        "high": 500,
        "log": True,
    }


def test_unknown_id_suggests_the_closest(run_kb) -> None:
    result = run_kb("catalog", "show", "anomaly.isolaton-forest")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "did you mean 'anomaly.isolation-forest'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_command_suggests_the_closest(run_kb) -> None:
    result = run_kb("catalg", "list")
    assert result.returncode == 2
    assert "Did you mean 'catalog'" in result.stderr


def test_broken_components_are_skipped_with_a_warning(run_kb) -> None:
    result = run_kb(*BROKEN, "list", "--json")
    assert result.returncode == 0
    ids = {item["id"] for item in json.loads(result.stdout)}
    assert {"demo.scaler", "demo.forecaster", "demo.twin"} <= ids
    assert "demo.bad-task" not in ids and "demo.unknown-tag" not in ids
    assert "kb catalog check" in result.stderr


def test_show_of_a_valid_component_in_a_broken_catalog_works(run_kb) -> None:
    result = run_kb(*BROKEN, "show", "demo.dangling")
    assert result.returncode == 0
    assert "demo.forcaster (unknown id)" in result.stdout


@pytest.mark.parametrize("args", [("--help",), ("catalog", "list", "--json")])
def test_fast_commands_import_no_heavy_library(args) -> None:
    code = (
        "import sys\n"
        "from cli.main import cli\n"
        "try:\n"
        f"    cli.main({list(args)!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY', sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY []"
