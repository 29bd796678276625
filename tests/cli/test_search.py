"""``kb index`` and ``kb search`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def index_file(tmp_path_factory):
    from tests.conftest import _run_kb

    path = tmp_path_factory.mktemp("kb-search") / "index.sqlite"
    missing = tmp_path_factory.mktemp("no-build") / "records.json"
    done = _run_kb("index", "--index-file", str(path), "--records", str(missing))
    assert done.returncode == 0, done.stderr
    assert "`kb build` adds guides" in done.stderr
    return path


def test_search_json_answers_like_meilisearch(run_kb, index_file):
    done = run_kb("search", "anomaly isolation forest", "--json", "--index-file", str(index_file))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert {"hits", "estimatedTotalHits", "facetDistribution", "processingTimeMs"} <= set(answer)
    assert answer["hits"][0]["url"] == "components/anomaly.isolation-forest.html"
    for hit in answer["hits"]:
        assert {"id", "kind", "title", "url", "tasks", "level"} <= set(hit)


def test_options_become_filters(run_kb, index_file):
    done = run_kb(
        "search",
        "",
        "--task",
        "forecasting",
        "--level",
        "atom",
        "--json",
        "--limit",
        "1000",
        "--index-file",
        str(index_file),
    )
    hits = json.loads(done.stdout)["hits"]
    assert hits
    assert all("forecasting" in h["tasks"] and h["level"] == "atom" for h in hits)


def test_terminal_output_lists_ranked_hits_with_their_page(run_kb, index_file):
    done = run_kb("search", "isolaton forest", "--index-file", str(index_file))
    assert done.returncode == 0
    first = done.stdout.splitlines()[0]
    assert first.startswith("  1. [component]")
    assert "components/anomaly.isolation-forest.html" in first


def test_a_bad_filter_is_a_usage_error_naming_the_attribute(run_kb, index_file):
    done = run_kb("search", "x", "--filter", "colour = red", "--index-file", str(index_file))
    assert done.returncode == 2
    assert "'colour' is not filterable" in done.stderr


def test_a_missing_index_says_to_run_kb_index(run_kb, tmp_path):
    done = run_kb("search", "x", "--index-file", str(tmp_path / "none.sqlite"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: no search index at")
    assert "kb index" in done.stderr


def test_meilisearch_backend_without_url_says_what_to_set(run_kb):
    done = run_kb("search", "x", "--backend", "meilisearch", env={"KB_MEILI_URL": ""})
    assert done.returncode == 1
    assert "KB_MEILI_URL" in done.stderr


def test_an_unreachable_meilisearch_is_one_sentence_without_the_key(run_kb):
    done = run_kb(
        "search",
        "forest",
        "--backend",
        "meilisearch",
        "--url",
        f"http://127.0.0.1:{_free_port()}",
        "--api-key",
        "very-secret-key",
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot reach Meilisearch")
    assert "very-secret-key" not in done.stdout + done.stderr


def test_search_commands_do_not_import_heavy_libraries():
    code = (
        "import sys, cli.search, indexer.embedded; "
        "print(sorted(m for m in ('meilisearch', 'sphinx', 'sklearn', 'jsonschema', 'griffe') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_index_file_where_none_can_be_written_is_one_sentence(run_kb, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    index = tmp_path / "notes.txt" / "index.sqlite"
    done = run_kb("index", "--index-file", str(index), "--records", str(tmp_path / "none.json"))
    assert done.returncode == 1
    assert "cannot create the folder of the search index" in done.stderr
    assert "Traceback" not in done.stderr and (tmp_path / "notes.txt").read_text() == "mine"


def test_a_build_folder_where_none_can_be_written_is_one_sentence(run_kb, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = run_kb("build", "--no-examples", "--out", str(tmp_path / "notes.txt" / "site"))
    assert done.returncode == 1
    assert "cannot write the site to --out" in done.stderr
    assert done.stderr.strip().count("\n") == 0
