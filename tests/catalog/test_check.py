"""`kb catalog check` reports every broken rule at once, each at file:line."""

from __future__ import annotations

import json
from pathlib import Path

from catalog import check_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _problems():
    return check_catalog("broken_catalog", [FIXTURES], use_cache=False)


def test_check_reports_every_broken_rule_in_one_run() -> None:
    found = {(p.file, p.line, p.path): p.message for p in _problems()}
    expected = {
        # rule: schema error
        ("broken_catalog/schema_errors.py", 9, "tasks[1]"): "found 'anomaly'",
        # rule: duplicate ids (both places are named)
        ("broken_catalog/duplicates.py", 4, "id"): "duplicate id 'demo.twin'",
        ("broken_catalog/duplicates.py", 10, "id"): "duplicate id 'demo.twin'",
        # rule: unknown tag, with a suggestion
        ("broken_catalog/tags.py", 6, "tags[1]"): "did you mean 'seasonality'",
        # rule: composes does not resolve
        ("broken_catalog/composition.py", 6, "composes[1]"): "'demo.forcaster'",
        # rule: composition cycle
        ("broken_catalog/composition.py", 13, "composes"): "cycle",
        # rule: composite tasks not covered by its parts
        ("broken_catalog/composition.py", 26, "tasks"): "'classification'",
        # rule: search space names a parameter the constructor lacks
        ("broken_catalog/signatures.py", 6, "search_space.n_lags"): "no parameter 'n_lags'",
        # rule: constructor parameter missing from the docstring
        ("broken_catalog/signatures.py", 21, "__init__.window"): "not described",
        # rule: invalid requirement string
        ("broken_catalog/requirements.py", 8, "requires[0]"): "PEP 508",
        # rule: metadata must be literal
        ("broken_catalog/requirements.py", 15, "requires"): "must be a literal",
        # rule: a module that does not parse is reported, not silently skipped
        ("broken_catalog/syntax.py", 9, ""): "syntax error",
    }
    for where, fragment in expected.items():
        assert where in found, f"no problem reported at {where}; found {sorted(found)}"
        assert fragment in found[where]
    assert len(found) == len(expected)


def test_valid_parts_of_the_fixture_raise_nothing() -> None:
    assert not [p for p in _problems() if p.file == "broken_catalog/parts.py"]


def test_the_real_catalog_passes_check() -> None:
    problems = check_catalog(use_cache=False)
    assert problems == [], "\n".join(map(str, problems))


def test_cli_check_exits_1_and_prints_file_line_for_each_problem(run_kb) -> None:
    result = run_kb(
        "catalog", "--package", "broken_catalog", "--search-path", str(FIXTURES), "check"
    )
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 12
    assert all(line.startswith("broken_catalog/") and ".py:" in line for line in lines)
    assert "12 problem(s) in 7 file(s)" in result.stderr


def test_cli_check_json_lists_the_same_problems(run_kb) -> None:
    result = run_kb(
        "catalog", "--package", "broken_catalog", "--search-path", str(FIXTURES), "check", "--json"
    )
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert {p["path"] for p in problems} >= {"tasks[1]", "composes", "search_space.n_lags"}


def test_cli_check_passes_on_the_catalog(run_kb) -> None:
    result = run_kb("catalog", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problem found" in result.stderr


def test_cli_check_unknown_package_is_one_sentence(run_kb, tmp_path: Path) -> None:
    result = run_kb("catalog", "--package", "nowhere", "--search-path", str(tmp_path), "check")
    assert result.returncode == 1
    assert result.stderr.startswith("error: package 'nowhere' was not found")
    assert "Traceback" not in result.stderr
