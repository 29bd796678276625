"""The static (griffe) and runtime (import) readers return identical records."""

from __future__ import annotations

import subprocess
import sys

from catalog import load_records


def test_static_and_runtime_readers_agree_on_every_component() -> None:
    static, static_problems = load_records(reader="static", use_cache=False)
    runtime, runtime_problems = load_records(reader="runtime")
    assert static_problems == [] and runtime_problems == []
    assert [r.id for r in static] == [r.id for r in runtime]
    for s, r in zip(static, runtime, strict=True):
        assert s == r, f"readers disagree on {s.id}:\nstatic  {s.to_json()}\nruntime {r.to_json()}"


def test_static_reader_imports_no_component_module() -> None:
    code = (
        "import sys; from catalog import load_records; "
        "records, _ = load_records(use_cache=False); "
        "heavy = [m for m in sys.modules if m.startswith(('sklearn', 'catalog.atoms', "
        "'catalog.molecules', 'catalog.organisms', 'catalog.datasets', 'statsmodels', 'aeon'))]; "
        "print(len(records), heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, heavy = out.stdout.split(" ", 1)
    assert int(count) > 0
    assert heavy.strip() == "[]"


def test_cached_static_read_equals_a_fresh_one() -> None:
    fresh, _ = load_records(use_cache=False)
    load_records()  # fills the cache
    cached, _ = load_records()
    assert cached == fresh


def test_used_by_is_the_inverse_of_composes() -> None:
    records, _ = load_records()
    by_id = {r.id: r for r in records}
    for record in records:
        for part in record.meta.composes:
            assert record.id in by_id[part].used_by
        for user in record.used_by:
            assert record.id in by_id[user].meta.composes


def test_derived_fields_come_from_the_code() -> None:
    records, _ = load_records()
    record = next(r for r in records if r.id == "anomaly.isolation-forest")
    assert record.object_path == "catalog.atoms.anomaly.isolation_forest.IsolationForestDetector"
    assert record.source_file == "catalog/atoms/anomaly/isolation_forest.py"
    source = open(record.source_file, encoding="utf-8").read().splitlines()
    assert source[record.source_line - 1].startswith("@component(")
    assert record.docstring_summary.startswith("Isolation forest anomaly scores")
    names = [p.name for p in record.parameters]
    assert names == ["window", "n_estimators", "max_samples", "random_state"]
    assert all(p.description for p in record.parameters)
