"""The HTTP side of `kb serve`: Meilisearch-shaped search, 400s for bad input, no escape."""

from __future__ import annotations

import http.client
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.server import make_server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "html").mkdir()
    (root / "html" / "index.html").write_text("<html><body><p>home</p></body></html>")
    (root / "html" / "components").mkdir()
    (root / "html" / "components" / "page.html").write_text("<html><body>page</body></html>")
    (root / "secret.txt").write_text("outside the site")
    return root


@pytest.fixture(scope="module")
def server(site, tmp_path_factory, corpus):
    from indexer.embedded import EmbeddedBackend

    backend = EmbeddedBackend(tmp_path_factory.mktemp("index") / "index.sqlite")
    backend.replace_all(corpus)
    running = make_server("127.0.0.1", 0, site / "html", backend)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, payload


def search(server, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    status, payload = request(
        server, "POST", "/indexes/atomkb/search", data, {"Content-Type": "application/json"}
    )
    return status, json.loads(payload)


def test_search_answers_like_meilisearch(server):
    status, answer = search(server, {"q": "isolaton forest", "facets": ["kind"], "limit": 3})
    assert status == 200
    assert answer["hits"][0]["id"] == "component-anomaly_isolation-forest"
    assert {"hits", "estimatedTotalHits", "facetDistribution", "processingTimeMs"} <= set(answer)


def test_retrieved_attributes_are_limited_but_snippets_kept(server):
    status, answer = search(
        server,
        {"q": "forest", "attributesToRetrieve": ["id", "url"], "attributesToCrop": ["content"]},
    )
    assert status == 200
    assert set(answer["hits"][0]) == {"id", "url", "_formatted"}
    assert "content" in answer["hits"][0]["_formatted"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_payload"),
        (b"[1, 2]", "bad_request"),
        ({"limit": 100000}, "bad_request"),
        ({"limit": -1}, "bad_request"),
        ({"q": 3}, "bad_request"),
        ({"filter": "colour = red"}, "invalid_search_filter"),
        ({"filter": "kind = "}, "invalid_search_filter"),
        ({"unknown": 1}, "bad_request"),
        (b"\xff\xfe", "malformed_payload"),
    ],
)
def test_bad_requests_are_400_with_a_message(server, body, code):
    status, answer = search(server, body)
    assert status == 400
    assert answer["code"] == code
    assert answer["message"]


def test_unknown_index_is_404(server):
    status, payload = request(server, "POST", "/indexes/other/search", b"{}")
    assert status == 404
    assert json.loads(payload)["code"] == "index_not_found"


def test_pages_are_served_with_the_search_ui_injected(server):
    status, payload = request(server, "GET", "/components/page.html")
    assert status == 200
    assert b'<script src="/_kb/search.js" defer></script></body>' in payload
    assert request(server, "GET", "/_kb/search.js")[0] == 200
    assert request(server, "GET", "/")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/components/../../secret.txt",
        "/..%2fsecret.txt",
        "/%00",
        "//etc/passwd",
    ],
)
def test_nothing_outside_the_site_is_served(server, path):
    status, payload = request(server, "GET", path)
    assert status == 404
    assert b"outside the site" not in payload


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.dictionaries(
            st.sampled_from(
                [
                    "q",
                    "filter",
                    "limit",
                    "offset",
                    "facets",
                    "cropLength",
                    "attributesToHighlight",
                    "attributesToCrop",
                    "attributesToRetrieve",
                ]
            ),
            st.one_of(
                st.none(),
                st.integers(-5, 2000),
                st.text(max_size=30),
                st.lists(st.text(max_size=10), max_size=3),
            ),
            max_size=5,
        ).map(lambda d: json.dumps(d).encode()),
    )
)
def test_any_body_gets_a_json_answer_and_never_a_500(server, body):
    status, answer = search(server, body)
    assert status in (200, 400)
    assert ("hits" in answer) if status == 200 else answer["message"]
