"""Meilisearch's official JavaScript client, run unchanged in Node, against ``meili_server``.

``tests/clients/js_client_suite.mjs`` makes every call once (health, version, stats,
indexes, settings, search by POST and GET, multi-search plain and federated, facet search)
and prints what the client returned or raised; each test here checks one part of that
against the corpus the server holds. A call the server answers wrongly fails its test
with the request and the answer, as the client saw them.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from indexer.openapi import SPEC_CORRECTIONS, SPEC_PATH, spec_available
from indexer.records import FILTERABLE_ATTRIBUTES, SEARCHABLE_ATTRIBUTES

CLIENTS = Path(__file__).resolve().parents[1] / "clients"
SUITE = CLIENTS / "js_client_suite.mjs"

pytestmark = pytest.mark.slow
if not shutil.which("node"):
    pytest.skip(
        "needs Node.js >= 20.19 and npm for Meilisearch's JavaScript client, then `make npm`",
        allow_module_level=True,
    )
if not (CLIENTS / "node_modules" / "meilisearch").is_dir():
    pytest.skip("needs the npm packages of tests/clients: run `make npm`", allow_module_level=True)

ISOLATION_FOREST = "component-anomaly_isolation-forest"
SEASONALITY = "guide-choosing-a-forecaster-seasonality"
PAGE = 7  # hitsPerPage of the suite's pagination calls
# A word of the query "isolation forest" in a text: the last word matches as a prefix too.
QUERY_WORD = re.compile(r"(?<![a-z0-9])(isolation(?![a-z0-9])|forest)", re.IGNORECASE)


@pytest.fixture(scope="module")
def calls(meili_server) -> dict:
    """Every call of the suite by name: ``{method, args, result}`` or ``{..., error}``."""
    url, api_key, index_uid = meili_server
    done = subprocess.run(
        ["node", str(SUITE), url, api_key, index_uid],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=CLIENTS,
    )
    assert done.returncode == 0, f"the suite itself failed: {done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    assert report["indexUid"] == index_uid
    return report["calls"]


def answer(calls: dict, name: str) -> dict:
    """The result of a call that must succeed; its request and error when it did not."""
    call = calls[name]
    if "error" in call:
        error = call["error"]
        pytest.fail(
            f"{call['method']}{tuple(call['args'])} raised {error['name']} "
            f"(HTTP {error['status']}): {json.dumps(error['body'] or error)}"
        )
    return call["result"]


def failure(calls: dict, name: str) -> dict:
    """The error of a call that must fail; the result when it did not."""
    call = calls[name]
    if "error" not in call:
        pytest.fail(
            f"{call['method']}{tuple(call['args'])} succeeded where Meilisearch answers an "
            f"error: {json.dumps(call['result'])[:1000]}"
        )
    return call["error"]


def ids(result: dict) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


def matched_slices(hit: dict) -> dict[str, list[str]]:
    """Per attribute, the text each ``_matchesPosition`` entry points at (byte offsets)."""
    slices: dict[str, list[str]] = {}
    for attribute, bounds in hit["_matchesPosition"].items():
        value = hit[attribute]
        for bound in bounds:
            if isinstance(value, list):
                candidates = [value[i] for i in bound.get("indices") or range(len(value))]
            else:
                candidates = [value]
            for text in candidates:
                raw = text.encode()[bound["start"] : bound["start"] + bound["length"]]
                slices.setdefault(attribute, []).append(raw.decode(errors="replace"))
    return slices


def points_at(fragment: str, words: tuple[str, ...]) -> bool:
    """A match is the query word, or the word it is a prefix of, or the typed prefix."""
    fragment = fragment.casefold()
    return any(
        fragment.startswith(word) or (fragment and word.startswith(fragment)) for word in words
    )


def strip_tags(text: str, pre: str, post: str) -> str:
    return text.replace(pre, "").replace(post, "")


# --- the instance and its index --------------------------------------------------------


def test_health_version_and_stats_describe_the_instance(calls, meili_server, corpus):
    _, _, uid = meili_server
    assert answer(calls, "health") == {"status": "available"}
    version = answer(calls, "version")
    assert isinstance(version["pkgVersion"], str) and version["pkgVersion"]
    stats = answer(calls, "stats")
    assert stats["indexes"][uid]["numberOfDocuments"] == len(corpus)
    index_stats = answer(calls, "indexStats")
    assert index_stats["numberOfDocuments"] == len(corpus)
    assert index_stats["fieldDistribution"]["id"] == len(corpus)
    assert index_stats["fieldDistribution"]["title"] == len(corpus)


def test_indexes_are_listed_and_fetched_by_uid(calls, meili_server):
    _, _, uid = meili_server
    listed = answer(calls, "indexes")
    assert uid in [index["uid"] for index in listed["results"]]
    assert listed["total"] >= 1
    paged = answer(calls, "rawIndexesPaged")
    assert (paged["limit"], paged["offset"]) == (1, 0) and len(paged["results"]) == 1
    index = answer(calls, "getIndex")
    assert index["uid"] == uid and index["primaryKey"] == "id"
    assert index["createdAt"] and index["updatedAt"], "the client parsed no dates: " + str(index)
    raw = answer(calls, "rawIndex")
    assert raw["uid"] == uid and raw["primaryKey"] == "id"
    missing = failure(calls, "missingIndex")
    assert missing["status"] == 404 and missing["body"]["code"] == "index_not_found"


def test_settings_name_what_is_searched_filtered_and_sorted(calls):
    settings = answer(calls, "settings")
    assert set(FILTERABLE_ATTRIBUTES) <= set(settings["filterableAttributes"])
    assert {"page_rank", "title"} <= set(settings["sortableAttributes"])
    assert settings["searchableAttributes"][: len(SEARCHABLE_ATTRIBUTES)] == list(
        SEARCHABLE_ATTRIBUTES
    )


# --- search ----------------------------------------------------------------------------


def test_search_ranks_the_isolation_forest_first_even_with_a_typo(calls):
    basic = answer(calls, "basic")
    assert basic["query"] == "isolation forest"
    assert ids(basic)[0] == ISOLATION_FOREST
    assert {
        "component-anomaly_scaled-isolation-forest",
        "example-anomaly-plot_isolation_forest",
    } <= set(ids(basic)[:5])
    assert (basic["limit"], basic["offset"]) == (20, 0)
    assert ids(answer(calls, "typo"))[0] == ISOLATION_FOREST


def test_filters_keep_exactly_the_matching_records(calls, corpus):
    filtered = answer(calls, "filtered")
    expected = {r.id for r in corpus if "anomaly-detection" in r.tasks}
    assert set(ids(filtered)) == expected and filtered["totalHits"] == len(expected)
    either = answer(calls, "filterArray")
    expected = {
        r.id
        for r in corpus
        if r.kind == "component" and {"forecasting", "classification"} & set(r.tasks)
    }
    assert set(ids(either)) == expected and either["totalHits"] == len(expected)


@pytest.mark.parametrize("q", ["", "forest"])
def test_facet_counts_agree_with_filtered_searches(calls, corpus, q):
    distribution = answer(calls, f"facets:{q}")["facetDistribution"]
    assert set(distribution) == {"tasks", "kind", "level"}
    assert distribution["tasks"], "no task counted"
    for task, count in distribution["tasks"].items():
        assert answer(calls, f"facetValue:{q}:{task}")["totalHits"] == count, task
    if not q:  # the placeholder search counts the whole corpus
        assert distribution["tasks"] == dict(Counter(t for r in corpus for t in r.tasks))
        assert distribution["kind"] == dict(Counter(r.kind for r in corpus))


def test_numbered_pages_partition_the_results(calls, corpus):
    everything = answer(calls, "pageAll")
    assert sorted(ids(everything)) == sorted(r.id for r in corpus)
    first, second = answer(calls, "page:1"), answer(calls, "page:2")
    total, pages = len(corpus), math.ceil(len(corpus) / PAGE)
    for number, page in enumerate([first, second], start=1):
        assert (page["page"], page["hitsPerPage"]) == (number, PAGE)
        assert (page["totalHits"], page["totalPages"]) == (total, pages)
        assert "estimatedTotalHits" not in page and "offset" not in page
        assert len(page["hits"]) == PAGE
    assert not set(ids(first)) & set(ids(second))
    last = answer(calls, "page:last")
    assert last["page"] == pages and len(last["hits"]) == total - PAGE * (pages - 1)
    assert not set(ids(last)) & (set(ids(first)) | set(ids(second)))
    beyond = answer(calls, "page:beyond")
    assert beyond["hits"] == [] and beyond["totalHits"] == total and beyond["page"] == pages + 1
    window = answer(calls, "offsetLimit")
    assert (window["offset"], window["limit"], window["estimatedTotalHits"]) == (PAGE, PAGE, total)
    assert "totalHits" not in window and ids(window) == ids(second)


def test_sort_orders_by_title_and_by_page_rank(calls, corpus):
    def normalized(title: str) -> str:  # Meilisearch sorts strings on its lowercased facet value
        return title.casefold()

    ascending = [hit["title"] for hit in answer(calls, "sort:title:asc")["hits"]]
    assert len(ascending) == len(corpus)
    assert ascending == sorted(ascending, key=normalized)
    descending = [hit["title"] for hit in answer(calls, "sort:title:desc")["hits"]]
    assert descending == ascending[::-1]
    ranked = [(hit["page_rank"], hit["title"]) for hit in answer(calls, "sort:page_rank")["hits"]]
    assert ranked == sorted(ranked, key=lambda pair: (-pair[0], normalized(pair[1])))
    assert ranked[0][0] > ranked[-1][0]


def test_ranking_scores_lie_in_the_unit_interval_and_never_increase(calls):
    hits = answer(calls, "rankingScore")["hits"]
    assert hits[0]["id"] == ISOLATION_FOREST
    scores = [hit["_rankingScore"] for hit in hits]
    assert all(isinstance(score, float | int) and 0 <= score <= 1 for score in scores), scores
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[-1], "every hit scored alike"


def test_matches_position_points_at_the_query_words(calls):
    hits = answer(calls, "matchesPosition")["hits"]
    assert hits[0]["id"] == ISOLATION_FOREST
    for hit in hits:
        slices = matched_slices(hit)
        assert slices, f"{hit['id']} has no match position"
        for attribute, fragments in slices.items():
            for fragment in fragments:
                assert points_at(fragment, ("isolation", "forest")), (
                    hit["id"],
                    attribute,
                    fragment,
                )
    title = matched_slices(hits[0])["title"]
    assert [fragment.casefold() for fragment in title] == ["isolation", "forest"]


def test_highlight_and_crop_mark_the_query_words(calls):
    hits = answer(calls, "highlightCrop")["hits"]
    first = hits[0]
    assert first["id"] == ISOLATION_FOREST
    formatted = first["_formatted"]
    assert formatted["title"] == "<mark>Isolation</mark> <mark>forest</mark> detector"
    assert formatted["id"] == first["id"]  # _formatted carries every retrieved attribute
    assert strip_tags(formatted["summary"], "<mark>", "</mark>") == first["summary"]
    for hit in hits:  # the crop is a window of 8 words around the best match
        crop = hit["_formatted"]["content"]
        words = re.findall(r"\w+", strip_tags(crop.replace("[…]", " "), "<mark>", "</mark>"))
        assert 0 < len(words) <= 8, crop
        if len(re.findall(r"\w+", hit["content"])) > 8:
            assert "[…]" in crop, crop
        if QUERY_WORD.search(hit["content"]):
            assert "<mark>" in crop, (hit["id"], crop)


def test_highlighting_every_attribute_changes_no_text(calls):
    hits = answer(calls, "highlightAll")["hits"]
    assert "<em>Isolation</em>" in hits[0]["_formatted"]["title"]
    for hit in hits:
        for attribute, value in hit.items():
            if attribute.startswith("_") or not isinstance(value, str):
                continue
            assert strip_tags(hit["_formatted"][attribute], "<em>", "</em>") == value, attribute


def test_crop_length_bounds_the_cropped_text(calls):
    for hit in answer(calls, "cropLength")["hits"]:
        crop = hit["_formatted"]["content"]
        words = re.findall(r"\w+", strip_tags(crop.replace("…", " "), "<em>", "</em>"))
        assert 0 < len(words) <= 6, crop
        assert "…" in crop or len(re.findall(r"\w+", hit["content"])) <= 6, crop
        if re.search(r"(?<![a-z0-9])isolation", hit["content"], re.IGNORECASE):
            # cropped around the match even where nothing is highlighted
            assert "isolation" in crop.casefold(), (hit["id"], crop)


def test_retrieve_and_search_on_restrict_the_attributes(calls, corpus):
    for hit in answer(calls, "retrieve")["hits"]:
        assert set(hit) == {"id", "title"}
    expected = {
        r.id
        for r in corpus
        if any(w.startswith("forest") for w in re.findall(r"\w+", r.title.lower()))
    }
    assert set(ids(answer(calls, "searchOn"))) == expected


def test_distinct_keeps_one_hit_per_kind(calls, corpus):
    distinct = answer(calls, "distinct")
    kinds = [hit["kind"] for hit in distinct["hits"]]
    assert sorted(kinds) == sorted({r.kind for r in corpus})
    assert distinct["totalHits"] == len(kinds)


def test_matching_strategy_decides_which_words_a_hit_may_drop(calls):
    assert ids(answer(calls, "strategy:last:nonsense"))[0] == ISOLATION_FOREST
    nothing = answer(calls, "strategy:all:nonsense")
    assert nothing["hits"] == [] and nothing["estimatedTotalHits"] == 0

    def words_matched(result: dict) -> list[set[str]]:
        found = []
        for hit in result["hits"]:
            fragments = [f for fs in matched_slices(hit).values() for f in fs]
            found.append(
                {w for w in ("series", "isolation") if any(points_at(f, (w,)) for f in fragments)}
            )
        return found

    both = answer(calls, "strategy:all")
    assert both["hits"] and all(m == {"series", "isolation"} for m in words_matched(both))
    last = answer(calls, "strategy:last")  # drops "isolation", the last word: any series
    assert all("series" in m for m in words_matched(last))
    frequency = answer(calls, "strategy:frequency")  # drops "series", the most frequent word
    assert all("isolation" in m for m in words_matched(frequency))
    assert both["totalHits"] <= frequency["totalHits"] < last["totalHits"]


def test_search_by_get_answers_as_search_by_post(calls):
    by_get, by_post = answer(calls, "searchGet"), answer(calls, "searchPost")
    volatile = {"processingTimeMs", "requestUid"}
    assert {k: v for k, v in by_get.items() if k not in volatile} == {
        k: v for k, v in by_post.items() if k not in volatile
    }
    assert by_post["hits"] and all("anomaly-detection" in hit["tasks"] for hit in by_post["hits"])
    assert set(by_post["facetDistribution"]["tasks"]) == {"anomaly-detection"}
    assert all(0 <= hit["_rankingScore"] <= 1 for hit in by_post["hits"])


# --- multi-search and facet search -----------------------------------------------------


def test_multi_search_answers_each_query_in_order(calls, meili_server):
    _, _, uid = meili_server
    results = answer(calls, "multi")["results"]
    assert [result["indexUid"] for result in results] == [uid] * 3
    assert ids(results[0]) == ids(answer(calls, "basic"))[:3]
    assert results[1]["totalHits"] == answer(calls, "facetValue::forecasting")["totalHits"]
    assert ids(results[2])[0] == SEASONALITY
    assert results[2]["facetDistribution"]["tasks"]["forecasting"] >= 1


def test_federated_search_merges_the_queries_into_one_list(calls, meili_server):
    _, _, uid = meili_server
    federated = answer(calls, "federated")
    assert "results" not in federated
    assert (federated["limit"], federated["offset"]) == (20, 0)
    hits = federated["hits"]
    assert 0 < len(hits) <= federated["estimatedTotalHits"]
    origins = [hit["_federation"] for hit in hits]
    assert all(origin["indexUid"] == uid for origin in origins)
    assert {origin["queriesPosition"] for origin in origins} == {0, 1}
    first_of = {}
    for hit in hits:
        first_of.setdefault(hit["_federation"]["queriesPosition"], hit["id"])
    assert first_of == {0: ISOLATION_FOREST, 1: SEASONALITY}
    if "weightedRankingScore" in origins[0]:
        scores = [origin["weightedRankingScore"] for origin in origins]
        assert scores == sorted(scores, reverse=True)
    weighted = answer(calls, "federatedWeighted")
    assert weighted["limit"] == 5 and 0 < len(weighted["hits"]) <= 5
    top = weighted["hits"][0]
    assert (top["id"], top["_federation"]["queriesPosition"]) == (SEASONALITY, 1)


def test_facet_search_finds_forecasting_with_its_count(calls, corpus):
    found = answer(calls, "facetSearch")
    forecasting = answer(calls, "facetValue::forecasting")["totalHits"]
    assert found["facetHits"] == [{"value": "forecasting", "count": forecasting}]
    assert forecasting == sum(1 for r in corpus if "forecasting" in r.tasks)
    assert found["facetQuery"] == "fore"
    every = {hit["value"]: hit["count"] for hit in answer(calls, "facetSearchAll")["facetHits"]}
    assert every == answer(calls, "facets:")["facetDistribution"]["tasks"]
    within = answer(calls, "facetSearchFiltered")["facetHits"]
    twin = answer(calls, "facetSearchFilteredTwin")["facetDistribution"]["kind"]
    assert {hit["value"]: hit["count"] for hit in within} == twin and twin


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("error:filter", 400, "invalid_search_filter"),
        ("error:sort", 400, "invalid_search_sort"),
        ("error:unknownParameter", 400, "bad_request"),
        ("error:facetName", 400, "invalid_facet_search_facet_name"),
        ("error:missingIndexSearch", 404, "index_not_found"),
        ("missingIndex", 404, "index_not_found"),
    ],
)
def test_errors_reach_the_client_with_meilisearch_codes(calls, name, status, code):
    error = failure(calls, name)
    assert error["name"] == "MeilisearchApiError", error
    assert (error["status"], error["body"]["code"]) == (status, code), error
    assert error["body"]["type"] == "invalid_request"
    assert error["message"] == error["body"]["message"] and error["message"]
    assert error["body"]["link"].startswith("https://docs.meilisearch.com/errors#")


# --- shapes, against the vendored OpenAPI spec ----------------------------------------

SCHEMAS = {
    "health": "HealthResponse",
    "version": "VersionResponse",
    "stats": "Stats",
    "indexStats": "IndexStats",
    "rawIndexesPaged": "PaginationView_IndexView",
    "rawIndex": "IndexView",
    "settings": "Settings_Unchecked",
    "basic": "SearchResult",
    "page:1": "SearchResult",
    "rankingScore": "SearchResult",
    "matchesPosition": "SearchResult",
    "highlightCrop": "SearchResult",
    "distinct": "SearchResult",
    "searchGet": "SearchResult",
    "facets:": "SearchResult",
    "multi": "SearchResults",
    "federated": "FederatedSearchResult",
    "offsetLimit": "SearchResult",
    "page:beyond": "SearchResult",
    "highlightAll": "SearchResult",
    "strategy:frequency": "SearchResult",
    "facetSearch": "FacetSearchResult",
    "facetSearchAll": "FacetSearchResult",
    "federatedWeighted": "FederatedSearchResult",
    "error:filter": "ResponseError",
    "error:sort": "ResponseError",
    "error:unknownParameter": "ResponseError",
    "error:facetName": "ResponseError",
    "error:missingIndexSearch": "ResponseError",
    "missingIndex": "ResponseError",
}


@cache
def _validator(schema: str):
    from jsonschema import Draft202012Validator

    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    spec["components"]["schemas"].update(SPEC_CORRECTIONS)
    return Draft202012Validator(
        {"components": spec["components"], "$ref": f"#/components/schemas/{schema}"}
    )


@pytest.mark.skipif(not spec_available(), reason=f"needs Meilisearch's OpenAPI spec at {SPEC_PATH}")
@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_answers_match_the_openapi_schemas(calls, name):
    schema = SCHEMAS[name]
    validator = _validator(schema)
    value = failure(calls, name)["body"] if schema == "ResponseError" else answer(calls, name)
    problems = [
        f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
        for e in validator.iter_errors(value)
    ]
    assert not problems, (
        f"{calls[name]['method']}{tuple(calls[name]['args'])} vs {schema}: {problems}"
    )
