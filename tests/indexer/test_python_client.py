"""Meilisearch's official Python client (``meilisearch``), unchanged, against ``kb serve``.

Every call goes through the real client over HTTP to the ``meili_server`` fixture: ``kb
serve`` over the corpus, or a real Meilisearch when ``KB_MEILI_URL`` is set, so the same
assertions hold for both. Expected results are derived from the corpus records themselves
(which documents a filter selects, how many carry each facet value), not retyped. The
response bodies are also checked against the vendored OpenAPI spec of Meilisearch (the one
:mod:`indexer.openapi` reads); that part is skipped where the spec is absent.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlencode

import meilisearch
import pytest
from meilisearch.errors import MeilisearchApiError

from indexer.openapi import SPEC_CORRECTIONS, SPEC_PATH, spec_available, validate_request
from indexer.records import FILTERABLE_ATTRIBUTES, SEARCHABLE_ATTRIBUTES

ISOLATION_FOREST = "component-anomaly_isolation-forest"
SEASONAL_NAIVE = "component-forecasting_seasonal-naive"
NAIVE_GUIDE = "guide-choosing-a-forecaster-seasonality"
CROP_EXAMPLE = "example-anomaly-plot_isolation_forest"
EVERYTHING = 1000  # above the corpus size, within kb serve's and Meilisearch's limits

kb_serve_only = pytest.mark.skipif(
    bool(os.environ.get("KB_MEILI_URL")),
    reason="checks a promise of kb serve that a real Meilisearch answers differently",
)


@pytest.fixture(scope="module")
def client(meili_server) -> meilisearch.Client:
    url, api_key, _ = meili_server
    return meilisearch.Client(url, api_key or None)


@pytest.fixture(scope="module")
def uid(meili_server) -> str:
    return meili_server[2]


@pytest.fixture(scope="module")
def index(client, uid):
    return client.index(uid)


def ids(answer: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in answer["hits"]]


def all_ids(index, q: str, **options: Any) -> list[str]:
    """Every matching id, in rank order (one request: the corpus is small)."""
    return ids(index.search(q, {**options, "limit": EVERYTHING}))


def total(index, q: str, **options: Any) -> int:
    """The exhaustive number of matches (``totalHits`` of a paged search)."""
    return index.search(q, {**options, "hitsPerPage": 1})["totalHits"]


def quoted(value: str) -> str:
    return json.dumps(value)


def searchable_text(record) -> str:
    parts = []
    for attribute in SEARCHABLE_ATTRIBUTES:
        value = getattr(record, attribute)
        parts.extend(value if isinstance(value, list) else [value or ""])
    return "\n".join(parts).casefold()


# --- the server itself ---------------------------------------------------------------


def test_health_says_available(client):
    assert client.health() == {"status": "available"}
    assert client.is_healthy()


def test_version_names_a_package_version(client):
    version = client.get_version()
    assert isinstance(version["pkgVersion"], str)
    assert version["pkgVersion"]


def test_the_index_is_listed_with_its_primary_key(client, uid):
    listed = {index.uid: index for index in client.get_indexes()["results"]}
    assert uid in listed
    assert listed[uid].primary_key == "id"
    raw = client.get_raw_indexes()
    assert {"uid": uid, "primaryKey": "id"}.items() <= next(
        item for item in raw["results"] if item["uid"] == uid
    ).items()
    assert raw["total"] >= 1
    assert raw["offset"] == 0


def test_get_index_gives_uid_primary_key_and_dates(client, uid):
    index = client.get_index(uid)
    assert index.uid == uid
    assert index.primary_key == "id"
    assert index.created_at is not None
    assert index.updated_at is not None
    assert index.created_at <= index.updated_at


def test_settings_name_the_filterable_and_sortable_attributes(index):
    settings = index.get_settings()
    assert set(FILTERABLE_ATTRIBUTES) <= set(settings["filterableAttributes"])
    assert {"kind", "tasks"} <= set(settings["filterableAttributes"])
    assert {"title", "page_rank"} <= set(settings["sortableAttributes"])


def test_stats_count_every_record(client, index, uid, corpus):
    everything = client.get_all_stats()
    assert everything["indexes"][uid]["numberOfDocuments"] == len(corpus)
    stats = index.get_stats()
    assert stats.number_of_documents == len(corpus)
    assert stats.is_indexing is False
    assert stats.field_distribution.id == len(corpus)
    distribution = everything["indexes"][uid]["fieldDistribution"]
    assert distribution["id"] == distribution["title"] == distribution["kind"] == len(corpus)


# --- search ----------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["isolation forest", "isolaton forest"])
def test_isolation_forest_comes_first_even_with_a_typo(index, q):
    answer = index.search(q)
    assert answer["hits"][0]["id"] == ISOLATION_FOREST
    assert answer["query"] == q
    assert answer["hits"][0]["title"] == "Isolation forest detector"


def test_get_search_answers_like_post_search(client, index, uid):
    query = {"q": "isolation forest", "limit": 3, "filter": "kind = component"}
    answer = client.http.get(f"indexes/{uid}/search?{urlencode(query)}")
    assert ids(answer) == ids(index.search(query["q"], {"limit": 3, "filter": query["filter"]}))
    assert answer["hits"][0]["id"] == ISOLATION_FOREST
    assert answer["limit"] == 3


@pytest.mark.parametrize(
    ("expression", "keep"),
    [
        (
            "kind = component AND tasks = forecasting",
            lambda r: r.kind == "component" and "forecasting" in r.tasks,
        ),
        (
            "component_kind IN [model, metric] AND NOT maturity = experimental",
            lambda r: r.component_kind in ("model", "metric") and r.maturity != "experimental",
        ),
        (
            [["tasks = classification", '"tasks" = "anomaly-detection"'], "level = molecule"],
            lambda r: (
                {"classification", "anomaly-detection"} & set(r.tasks) and r.level == "molecule"
            ),
        ),
        (["kind = guide"], lambda r: r.kind == "guide"),
    ],
    ids=["string", "in-and-not", "array-or-and", "array-single"],
)
def test_filters_select_exactly_the_matching_records(index, corpus, expression, keep):
    expected = {record.id for record in corpus if keep(record)}
    assert expected, "the corpus should hold records for this filter"
    assert set(all_ids(index, "", filter=expression)) == expected
    assert total(index, "", filter=expression) == len(expected)


def test_a_filter_narrows_a_query(index, corpus):
    classification = {r.id for r in corpus if "classification" in r.tasks}
    found = all_ids(index, "forest", filter="tasks = classification")
    assert "component-classification_interval-forest" in found
    assert set(found) <= classification
    assert ISOLATION_FOREST not in found


@pytest.mark.parametrize("q", ["", "forest", "forecaster"])
def test_facet_counts_equal_the_totals_of_filtered_searches(index, corpus, q):
    answer = index.search(q, {"facets": ["kind", "tasks", "level"], "limit": 0})
    distribution = answer["facetDistribution"]
    assert set(distribution) == {"kind", "tasks", "level"}
    assert distribution["kind"], "the query should match something"
    for attribute, counts in distribution.items():
        for value, count in counts.items():
            assert count == total(index, q, filter=f"{attribute} = {quoted(value)}"), (
                attribute,
                value,
            )
    # kind is single-valued: its counts add up to the number of matches.
    assert sum(distribution["kind"].values()) == total(index, q)
    if q == "":
        assert distribution["kind"] == dict(Counter(r.kind for r in corpus))
        assert distribution["tasks"] == dict(Counter(t for r in corpus for t in r.tasks))


@pytest.mark.parametrize("q", ["", "forecaster"])
def test_pages_are_disjoint_and_cover_every_match(index, q):
    everything = all_ids(index, q)
    per_page = 7
    first = index.search(q, {"hitsPerPage": per_page, "page": 1})
    assert first["totalHits"] == len(everything)
    assert first["totalPages"] == math.ceil(len(everything) / per_page)
    assert first["totalPages"] >= 2
    seen: list[str] = []
    for page in range(1, first["totalPages"] + 1):
        answer = index.search(q, {"hitsPerPage": per_page, "page": page})
        assert answer["page"] == page
        assert answer["hitsPerPage"] == per_page
        assert answer["totalHits"] == first["totalHits"]
        assert answer["totalPages"] == first["totalPages"]
        assert "estimatedTotalHits" not in answer
        expected_size = min(per_page, len(everything) - (page - 1) * per_page)
        assert len(answer["hits"]) == expected_size
        seen += ids(answer)
    assert len(seen) == len(set(seen))
    assert seen == everything
    beyond = index.search(q, {"hitsPerPage": per_page, "page": first["totalPages"] + 1})
    assert beyond["hits"] == []
    assert beyond["totalHits"] == len(everything)


def test_limit_and_offset_give_consecutive_slices_and_an_estimated_total(index):
    everything = all_ids(index, "forecaster")
    assert len(everything) > 10
    first = index.search("forecaster", {"limit": 5, "offset": 0})
    second = index.search("forecaster", {"limit": 5, "offset": 5})
    assert (first["limit"], first["offset"]) == (5, 0)
    assert (second["limit"], second["offset"]) == (5, 5)
    assert ids(first) == everything[:5]
    assert ids(second) == everything[5:10]
    assert first["estimatedTotalHits"] == second["estimatedTotalHits"] == len(everything)
    assert "totalHits" not in first
    assert "totalPages" not in first


def test_sort_by_title_orders_titles_ignoring_case(index, corpus):
    # Meilisearch sorts strings by their bytes, uppercase as if lowercase.
    ascending = index.search("", {"sort": ["title:asc"], "limit": EVERYTHING})["hits"]
    assert len(ascending) == len(corpus)
    keys = [hit["title"].lower().encode() for hit in ascending]
    assert keys == sorted(keys)
    descending = index.search("", {"sort": ["title:desc"], "limit": EVERYTHING})["hits"]
    keys = [hit["title"].lower().encode() for hit in descending]
    assert keys == sorted(keys, reverse=True)


def test_sort_by_page_rank_descending_with_a_filter(index, corpus):
    hits = index.search(
        "", {"sort": ["page_rank:desc"], "filter": "kind = dataset", "limit": EVERYTHING}
    )["hits"]
    ranks = [hit["page_rank"] for hit in hits]
    assert len(ranks) == sum(r.kind == "dataset" for r in corpus)
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] > ranks[-1], "the datasets' ranks differ, so the order is visible"


def test_matching_strategy_all_keeps_only_records_with_every_word(index, corpus):
    words = ["forest", "window"]
    text = {record.id: searchable_text(record) for record in corpus}
    every = all_ids(index, " ".join(words), matchingStrategy="all")
    last = all_ids(index, " ".join(words), matchingStrategy="last")
    frequency = all_ids(index, " ".join(words), matchingStrategy="frequency")
    assert ISOLATION_FOREST in every
    for found in every:
        assert all(word in text[found] for word in words), found
    # Interval forest has "forest" but no "window": only the lenient strategies find it.
    assert "component-classification_interval-forest" in last
    assert "component-classification_interval-forest" not in every
    assert set(every) < set(last)
    assert set(every) <= set(frequency)
    # Records with every word rank before those with fewer, whatever the strategy.
    assert set(last[: len(every)]) == set(every)
    assert set(frequency[: len(every)]) == set(every)


def test_ranking_scores_lie_in_0_1_and_never_increase(index):
    hits = index.search("isolation forest", {"showRankingScore": True, "limit": 20})["hits"]
    assert hits[0]["id"] == ISOLATION_FOREST
    scores = [hit["_rankingScore"] for hit in hits]
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[-1]


def test_matches_positions_slice_the_field_to_the_matched_word(index):
    words = {"isolation", "forest", "isolationforest"}
    hits = index.search("isolation forest", {"showMatchesPosition": True, "limit": 5})["hits"]
    assert hits[0]["id"] == ISOLATION_FOREST
    assert {"title", "content"} <= set(hits[0]["_matchesPosition"])
    checked = 0
    for hit in hits:
        assert hit["_matchesPosition"], hit["id"]
        for attribute, positions in hit["_matchesPosition"].items():
            value = hit.get(attribute)
            if not isinstance(value, str):
                continue
            for position in positions:
                # Offsets are in bytes (the spec's MatchBounds); the corpus is ASCII anyway.
                raw = value.encode()[position["start"] : position["start"] + position["length"]]
                matched = re.sub(r"[\W_]", "", raw.decode().casefold())
                assert matched in words, (hit["id"], attribute, position, raw)
                checked += 1
    title = hits[0]["title"].encode()
    title_words = {
        title[p["start"] : p["start"] + p["length"]].decode()
        for p in hits[0]["_matchesPosition"]["title"]
    }
    assert title_words == {"Isolation", "forest"}
    assert checked >= 4


def test_attributes_to_search_on_restricts_the_match_to_titles(index, corpus):
    titled = {r.id for r in corpus if "naive" in r.title.casefold()}
    assert titled == {"component-forecasting_naive", SEASONAL_NAIVE}
    anywhere = set(all_ids(index, "naive"))
    assert NAIVE_GUIDE in anywhere, "the guide mentions naive only in its text"
    only_titles = all_ids(index, "naive", attributesToSearchOn=["title"])
    assert set(only_titles) == titled


@pytest.mark.parametrize("q", ["", "forest"])
def test_distinct_keeps_one_hit_per_kind(index, q):
    plain = index.search(q, {"limit": EVERYTHING})["hits"]
    hits = index.search(q, {"distinct": "kind", "limit": EVERYTHING})["hits"]
    kinds = [hit["kind"] for hit in hits]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) == {hit["kind"] for hit in plain}
    assert len(plain) > len(hits)


def test_highlight_tags_wrap_each_matched_word(index):
    hits = index.search(
        "isolation forest",
        {
            "attributesToHighlight": ["title"],
            "highlightPreTag": "<mark>",
            "highlightPostTag": "</mark>",
            "limit": 5,
        },
    )["hits"]
    assert hits[0]["id"] == ISOLATION_FOREST
    assert hits[0]["_formatted"]["title"] == "<mark>Isolation</mark> <mark>forest</mark> detector"
    for hit in hits:
        formatted = hit["_formatted"]["title"]
        assert re.sub(r"</?mark>", "", formatted) == hit["title"]
        assert "<em>" not in formatted


def test_crop_keeps_a_window_of_words_around_the_match(index, corpus):
    content = next(r.content for r in corpus if r.id == CROP_EXAMPLE)
    hits = index.search(
        "detector",
        {
            "filter": "kind = example",
            "attributesToCrop": ["content"],
            "cropLength": 4,
            "cropMarker": "[...]",
            "attributesToHighlight": ["content"],
            "highlightPreTag": "<b>",
            "highlightPostTag": "</b>",
        },
    )["hits"]
    assert ids({"hits": hits}) == [CROP_EXAMPLE]
    cropped = hits[0]["_formatted"]["content"]
    assert "<b>detector</b>" in cropped
    assert cropped.startswith("[...]") or cropped.endswith("[...]")
    inner = re.sub(r"</?b>", "", cropped).removeprefix("[...]").removesuffix("[...]")
    assert inner.strip() in content
    assert len(re.findall(r"\w+", inner)) <= 4
    assert hits[0]["content"] == content, "the document itself is not cropped"


# --- multi-search and facet search ------------------------------------------------------


def test_multi_search_answers_each_query_in_order(client, index, uid):
    queries = [
        {"indexUid": uid, "q": "isolation forest", "limit": 3},
        {"indexUid": uid, "q": "seasonal naive", "filter": "kind = component", "limit": 3},
    ]
    results = client.multi_search(queries)["results"]
    assert [result["indexUid"] for result in results] == [uid, uid]
    assert results[0]["hits"][0]["id"] == ISOLATION_FOREST
    assert results[1]["hits"][0]["id"] == SEASONAL_NAIVE
    assert ids(results[0]) == ids(index.search("isolation forest", {"limit": 3}))
    assert ids(results[1]) == ids(
        index.search("seasonal naive", {"filter": "kind = component", "limit": 3})
    )
    assert [result["query"] for result in results] == ["isolation forest", "seasonal naive"]


def test_federated_multi_search_merges_the_hits(client, uid):
    queries = [
        {"indexUid": uid, "q": "isolation forest"},
        {"indexUid": uid, "q": "seasonal naive"},
    ]
    answer = client.multi_search(queries, federation={})
    hits = answer["hits"]
    assert hits
    found = ids(answer)
    assert len(found) == len(set(found)), "a record found by both queries appears once"
    for hit in hits:
        assert hit["_federation"]["indexUid"] == uid
        assert hit["_federation"]["queriesPosition"] in (0, 1)
    position = {hit["id"]: hit["_federation"]["queriesPosition"] for hit in hits}
    assert position[ISOLATION_FOREST] == 0
    assert position[SEASONAL_NAIVE] == 1
    assert (answer["limit"], answer["offset"]) == (20, 0)
    assert answer["estimatedTotalHits"] >= len(hits)
    assert isinstance(answer["processingTimeMs"], int)


def test_facet_search_finds_forecasting_with_its_count(index, corpus):
    answer = index.facet_search("tasks", "fore")
    assert answer["facetQuery"] == "fore"
    assert [hit["value"] for hit in answer["facetHits"]] == ["forecasting"]
    count = answer["facetHits"][0]["count"]
    assert count == total(index, "", filter="tasks = forecasting")
    assert count == sum("forecasting" in r.tasks for r in corpus)


def test_facet_search_without_a_query_lists_every_value(index, corpus):
    answer = index.facet_search("tasks")
    counts = {hit["value"]: hit["count"] for hit in answer["facetHits"]}
    assert counts == dict(Counter(t for r in corpus for t in r.tasks))
    values = [hit["value"] for hit in answer["facetHits"]]
    assert values == sorted(values)


def test_facet_search_counts_within_a_query_and_a_filter(index):
    answer = index.facet_search("tasks", "anom", {"q": "forest", "filter": "kind = component"})
    assert [hit["value"] for hit in answer["facetHits"]] == ["anomaly-detection"]
    expected = all_ids(index, "forest", filter='kind = component AND tasks = "anomaly-detection"')
    assert ISOLATION_FOREST in expected
    assert answer["facetHits"][0]["count"] == len(expected)


# --- errors -------------------------------------------------------------------------------


def _error(call: Callable[[], Any]) -> MeilisearchApiError:
    with pytest.raises(MeilisearchApiError) as caught:
        call()
    return caught.value


def _assert_error_shape(error: MeilisearchApiError, status: int, code: str) -> None:
    assert (error.status_code, error.code) == (status, code), error.message
    assert error.type == "invalid_request"
    assert error.link == f"https://docs.meilisearch.com/errors#{code}"
    assert error.message


@pytest.mark.parametrize(
    "call",
    [
        lambda client, uid: client.get_index("no_such_index"),
        lambda client, uid: client.index("no_such_index").search("forest"),
        lambda client, uid: client.index("no_such_index").get_settings(),
        lambda client, uid: client.index("no_such_index").get_stats(),
        lambda client, uid: client.index("no_such_index").facet_search("tasks", "fore"),
        lambda client, uid: client.multi_search(
            [{"indexUid": uid, "q": "a"}, {"indexUid": "no_such_index", "q": "a"}]
        ),
    ],
    ids=["get-index", "search", "settings", "stats", "facet-search", "multi-search"],
)
def test_an_unknown_index_is_index_not_found(client, uid, call):
    error = _error(lambda: call(client, uid))
    _assert_error_shape(error, 404, "index_not_found")
    assert "no_such_index" in error.message


@pytest.mark.parametrize(
    ("options", "code", "named"),
    [
        ({"filter": "colour = red"}, "invalid_search_filter", "colour"),
        ({"filter": "kind = "}, "invalid_search_filter", ""),
        ({"filter": ["kind = component", "kind =="]}, "invalid_search_filter", ""),
        ({"sort": ["summary:asc"]}, "invalid_search_sort", "summary"),
        ({"facets": ["summary"]}, "invalid_search_facets", "summary"),
        ({"matchingStrategy": "sometimes"}, "invalid_search_matching_strategy", "matchingStrategy"),
        ({"distinct": "summary"}, "invalid_search_distinct", "summary"),
    ],
    ids=["unknown-attribute", "no-value", "array-form", "sort", "facets", "strategy", "distinct"],
)
def test_invalid_search_parameters_are_400_with_meilisearch_codes(index, options, code, named):
    error = _error(lambda: index.search("forest", options))
    _assert_error_shape(error, 400, code)
    assert named in error.message


def test_an_unknown_search_parameter_is_400_naming_it(index):
    error = _error(lambda: index.search("forest", {"colourScheme": "dark"}))
    assert error.status_code == 400
    assert "colourScheme" in error.message
    assert error.type == "invalid_request"
    assert error.code


def test_a_facet_search_on_an_unfilterable_attribute_is_refused(index):
    error = _error(lambda: index.facet_search("summary", "iso"))
    _assert_error_shape(error, 400, "invalid_facet_search_facet_name")
    assert "summary" in error.message


@kb_serve_only
def test_an_unimplemented_search_parameter_is_refused_by_name(index):
    error = _error(lambda: index.search("forest", {"vector": [0.1, 0.2, 0.3]}))
    assert 400 <= error.status_code < 500
    assert "vector" in error.message
    assert error.type == "invalid_request"


@kb_serve_only
def test_the_authorization_header_is_ignored(meili_server):
    url, _, uid = meili_server
    stranger = meilisearch.Client(url, "not-a-key-kb-serve-knows")
    assert stranger.index(uid).search("isolation forest")["hits"][0]["id"] == ISOLATION_FOREST


# --- the OpenAPI spec -------------------------------------------------------------------


@cache
def _spec() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    spec["components"]["schemas"].update(SPEC_CORRECTIONS)
    return spec


def spec_problems(
    method: str, path: str, request: Any, answer: Any, schema: str | None = None
) -> list[str]:
    """What the spec finds wrong with a request and its 200 answer (``[]`` when nothing).

    The answer is checked against the operation's documented 200 schema, or against the
    component ``schema`` where the spec's operation documents another form (it documents
    only the federated answer of ``/multi-search``; ``SearchResults`` is the other one).
    """
    from jsonschema import Draft202012Validator

    template = validate_request(method, path, request)  # raises on an invalid request
    if schema is None:
        response = _spec()["paths"][template][method.lower()]["responses"]["200"]
        target = response["content"]["application/json"]["schema"]
    else:
        target = {"$ref": f"#/components/schemas/{schema}"}
    validator = Draft202012Validator({"components": _spec()["components"], **target})
    return [
        f"{method} {template}: {'.'.join(map(str, error.absolute_path)) or '(body)'}: "
        f"{error.message[:300]}"
        for error in sorted(validator.iter_errors(answer), key=lambda e: list(e.absolute_path))
    ]


def _search(body: dict[str, Any]) -> Callable[[meilisearch.Client, str], tuple]:
    def call(client, uid):
        rest = {key: value for key, value in body.items() if key != "q"}
        answer = client.index(uid).search(body["q"], rest)
        return "POST", f"indexes/{uid}/search", body, answer, None

    return call


def _get(path: str) -> Callable[[meilisearch.Client, str], tuple]:
    def call(client, uid):
        concrete = path.format(uid=uid)
        return "GET", concrete, None, client.http.get(concrete), None

    return call


def _multi(federation: dict[str, Any] | None) -> Callable[[meilisearch.Client, str], tuple]:
    def call(client, uid):
        queries = [
            {"indexUid": uid, "q": "isolation forest", "showRankingScore": True},
            {"indexUid": uid, "q": "naive", "filter": "kind = component"},
        ]
        if federation is None:  # a federated search pages in `federation`, not per query
            queries[1]["limit"] = 2
        body = {"queries": queries, "federation": federation}
        answer = client.multi_search(queries, federation=federation)
        return "POST", "multi-search", body, answer, "SearchResults" if federation is None else None

    return call


def _facets(
    name: str, query: str | None, **options: Any
) -> Callable[[meilisearch.Client, str], tuple]:
    def call(client, uid):
        body = {"facetName": name, "facetQuery": query, **options}
        answer = client.index(uid).facet_search(name, query, options)
        return "POST", f"indexes/{uid}/facet-search", body, answer, None

    return call


SPEC_CASES: dict[str, Callable[[meilisearch.Client, str], tuple]] = {
    "search": _search({"q": "isolaton forest"}),
    "search-placeholder": _search({"q": ""}),
    "search-pages": _search({"q": "forecaster", "hitsPerPage": 5, "page": 2}),
    "search-offset": _search({"q": "forecaster", "limit": 5, "offset": 5}),
    "search-filter-facets": _search(
        {"q": "", "filter": [["tasks = forecasting"], "kind = component"], "facets": ["tasks"]}
    ),
    "search-sort": _search({"q": "", "sort": ["title:asc", "page_rank:desc"]}),
    "search-strategy": _search({"q": "forest window", "matchingStrategy": "all"}),
    "search-score-and-positions": _search(
        {"q": "isolation forest", "showRankingScore": True, "showMatchesPosition": True}
    ),
    "search-on-titles-distinct": _search(
        {"q": "naive", "attributesToSearchOn": ["title"], "distinct": "kind"}
    ),
    "search-formatted": _search(
        {
            "q": "isolation forest",
            "attributesToHighlight": ["title"],
            "attributesToCrop": ["content"],
            "cropLength": 5,
            "cropMarker": "[...]",
            "highlightPreTag": "<mark>",
            "highlightPostTag": "</mark>",
            "attributesToRetrieve": ["id", "title", "content"],
        }
    ),
    "search-get": _get("indexes/{uid}/search?q=isolation+forest&limit=3"),
    "multi-search": _multi(None),
    "multi-search-federated": _multi({}),
    "multi-search-federated-paged": _multi({"hitsPerPage": 3, "page": 1}),
    "facet-search": _facets("tasks", "fore"),
    "facet-search-everything": _facets("tasks", None),
    "facet-search-q-filter": _facets("tasks", "anom", q="forest", filter="kind = component"),
    "health": _get("health"),
    "version": _get("version"),
    "stats": _get("stats"),
    "indexes": _get("indexes"),
    "index": _get("indexes/{uid}"),
    "settings": _get("indexes/{uid}/settings"),
    "index-stats": _get("indexes/{uid}/stats"),
}


@pytest.mark.skipif(
    not spec_available(),
    reason=f"the Meilisearch OpenAPI spec is not at {SPEC_PATH} (../shared/vendor/, or set "
    "KB_MEILI_OPENAPI); it is read from there, never copied into the repository",
)
@pytest.mark.parametrize("case", list(SPEC_CASES))
def test_answers_match_the_openapi_spec(client, uid, case):
    method, path, request, answer, schema = SPEC_CASES[case](client, uid)
    assert spec_problems(method, path, request, answer, schema) == []


@pytest.mark.skipif(
    not spec_available(),
    reason=f"the Meilisearch OpenAPI spec is not at {SPEC_PATH}",
)
@pytest.mark.parametrize(
    "call",
    [
        lambda index: index.search("forest", {"filter": "colour = red"}),
        lambda index: index.search("forest", {"colourScheme": "dark"}),
        lambda index: index.facet_search("summary", "iso"),
    ],
    ids=["bad-filter", "unknown-parameter", "facet-name"],
)
def test_error_bodies_match_the_openapi_spec(index, call):
    from jsonschema import Draft202012Validator

    error = _error(lambda: call(index))
    body = {"message": error.message, "code": error.code, "type": error.type, "link": error.link}
    schema = {"components": _spec()["components"], "$ref": "#/components/schemas/ResponseError"}
    problems = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert problems == [], body
