"""Gathering records: the docs build's file, or the catalog alone, plus library APIs (griffe)."""

from __future__ import annotations

import pytest

from indexer.gather import api_records, gather_records
from indexer.records import write_records


def test_without_a_build_the_catalog_is_indexed_and_the_user_told(tmp_path, catalog_records):
    records, notes = gather_records(tmp_path / "missing.json")
    assert {r.id for r in records} == {r.id for r in catalog_records}
    assert any("kb build" in note for note in notes)


def test_the_build_records_are_taken_as_they_are(tmp_path, corpus):
    path = write_records(tmp_path / "records.json", corpus)
    records, notes = gather_records(path)
    assert records == corpus
    assert notes == []


def test_a_package_api_is_read_statically_as_api_records():
    records = api_records("click")
    by_title = {r.title: r for r in records}
    assert "click.command" in by_title
    assert "click.Context.invoke" in by_title  # methods too
    assert all(r.kind == "api" for r in records)
    assert len({r.id for r in records}) == len(records)


def test_an_unknown_package_says_what_to_do():
    with pytest.raises(ValueError, match="expected an installed package"):
        api_records("no_such_package_atomkb")
