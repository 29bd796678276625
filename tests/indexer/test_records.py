"""Search records: built from the catalog, written and read back, refused when broken."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from indexer.records import SearchRecord, make_record_id, read_records, write_records


def test_one_record_per_catalog_component_with_its_page(catalog_records):
    from catalog import load_records

    components, _ = load_records()
    by_id = {r.id: r for r in catalog_records}
    assert len(by_id) == len(components)
    for component in components:
        record = by_id[
            make_record_id(
                "dataset" if component.meta.kind == "dataset" else "component", component.id
            )
        ]
        folder = "datasets" if component.meta.kind == "dataset" else "components"
        assert record.url == f"{folder}/{component.id}.html"
        assert record.tasks == component.meta.tasks
        assert record.tags == component.meta.tags


def test_records_round_trip_through_a_file(tmp_path, catalog_records):
    path = write_records(tmp_path / "search" / "records.json", catalog_records)
    assert read_records(path) == catalog_records


def test_duplicate_ids_are_refused(tmp_path):
    record = SearchRecord(id="a", kind="guide", title="A", url="guides/a.html")
    with pytest.raises(ValueError, match="unique ids"):
        write_records(tmp_path / "records.json", [record, record])


def test_ids_must_be_meilisearch_document_ids():
    with pytest.raises(ValidationError):
        SearchRecord(id="component.with.dots", kind="guide", title="A", url="a.html")


def test_broken_file_names_the_record_and_field(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"id": "x", "kind": "page", "title": "X", "url": "x.html"}]))
    with pytest.raises(ValueError, match=r"record 0 \(x\): kind"):
        read_records(path)


def test_non_list_file_is_refused(tmp_path):
    path = tmp_path / "records.json"
    path.write_text("{}")
    with pytest.raises(ValueError, match="expected a JSON list"):
        read_records(path)
