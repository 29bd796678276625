"""``kb serve``'s HTTP server: the built site, the search UI and Meilisearch's read API.

A Starlette application served by uvicorn. Routes:

- Meilisearch's read API (:mod:`indexer.meili_api`): ``GET /health``, ``/version``,
  ``/stats``, ``/indexes``, ``/indexes/{uid}``, ``/indexes/{uid}/settings``,
  ``/indexes/{uid}/stats``; ``POST`` and ``GET /indexes/{uid}/search``;
  ``POST /multi-search``; ``POST /indexes/{uid}/facet-search``. Answered by the embedded
  index, or, with ``kb serve --url``, passed to that Meilisearch server;
- ``GET /_kb/search.js``, ``/_kb/search.css``: the as-you-type search UI, injected into
  every HTML page; ``GET /_kb/config.json``: where the UI sends its searches;
- anything else: a file of the site folder, never outside it (``..``, a symlinked file or
  folder index leading out: 404).

Every error is JSON in Meilisearch's shape (``{message, code, type, link}``): bad JSON,
JSON nested too deep or with an integer too long to read, a body over 64 KiB (chunked or
not), a body that takes over 10 s to arrive, unknown routes and methods, a failing
upstream (502/503 naming the upstream, never its key). CORS is open, as Meilisearch's:
any origin may search.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from indexer.meili_api import (
    API_VERSION,
    ApiError,
    facet_search,
    index_info,
    multi_search,
    query_to_body,
    search,
)

__all__ = ["MAX_BODY", "UVICORN_OPTIONS", "ServeConfig", "create_app", "run"]

WEB = Path(__file__).resolve().parent / "web"
MAX_BODY = 64 * 1024
MAX_DEPTH = 32
BODY_TIMEOUT = 10.0  # seconds for a request body to arrive
HEADER_TIMEOUT = 10.0  # seconds for a request's headers to arrive
_INJECT = (
    b'<link rel="stylesheet" href="/_kb/search.css"><script src="/_kb/search.js" defer></script>'
)
_CONFIG_ENV = "KB_SERVE_CONFIG"


class ServeConfig(dict):
    """What a server serves: ``site``, ``index_file`` or ``url``/``api_key``, ``index_uid``,
    ``browser`` (what the page's search box is told). JSON-able, so ``--workers`` processes
    receive it through the environment."""


def _error(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=_HEADERS)


_HEADERS = {"X-Content-Type-Options": "nosniff"}


def _depth(value: Any) -> int:
    """Nesting depth of decoded JSON, iteratively (deep input must not recurse)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


async def _read_body(request: Request) -> bytes:
    """The body, at most :data:`MAX_BODY` bytes, chunked or not, within :data:`BODY_TIMEOUT`."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise ApiError(
            413,
            f"The request body is over {MAX_BODY} bytes (or its Content-Length is not a "
            "number); send a smaller search.",
            "payload_too_large",
        )

    async def collect() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise ApiError(
                    413,
                    f"The request body is over {MAX_BODY} bytes; send a smaller search.",
                    "payload_too_large",
                )
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(collect(), BODY_TIMEOUT)
    except TimeoutError:
        raise ApiError(
            408, f"The request body did not arrive within {BODY_TIMEOUT:.0f} s.", "bad_request"
        ) from None


async def _json_body(request: Request) -> Any:
    raw = await _read_body(request)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # ValueError covers bad JSON and integers over Python's 4,300-digit limit.
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise ApiError(
            400,
            f"The request body is not valid JSON ({reason[:200]}); send a JSON object.",
            "malformed_payload",
        ) from None
    if _depth(body) > MAX_DEPTH:
        raise ApiError(
            400,
            f"The request body is nested over {MAX_DEPTH} levels deep; a search needs far fewer.",
            "malformed_payload",
        )
    return body


def _safe_url(url: str) -> str:
    """``url`` without a user or password (they never appear in an answer)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", "")).rstrip("/")


class _Upstream:
    """Meilisearch behind ``kb serve --url``: read routes are passed on with kb's key."""

    def __init__(self, url: str, api_key: str | None) -> None:
        import requests

        self.url = url.rstrip("/")
        self.shown = _safe_url(url)
        self.session = requests.Session()
        if api_key:
            self.session.headers["Authorization"] = f"Bearer {api_key}"

    def forward(self, method: str, path: str, query: str, body: Any) -> JSONResponse:
        import requests

        target = f"{self.url}{path}" + (f"?{query}" if query else "")
        try:
            answer = self.session.request(
                method, target, json=body if method == "POST" else None, timeout=(3, 30)
            )
        except requests.RequestException as error:
            reason = type(error).__name__
            raise ApiError(
                503,
                f"The Meilisearch server at {self.shown} is unreachable ({reason}); start it, "
                "or check `kb serve --url`.",
                "upstream_unavailable",
                "system",
            ) from None
        if answer.status_code in (401, 403):
            raise ApiError(
                502,
                f"The Meilisearch server at {self.shown} refused kb serve's key "
                f"({answer.status_code}); set a valid key with --search-key or "
                "KB_MEILI_SEARCH_KEY.",
                "upstream_error",
                "system",
            )
        try:
            payload = answer.json()
        except ValueError:
            raise ApiError(
                502,
                f"The Meilisearch server at {self.shown} answered {answer.status_code} without "
                "JSON; is the URL a Meilisearch server?",
                "upstream_error",
                "system",
            ) from None
        if answer.status_code >= 500:
            raise ApiError(
                502,
                f"The Meilisearch server at {self.shown} failed ({answer.status_code}: "
                f"{str(payload.get('message', ''))[:200] if isinstance(payload, dict) else ''}).",
                "upstream_error",
                "system",
            )
        return JSONResponse(payload, status_code=answer.status_code, headers=_HEADERS)


class _Api:
    """The route handlers, bound to one configuration."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.uid = config.get("index_uid", "atomkb")
        site = config.get("site")
        self.site = Path(site).resolve() if site else None
        self.upstream = (
            _Upstream(config["url"], config.get("api_key")) if config.get("url") else None
        )
        self.backend = None
        if not self.upstream:
            from indexer.embedded import EmbeddedBackend

            self.backend = EmbeddedBackend(config["index_file"])
        self.browser = {"indexUid": self.uid, "host": "", "apiKey": ""}
        self.browser.update(config.get("browser") or {})

    async def _call(self, request: Request, handler: Any, body: Any = None) -> Response:
        """Forward to the upstream, or run ``handler(body)`` off the event loop (SQLite blocks).

        A POST's body is read and decoded here; a GET passes its own ``body``.
        """
        try:
            if request.method == "POST":
                body = await _json_body(request)
            if self.upstream:
                return await run_in_threadpool(
                    self.upstream.forward,
                    request.method,
                    request.url.path,
                    request.url.query,
                    body,
                )
            answer = await run_in_threadpool(handler, body)
        except ApiError as error:
            return _error(error)
        return JSONResponse(answer, headers=_HEADERS)

    # -- Meilisearch's routes --------------------------------------------------------

    async def search(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        body = None
        if request.method == "GET":
            try:
                body = query_to_body(dict(request.query_params))
            except ApiError as error:
                return _error(error)
        return await self._call(request, lambda b: search(self.backend, uid, self.uid, b), body)

    async def multi_search(self, request: Request) -> Response:
        return await self._call(request, lambda b: multi_search(self.backend, self.uid, b))

    async def facet_search(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        return await self._call(request, lambda b: facet_search(self.backend, uid, self.uid, b))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "available"}, headers=_HEADERS)

    async def version(self, request: Request) -> Response:
        from importlib.metadata import PackageNotFoundError, version

        try:
            mine = version("atomkb")
        except PackageNotFoundError:
            mine = "unknown"
        return JSONResponse(
            {"commitSha": f"atomkb-{mine}", "commitDate": "unknown", "pkgVersion": API_VERSION},
            headers=_HEADERS,
        )

    def _modified(self) -> float:
        try:
            return os.stat(self.config["index_file"]).st_mtime
        except OSError:
            raise ApiError(
                503, "No search index yet; build it with `kb index`.", "index_not_found", "system"
            ) from None

    def _index_stats(self) -> dict[str, Any]:
        try:
            return self.backend.stats()
        except LookupError as error:
            raise ApiError(503, str(error), "index_not_found", "system") from None

    async def indexes(self, request: Request) -> Response:
        def answer(_: Any) -> dict[str, Any]:
            query = request.query_params
            offset, limit = int(query.get("offset", 0) or 0), int(query.get("limit", 20) or 20)
            found = [index_info(self.uid, self.uid, self._modified())]
            return {
                "results": found[offset : offset + limit],
                "offset": offset,
                "limit": limit,
                "total": len(found),
            }

        return await self._call(request, answer)

    async def index(self, request: Request) -> Response:
        uid = request.path_params["uid"]
        return await self._call(request, lambda _: index_info(uid, self.uid, self._modified()))

    async def settings(self, request: Request) -> Response:
        from indexer.meili import settings_body

        def answer(_: Any) -> dict[str, Any]:
            index_info(request.path_params["uid"], self.uid, self._modified())
            return settings_body()

        return await self._call(request, answer)

    async def index_stats(self, request: Request) -> Response:
        def answer(_: Any) -> dict[str, Any]:
            index_info(request.path_params["uid"], self.uid, self._modified())
            return self._index_stats()

        return await self._call(request, answer)

    async def stats(self, request: Request) -> Response:
        def answer(_: Any) -> dict[str, Any]:
            modified = self._modified()
            size = os.stat(self.config["index_file"]).st_size
            return {
                "databaseSize": size,
                "usedDatabaseSize": size,
                "lastUpdate": index_info(self.uid, self.uid, modified)["updatedAt"],
                "indexes": {self.uid: self._index_stats()},
            }

        return await self._call(request, answer)

    # -- kb's own routes -------------------------------------------------------------

    async def browser_config(self, request: Request) -> Response:
        return JSONResponse(self.browser, headers=_HEADERS)

    async def web(self, request: Request) -> Response:
        name = request.path_params["name"]
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(WEB / name, media_type=f"{kind}; charset=utf-8", headers=_HEADERS)

    async def static(self, request: Request) -> Response:
        path = request.url.path
        missing = ApiError(404, f"No page at {path[:200]}.", "not_found")
        if self.site is None or "\x00" in path:
            return _error(missing)
        target = _inside(self.site, path.lstrip("/"))
        if target is not None and target.is_dir():
            target = _inside(target, "index.html")
        if target is None or not target.is_file():
            return _error(missing)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind != "text/html":
            return FileResponse(target, media_type=kind, headers=_HEADERS)
        body = (await run_in_threadpool(target.read_bytes)).replace(
            b"</body>", _INJECT + b"</body>", 1
        )
        return Response(body, media_type="text/html; charset=utf-8", headers=_HEADERS)


def _inside(root: Path, relative: str) -> Path | None:
    """``root / relative`` with every symlink resolved, or None when it leads out of ``root``."""
    try:
        target = (root / relative).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    site = root.resolve()
    return target if target.is_relative_to(site) else None


def _not_found(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code == 405:
        return _error(
            ApiError(
                405,
                f"Method {request.method} is not allowed on {request.url.path[:200]}.",
                "method_not_allowed",
            )
        )
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _error(
        ApiError(status, f"{request.method} {request.url.path[:200]}: failed.", "bad_request")
    )


async def _disconnected(request: Request, exc: Exception) -> Response:
    return Response(status_code=400)


def create_app(config: ServeConfig | dict[str, Any]) -> Starlette:
    """The application serving one site and one index (or one upstream Meilisearch)."""
    api = _Api(ServeConfig(config))
    search_routes = ["GET", "POST"]
    routes = [
        Route("/health", api.health, methods=["GET"]),
        Route("/version", api.version, methods=["GET"]),
        Route("/stats", api.stats, methods=["GET"]),
        Route("/indexes", api.indexes, methods=["GET"]),
        Route("/indexes/{uid}", api.index, methods=["GET"]),
        Route("/indexes/{uid}/settings", api.settings, methods=["GET"]),
        Route("/indexes/{uid}/stats", api.index_stats, methods=["GET"]),
        Route("/indexes/{uid}/search", api.search, methods=search_routes),
        Route("/indexes/{uid}/facet-search", api.facet_search, methods=["POST"]),
        Route("/multi-search", api.multi_search, methods=["POST"]),
        Route("/_kb/config.json", api.browser_config, methods=["GET"]),
        Route("/_kb/{name:str}", api.web, methods=["GET"]),
        Route("/{path:path}", api.static, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            max_age=86400,
        ),
        Middleware(GZipMiddleware, minimum_size=1024),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _not_found, ClientDisconnect: _disconnected},
    )


def app_from_environment() -> Starlette:
    """The application of a ``--workers`` process: its configuration comes in the environment."""
    return create_app(json.loads(os.environ[_CONFIG_ENV]))


# uvicorn's settings for kb serve (the tests start their servers with the same ones).
UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,
    "timeout_keep_alive": 5,
    "timeout_graceful_shutdown": 5,
    "server_header": False,
    "http": "indexer.server:_TimedProtocol",
    "lifespan": "off",
}


def run(config: ServeConfig | dict[str, Any], host: str, port: int, workers: int = 1) -> None:
    """Serve until Ctrl+C or SIGTERM (uvicorn handles both and drains connections).

    With ``workers > 1``, uvicorn starts that many processes sharing the socket; each
    builds its application from the configuration passed in the environment.
    """
    import uvicorn

    options = {"host": host, "port": port, **UVICORN_OPTIONS}
    if workers > 1:
        os.environ[_CONFIG_ENV] = json.dumps(dict(config))
        uvicorn.run("indexer.server:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(config), **options)


def _timed_protocol() -> type:
    """uvicorn's HTTP/1.1 protocol, plus a time limit on the arrival of a request's headers.

    uvicorn times out idle keep-alive connections, but a client that sends half a request
    line and stops would hold its connection forever; this closes it after
    :data:`HEADER_TIMEOUT` seconds.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedProtocol(H11Protocol):
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            # With --workers, uvicorn shares a socket made with protocol 0, and asyncio
            # then leaves Nagle's algorithm on: every keep-alive answer would wait ~40 ms
            # for the client's delayed ACK (uvicorn issue #3149).
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def _arm(self) -> None:
            previous = getattr(self, "_header_timer", None)
            if previous is not None:
                previous.cancel()
            self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._expire, self.cycle)

        def _expire(self, waiting_for: Any) -> None:
            idle = self.cycle is waiting_for and (
                self.cycle is None or self.cycle.response_complete
            )
            if idle and not self.transport.is_closing():
                self.transport.close()

    return TimedProtocol


def __getattr__(name: str) -> Any:  # uvicorn imports the protocol by name, lazily
    if name == "_TimedProtocol":
        return _timed_protocol()
    raise AttributeError(name)
