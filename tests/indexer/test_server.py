"""The HTTP side of `kb serve`, over real sockets: a real uvicorn server in a thread.

Meilisearch-shaped answers and errors, no file outside the site, and the edge cases a
hostile client tries (chunked bodies, deep JSON, huge integers, slow clients, odd
methods, symlinks leading out, a failing upstream).
"""

from __future__ import annotations

import gzip
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import server as server_module
from indexer.server import MAX_BODY, UVICORN_OPTIONS, create_app


class Served:
    """A running server: its port and a way to stop it."""

    def __init__(self, config: dict) -> None:
        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        options = {**UVICORN_OPTIONS, "host": "127.0.0.1", "port": self.port}
        self.server = uvicorn.Server(uvicorn.Config(create_app(config), **options))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    html = root / "html"
    html.mkdir()
    (html / "index.html").write_text("<html><body><p>home</p></body></html>")
    (html / "components").mkdir()
    (html / "components" / "page.html").write_text(
        "<html><body>" + "page text " * 500 + "</body></html>"
    )
    (root / "secret.txt").write_text("outside the site")
    (root / "secret").mkdir()
    (root / "secret" / "index.html").write_text("<html><body>outside the site</body></html>")
    # The holes a server that resolves only the first path tries: a folder whose
    # index.html points out, a file pointing out, and a folder pointing out.
    (html / "sub").mkdir()
    (html / "sub" / "index.html").symlink_to(root / "secret.txt")
    (html / "leak.html").symlink_to(root / "secret.txt")
    (html / "out").symlink_to(root / "secret")
    (html / "inside.html").symlink_to(html / "index.html")
    return root


@pytest.fixture(scope="module")
def index_file(tmp_path_factory, corpus):
    from indexer.embedded import EmbeddedBackend

    path = tmp_path_factory.mktemp("index") / "index.sqlite"
    EmbeddedBackend(path).replace_all(corpus)
    return path


@pytest.fixture(scope="module")
def server(site, index_file) -> Iterator[Served]:
    running = Served({"site": str(site / "html"), "index_file": str(index_file)})
    yield running
    running.stop()


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
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


def raw(server, data: bytes, timeout: float = 15) -> bytes:
    """Send bytes as they are and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def test_search_answers_like_meilisearch(server):
    status, answer = search(server, {"q": "isolaton forest", "facets": ["kind"], "limit": 3})
    assert status == 200
    assert answer["hits"][0]["id"] == "component-anomaly_isolation-forest"
    assert {"hits", "estimatedTotalHits", "facetDistribution", "processingTimeMs"} <= set(answer)


def test_get_search_reads_the_query_string(server):
    status, payload = request(
        server, "GET", "/indexes/atomkb/search?q=isolation+forest&limit=2&attributesToRetrieve=id"
    )
    answer = json.loads(payload)
    assert status == 200
    assert answer["limit"] == 2
    assert answer["hits"][0] == {"id": "component-anomaly_isolation-forest"}
    status, payload = request(server, "GET", "/indexes/atomkb/search?limit=many")
    assert status == 400
    assert json.loads(payload)["code"] == "invalid_search_limit"


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
        ({"limit": 100000}, "invalid_search_limit"),
        ({"limit": -1}, "invalid_search_limit"),
        ({"q": 3}, "invalid_search_q"),
        ({"filter": "colour = red"}, "invalid_search_filter"),
        ({"filter": "kind = "}, "invalid_search_filter"),
        ({"sort": ["summary:asc"]}, "invalid_search_sort"),
        ({"matchingStrategy": "some"}, "invalid_search_matching_strategy"),
        ({"unknown": 1}, "bad_request"),
        ({"hybrid": {"embedder": "default"}}, "bad_request"),
        (b"\xff\xfe", "malformed_payload"),
    ],
)
def test_bad_requests_are_400_with_a_message(server, body, code):
    status, answer = search(server, body)
    assert status == 400
    assert answer["code"] == code
    assert answer["message"]


def test_an_unimplemented_parameter_is_refused_by_name(server):
    status, answer = search(server, {"q": "forest", "vector": [0.1, 0.2]})
    assert status == 400
    assert "`vector`" in answer["message"]


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
    assert request(server, "GET", "/inside.html")[0] == 200  # a symlink within the site


def test_large_answers_are_gzipped_when_the_client_accepts_it(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/components/page.html", headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    assert response.getheader("Content-Encoding") == "gzip"
    assert b"page text" in gzip.decompress(response.read())
    connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/components/../../secret.txt",
        "/..%2fsecret.txt",
        "/%00",
        "//etc/passwd",
        "/sub/",
        "/sub/index.html",
        "/leak.html",
        "/out/",
        "/out/index.html",
    ],
)
def test_nothing_outside_the_site_is_served(server, path):
    status, payload = request(server, "GET", path)
    assert status == 404
    assert b"outside the site" not in payload
    assert json.loads(payload)["code"] == "not_found"


def test_a_chunked_body_is_read_whole(server):
    body = json.dumps({"q": "isolation forest", "limit": 1}).encode()
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + 7]), body[i : i + 7]) for i in range(0, len(body), 7)
    )
    follow_up = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw(
        server,
        b"POST /indexes/atomkb/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n" + follow_up,
    )
    responses = answer.split(b"HTTP/1.1 ")[1:]
    assert len(responses) == 2, answer[:500]  # the search, then the health check: no leftovers
    assert responses[0].startswith(b"200") and b"component-anomaly_isolation-forest" in responses[0]
    assert b'"estimatedTotalHits":1' not in responses[0]  # the query was read, not empty
    assert responses[1].startswith(b"200") and b"available" in responses[1]


def test_a_chunked_body_over_the_limit_is_413(server):
    piece = b"x" * 4096
    chunk = b"%x\r\n%s\r\n" % (len(piece), piece)
    answer = raw(
        server,
        b"POST /indexes/atomkb/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n" + chunk * (MAX_BODY // 4096 + 2) + b"0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"payload_too_large"' in answer


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"q": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"limit": ' + b"9" * 5000 + b"}",
        b'{"q": "x", "q2": ' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"}",
    ],
    ids=["nested-1000", "nested-100k", "integer-5000-digits", "nested-40-objects"],
)
def test_hostile_json_gets_a_400_not_a_dropped_connection(server, body):
    status, answer = search(server, body)
    assert status in (400, 413)
    assert answer["code"] in ("malformed_payload", "payload_too_large", "bad_request")


def test_unsupported_methods_get_a_json_405(server):
    for method, path in [
        ("PUT", "/indexes/atomkb/search"),
        ("DELETE", "/indexes/atomkb"),
        ("PATCH", "/indexes/atomkb/settings"),
        ("POST", "/components/page.html"),
        ("BREW", "/"),
    ]:
        status, payload = request(server, method, path, b"{}")
        assert status == 405, (method, path)
        assert json.loads(payload)["code"] == "method_not_allowed"


def test_unknown_routes_get_a_json_404(server):
    status, payload = request(server, "POST", "/indexes/atomkb/documents", b"[]")
    assert status in (404, 405)
    assert json.loads(payload)["message"]


def test_cors_lets_any_page_search(server):
    status, _ = request(
        server,
        "OPTIONS",
        "/multi-search",
        headers={
            "Origin": "http://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,authorization",
        },
    )
    assert status == 200
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/health", headers={"Origin": "http://elsewhere.example"})
    response = connection.getresponse()
    response.read()
    assert response.getheader("Access-Control-Allow-Origin") == "*"
    connection.close()


def test_a_client_that_never_finishes_its_headers_is_disconnected(server, monkeypatch):
    monkeypatch.setattr(server_module, "HEADER_TIMEOUT", 1.0)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        started = time.monotonic()
        assert connection.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 8


def test_a_body_that_never_arrives_is_408(server, monkeypatch):
    monkeypatch.setattr(server_module, "BODY_TIMEOUT", 1.0)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(
            b"POST /indexes/atomkb/search HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"
        )
        answer = b""
        while b'"message"' not in answer and (chunk := connection.recv(4096)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b'"message"' in answer


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
                    "page",
                    "hitsPerPage",
                    "sort",
                    "distinct",
                    "facets",
                    "cropLength",
                    "matchingStrategy",
                    "attributesToSearchOn",
                    "attributesToHighlight",
                    "attributesToCrop",
                    "attributesToRetrieve",
                    "showRankingScore",
                    "showMatchesPosition",
                ]
            ),
            st.one_of(
                st.none(),
                st.booleans(),
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


# -- kb serve --url: an upstream Meilisearch that fails ------------------------------


class _Upstream(BaseHTTPRequestHandler):
    """A real HTTP server standing for a broken Meilisearch: 401, garbage or a 500."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        behaviour = self.server.behaviour  # type: ignore[attr-defined]
        status, body = {
            "unauthorized": (401, b'{"message":"The provided API key is invalid.","code":"x"}'),
            "garbage": (200, b"<html>not json</html>"),
            "crash": (500, b'{"message":"internal","code":"internal"}'),
            "bad-filter": (400, b'{"message":"bad filter","code":"invalid_search_filter"}'),
        }[behaviour]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.mark.parametrize(
    ("behaviour", "status", "code"),
    [
        ("unauthorized", 502, "upstream_error"),
        ("garbage", 502, "upstream_error"),
        ("crash", 502, "upstream_error"),
        ("bad-filter", 400, "invalid_search_filter"),
    ],
)
def test_upstream_failures_become_json_errors_naming_it(upstream, behaviour, status, code):
    upstream.behaviour = behaviour
    url = f"http://kb:s3cret@127.0.0.1:{upstream.server_address[1]}"
    served = Served({"url": url, "api_key": "the-secret-key"})
    try:
        got, payload = search(served, {"q": "forest"})
    finally:
        served.stop()
    answer = json.loads(payload) if isinstance(payload, bytes) else payload
    assert got == status
    assert answer["code"] == code
    if status == 502:
        assert f"127.0.0.1:{upstream.server_address[1]}" in answer["message"]
    text = json.dumps(answer)
    assert "s3cret" not in text and "the-secret-key" not in text


def test_an_unreachable_upstream_is_503():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the probe is
    served = Served({"url": f"http://127.0.0.1:{port}", "api_key": "the-secret-key"})
    try:
        status, answer = search(served, {"q": "forest"})
    finally:
        served.stop()
    assert status == 503
    assert answer["code"] == "upstream_unavailable"
    assert f"127.0.0.1:{port}" in answer["message"]
    assert "the-secret-key" not in json.dumps(answer)
