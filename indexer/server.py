"""``kb serve``'s HTTP server: the built site, the search UI and a Meilisearch-shaped search API.

Standard library only (``http.server``, one thread per connection, keep-alive). Routes:

- ``POST /indexes/<uid>/search``: Meilisearch's search request and response, answered by
  the configured backend; bad input is a 400 with Meilisearch's error shape
  (``{"message", "code", "type", "link"}``), never a 500;
- ``GET /_kb/search.js``, ``/_kb/search.css``: the as-you-type search UI, injected into
  every HTML page; ``GET /_kb/config.json``: where the UI sends its searches;
- ``GET /health``; anything else: a file of the site folder, never outside it.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import signal
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from indexer.backend import SearchRequest
from indexer.filters import FilterError

__all__ = ["SearchServer", "make_server", "serve_with_workers"]

WEB = Path(__file__).resolve().parent / "web"
MAX_BODY = 64 * 1024
_INJECT = (
    b'<link rel="stylesheet" href="/_kb/search.css"><script src="/_kb/search.js" defer></script>'
)


class SearchServer(ThreadingHTTPServer):
    """Serves one site folder and one search backend."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        site: Path | None,
        backend: Any,
        index_uid: str = "atomkb",
        browser_config: dict[str, str] | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.site = site.resolve() if site is not None else None
        self.backend = backend
        self.index_uid = index_uid
        self.browser_config = {"indexUid": index_uid, "host": "", "apiKey": ""}
        self.browser_config.update(browser_config or {})
        self.lock = threading.Lock()


def make_server(
    host: str,
    port: int,
    site: Path | None,
    backend: Any,
    index_uid: str = "atomkb",
    browser_config: dict[str, str] | None = None,
) -> SearchServer:
    """A server bound to ``host:port`` (port 0 picks a free one)."""
    return SearchServer((host, port), site, backend, index_uid, browser_config)


def serve_with_workers(server: SearchServer, workers: int = 1) -> None:
    """Serve until interrupted; with ``workers > 1``, forked processes share the socket.

    Each worker has its own backend state (opened lazily after the fork), so searches run
    in parallel on several cores instead of queueing behind one interpreter lock. The
    parent stops its workers when it is interrupted or terminated.
    """
    children: list[int] = []
    for _ in range(max(0, workers - 1)):
        pid = os.fork()
        if pid == 0:  # a worker: serve until the parent ends it
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                server.serve_forever()
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    finally:
        signal.signal(signal.SIGTERM, previous)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _error(message: str, code: str, status: HTTPStatus) -> tuple[HTTPStatus, dict[str, str]]:
    kind = "invalid_request" if status < 500 else "internal"
    return status, {
        "message": message,
        "code": code,
        "type": kind,
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }


def answer_search(server: SearchServer, uid: str, raw: bytes) -> tuple[HTTPStatus, dict[str, Any]]:
    """Status and JSON body for a search request (also used by tests without a socket)."""
    if uid != server.index_uid:
        return _error(f"Index `{uid}` not found.", "index_not_found", HTTPStatus.NOT_FOUND)
    try:
        body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _error(
            f"The request body is not valid JSON ({error}); send a JSON object.",
            "malformed_payload",
            HTTPStatus.BAD_REQUEST,
        )
    if not isinstance(body, dict):
        return _error(
            f"Expected a JSON object as the search body, found {type(body).__name__}.",
            "bad_request",
            HTTPStatus.BAD_REQUEST,
        )
    try:
        request = SearchRequest.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        return _error(
            f"Invalid value for `{field}`: {first['msg']}.", "bad_request", HTTPStatus.BAD_REQUEST
        )
    try:
        return HTTPStatus.OK, server.backend.search(request)
    except FilterError as error:
        return _error(str(error), "invalid_search_filter", HTTPStatus.BAD_REQUEST)
    except LookupError as error:  # no index yet
        return _error(str(error), "index_not_found", HTTPStatus.SERVICE_UNAVAILABLE)


class _Handler(BaseHTTPRequestHandler):
    server: SearchServer
    protocol_version = "HTTP/1.1"
    server_version = "atomkb"
    sys_version = ""
    # Headers and body go out in two writes; with Nagle's algorithm the body waits for the
    # client's delayed ACK (~40 ms) on every keep-alive request.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet; the CLI says where it is
        return

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._json(
                *_error(
                    f"Expected a body of at most {MAX_BODY} bytes with a valid Content-Length.",
                    "payload_too_large",
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                )
            )
            return
        raw = self.rfile.read(length)
        if len(parts) == 3 and parts[0] == "indexes" and parts[2] == "search":
            self._json(*answer_search(self.server, unquote(parts[1]), raw))
            return
        self._json(*_error(f"No route POST {path}.", "not_found", HTTPStatus.NOT_FOUND))

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/health":
            self._json(HTTPStatus.OK, {"status": "available"})
        elif path == "/_kb/config.json":
            self._json(HTTPStatus.OK, self.server.browser_config)
        elif path in ("/_kb/search.js", "/_kb/search.css"):
            file = WEB / path.rsplit("/", 1)[-1]
            kind = "text/javascript" if file.suffix == ".js" else "text/css"
            self._send(HTTPStatus.OK, file.read_bytes(), f"{kind}; charset=utf-8")
        else:
            self._static(path)

    do_HEAD = do_GET

    def _static(self, path: str) -> None:
        site = self.server.site
        missing = _error(f"No page at {path}.", "not_found", HTTPStatus.NOT_FOUND)
        if site is None or "\x00" in path:
            self._json(*missing)
            return
        target = (site / path.lstrip("/")).resolve()
        if not target.is_relative_to(site):  # `..`, symlinks out of the site
            self._json(*missing)
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self._json(*missing)
            return
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = body.replace(b"</body>", _INJECT + b"</body>", 1)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, kind)
