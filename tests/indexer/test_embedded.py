"""The embedded backend's re-index: atomic, incremental, and safe to kill half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.backend import SearchRequest
from indexer.embedded import EmbeddedBackend, IndexNotFoundError
from indexer.records import write_records

KB = Path(sys.executable).with_name("kb")


def test_reindex_rewrites_only_changed_records(tmp_path, catalog_records):
    backend = EmbeddedBackend(tmp_path / "index.sqlite")
    first = backend.replace_all(catalog_records)
    assert (first.added, first.unchanged) == (len(catalog_records), 0)
    again = backend.replace_all(catalog_records)
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == len(catalog_records)
    edited = catalog_records[0].model_copy(update={"summary": "Zyxwvut summary for the test."})
    third = backend.replace_all([edited, *catalog_records[2:]])
    assert (third.updated, third.deleted) == (1, 1)
    assert [hit["id"] for hit in backend.search(SearchRequest(q="zyxwvut"))["hits"]] == [edited.id]


def test_an_open_backend_sees_the_new_index_after_a_reindex(tmp_path, catalog_records):
    reader = EmbeddedBackend(tmp_path / "index.sqlite")
    writer = EmbeddedBackend(tmp_path / "index.sqlite")
    writer.replace_all(catalog_records)
    before = reader.search(SearchRequest(q=""))["estimatedTotalHits"]
    writer.replace_all(catalog_records[:3])
    assert before == len(catalog_records)
    assert reader.search(SearchRequest(q=""))["estimatedTotalHits"] == 3


def test_a_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexNotFoundError, match="kb index"):
        EmbeddedBackend(tmp_path / "none.sqlite").search(SearchRequest(q="x"))


def test_a_foreign_file_is_not_taken_for_an_index(tmp_path):
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(IndexNotFoundError, match="not an atomkb search index"):
        EmbeddedBackend(path).search(SearchRequest(q="x"))


def test_a_killed_reindex_leaves_the_previous_index_answering(tmp_path, catalog_records):
    index = tmp_path / "index.sqlite"
    backend = EmbeddedBackend(index)
    backend.replace_all(catalog_records)
    expected = backend.search(SearchRequest(q="isolation forest"))["hits"]
    # A large re-index (every record many times over) that we kill while it writes.
    many = [
        r.model_copy(update={"id": f"{r.id}-copy{i}", "title": f"{r.title} copy {i}"})
        for i in range(700)
        for r in catalog_records
    ]
    records = write_records(tmp_path / "records.json", many)
    process = subprocess.Popen(
        [str(KB), "index", "--records", str(records), "--index-file", str(index)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    temporary = index.with_name(f".{index.name}.{process.pid}.tmp")
    deadline = time.monotonic() + 60
    while not (temporary.exists() and temporary.stat().st_size > 100_000):
        assert process.poll() is None, "the re-index ended before it could be killed"
        assert time.monotonic() < deadline, "the re-index never started writing"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert temporary.exists()  # killed half-way: its work in progress is still there
    fresh = EmbeddedBackend(index)
    assert fresh.search(SearchRequest(q="isolation forest"))["hits"] == expected
    assert fresh.count() == len(catalog_records)
    # The next re-index removes what the killed one left behind.
    fresh.replace_all(catalog_records)
    assert not temporary.exists()


@pytest.mark.parametrize("bm25_limit", [10_000, 3], ids=["bm25", "bm25-skipped"])
@pytest.mark.parametrize("query", ["s", "fo", "forest", "isolation f", "seasonal naive"])
def test_a_page_is_the_same_slice_of_one_ranking_whatever_its_size(
    tmp_path, corpus, monkeypatch, query, bm25_limit
):
    """The lazy ranking (buckets, name positions scanned word by word, BM25 skipped over
    large candidate sets) gives every page as a slice of the one full ranking."""
    from indexer import ranking

    monkeypatch.setattr(ranking, "BM25_LIMIT", bm25_limit)
    backend = EmbeddedBackend(tmp_path / "index.sqlite")
    backend.replace_all(corpus)

    def ids(**window) -> list[str]:
        answer = backend.search(SearchRequest(q=query, attributesToRetrieve=["id"], **window))
        return [hit["id"] for hit in answer["hits"]]

    full = ids(limit=1000)
    assert len(full) > 3
    for limit in (1, 2, 5, 9):
        assert ids(limit=limit) == full[:limit], limit
        assert ids(limit=limit, offset=3) == full[3 : 3 + limit], limit
