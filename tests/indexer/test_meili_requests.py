"""Every request the Meilisearch backend sends is valid for the published OpenAPI spec."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.backend import MAX_LIMIT, SearchRequest
from indexer.filters import FilterError
from indexer.meili import MeilisearchBackend, search_body, settings_body, swap_body
from indexer.openapi import (
    SPEC_PATH,
    RequestContractError,
    spec_available,
    spec_version,
    validate_request,
)

pytestmark = pytest.mark.skipif(
    not spec_available(),
    reason=f"the Meilisearch OpenAPI spec is not at {SPEC_PATH} (../shared/vendor/, or set "
    "KB_MEILI_OPENAPI); it is read from there, never copied into the repository",
)


def test_the_vendored_spec_is_meilisearch_1_53():
    assert spec_version() == "1.53.0"


def test_settings_swap_and_index_creation_bodies_are_valid():
    assert validate_request("PATCH", "indexes/atomkb/settings", settings_body())
    assert validate_request("POST", "swap-indexes", swap_body("atomkb", "atomkb_build_1"))
    assert validate_request("POST", "indexes", {"uid": "atomkb_build_1", "primaryKey": "id"})


def test_document_batches_are_valid(catalog_records):
    backend_documents = MeilisearchBackend("http://127.0.0.1:9")._documents(catalog_records)
    assert validate_request("POST", "indexes/atomkb/documents?primaryKey=id", backend_documents)
    assert validate_request(
        "POST", "indexes/atomkb/documents/fetch", {"offset": 0, "limit": 1000, "fields": ["id"]}
    )
    assert validate_request("POST", "indexes/atomkb/documents/delete-batch", ["a", "b"])


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("POST", "indexes/atomkb/search", {"q": "x", "limit": "ten"}, "body.limit"),
        ("POST", "indexes/atomkb/search", {"q": 5}, "body.q"),
        ("POST", "indexes/atomkb/search", {"facets": "kind"}, "body.facets"),
        ("PATCH", "indexes/atomkb/settings", {"rankingRules": "words"}, "body.rankingRules"),
        ("POST", "swap-indexes", {"indexes": ["a", "b"]}, "body"),
        ("POST", "indexes/atomkb/searches", {"q": "x"}, "expected an operation"),
    ],
)
def test_invalid_requests_are_refused_with_the_field(method, path, body, message):
    with pytest.raises(RequestContractError, match=message):
        validate_request(method, path, body)


@settings(max_examples=200, deadline=None)
@given(
    q=st.text(max_size=60),
    limit=st.integers(0, MAX_LIMIT),
    offset=st.integers(0, 1000),
    crop=st.integers(1, 200),
    facets=st.none() | st.lists(st.sampled_from(["kind", "tasks", "tags", "*"]), max_size=3),
    expression=st.none()
    | st.sampled_from(["kind = component", 'tags IN [a, "b c"]', "NOT level EXISTS"]),
)
def test_every_search_request_becomes_a_valid_search_body(
    q, limit, offset, crop, facets, expression
):
    request = SearchRequest(
        q=q,
        limit=limit,
        offset=offset,
        cropLength=crop,
        facets=facets,
        filter=expression,
        attributesToHighlight=["title"],
        attributesToCrop=["content"],
    )
    assert validate_request("POST", "indexes/atomkb/search", search_body(request))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_backend_validates_before_anything_is_sent():
    from meilisearch.errors import MeilisearchCommunicationError

    backend = MeilisearchBackend(f"http://127.0.0.1:{_closed_port()}", "secret-key-123")
    with pytest.raises(RequestContractError):
        backend.http.request("POST", "indexes/atomkb/search", {"limit": -1})
    # A valid request passes the check and only then fails to connect.
    with pytest.raises(MeilisearchCommunicationError):
        backend.search(SearchRequest(q="forest"))
    with pytest.raises(FilterError):
        backend.search(SearchRequest(q="forest", filter="colour = red"))


def test_the_key_is_never_shown():
    backend = MeilisearchBackend("http://127.0.0.1:9", "secret-key-123")
    assert "secret-key-123" not in repr(backend)
    assert "secret-key-123" not in repr(backend.http)
