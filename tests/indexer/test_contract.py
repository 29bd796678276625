"""One contract for every backend: the embedded one always, Meilisearch when KB_MEILI_URL is set."""

from __future__ import annotations

import pytest

from indexer.backend import SearchRequest
from indexer.filters import FilterError

ISOLATION_FOREST = "component-anomaly_isolation-forest"


def ids(answer: dict) -> list[str]:
    return [hit["id"] for hit in answer["hits"]]


@pytest.mark.parametrize("query", ["anomaly isolation forest", "isolaton forest", "anomaly isol"])
def test_isolation_forest_component_comes_first(backend, query):
    assert ids(backend.search(SearchRequest(q=query)))[0] == ISOLATION_FOREST


def test_isolation_forest_example_is_in_the_top_three(backend):
    top = ids(backend.search(SearchRequest(q="anomaly isolation forest", limit=3)))
    assert "example-anomaly-plot_isolation_forest" in top


def test_hits_carry_the_fields_a_front_end_needs(backend):
    for hit in backend.search(SearchRequest(q="forecast", limit=50))["hits"]:
        assert {"id", "kind", "title", "url", "tasks", "level"} <= set(hit)


def test_transposition_is_one_typo_but_a_first_letter_typo_counts_double(backend):
    assert ISOLATION_FOREST in ids(backend.search(SearchRequest(q="forset", limit=50)))
    assert ISOLATION_FOREST not in ids(backend.search(SearchRequest(q="porest", limit=50)))


def test_words_under_five_letters_allow_no_typo(backend):
    assert ISOLATION_FOREST in ids(backend.search(SearchRequest(q="trees ", limit=50)))
    assert ISOLATION_FOREST not in ids(backend.search(SearchRequest(q="tres ", limit=50)))


def test_only_the_last_word_is_a_prefix(backend):
    assert ISOLATION_FOREST in ids(backend.search(SearchRequest(q="isol")))
    assert ISOLATION_FOREST not in ids(backend.search(SearchRequest(q="isol ")))


def test_filter_keeps_only_matching_records(backend):
    answer = backend.search(
        SearchRequest(q="", filter="tasks = forecasting AND NOT kind = guide", limit=1000)
    )
    assert answer["hits"]
    assert all("forecasting" in hit["tasks"] and hit["kind"] != "guide" for hit in answer["hits"])


def test_in_and_or_filters_agree(backend):
    with_in = backend.search(SearchRequest(filter="level IN [atom, molecule]", limit=1000))
    with_or = backend.search(SearchRequest(filter="level = atom OR level = molecule", limit=1000))
    assert sorted(ids(with_in)) == sorted(ids(with_or))
    assert {hit["level"] for hit in with_in["hits"]} == {"atom", "molecule"}


def test_facet_counts_match_the_hits(backend):
    answer = backend.search(SearchRequest(q="anomaly", facets=["kind", "tasks"], limit=1000))
    kinds: dict[str, int] = {}
    for hit in answer["hits"]:
        kinds[hit["kind"]] = kinds.get(hit["kind"], 0) + 1
    assert answer["facetDistribution"]["kind"] == kinds
    assert answer["estimatedTotalHits"] == len(answer["hits"])


def test_placeholder_search_returns_every_record(backend, corpus):
    answer = backend.search(SearchRequest(q="", limit=1000))
    assert sorted(ids(answer)) == sorted(r.id for r in corpus)


def test_pages_do_not_overlap(backend):
    first = ids(backend.search(SearchRequest(q="series", limit=3)))
    second = ids(backend.search(SearchRequest(q="series", limit=3, offset=3)))
    whole = ids(backend.search(SearchRequest(q="series", limit=6)))
    assert first + second == whole


def test_matches_are_highlighted(backend):
    answer = backend.search(
        SearchRequest(
            q="isolation", filter="kind = component", attributesToHighlight=["title"], limit=1
        )
    )
    assert "<em>Isolation</em>" in answer["hits"][0]["_formatted"]["title"]


def test_long_content_is_cropped_around_the_match(backend):
    answer = backend.search(
        SearchRequest(q="trees", attributesToCrop=["content"], cropLength=5, limit=1)
    )
    assert len(answer["hits"][0]["_formatted"]["content"].split()) <= 7


@pytest.mark.parametrize(
    "expression", ["colour = red", "tasks = ", "(kind = guide", "kind IN [a", "page_rank > 3"]
)
def test_bad_filters_are_a_clear_error(backend, expression):
    with pytest.raises(FilterError, match="filter"):
        backend.search(SearchRequest(q="forest", filter=expression))
