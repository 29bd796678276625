"""Concurrent load against `kb serve`: as-you-type searches for a fixed time, zero errors wanted.

Starts the real ``kb serve`` on a free loopback port over an existing index, then sends
the prefixes of the judged queries (as a search box does while typing) on ``--clients``
keep-alive connections for ``--seconds``. Prints requests per second, errors (non-200 or a
body without hits) and latency percentiles seen by the clients.

The load comes from ``wrk`` (Debian's package) when it is installed: a Python client on
the same 2 cores holds the GIL and competes with the server, so it measures itself as
much as the server. ``--python-client`` forces the threaded Python client.

``run_load`` is the whole measurement as a function (``bench/search_100k.py`` reuses it);
its ``code`` argument serves another checkout's ``kb`` (e.g. the previous commit's) with
the same load.

Usage::

    .venv/bin/python bench/search_scale.py --index /tmp/scale.sqlite   # builds a 10k index
    .venv/bin/python bench/search_serve_load.py --index-file /tmp/scale.sqlite
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "indexer" / "relevance" / "queries.yml"
SEARCH_PATH = "/indexes/atomkb/search"
# Runs `kb` from the checkout named by the first argument, whatever is installed.
KB_FROM_CHECKOUT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from cli.main import main; main()"
)


@dataclass
class LoadResult:
    """What the clients saw: requests answered, errors, latency in milliseconds."""

    requests: int
    seconds: float
    clients: int
    workers: int
    client: str
    bad_responses: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    error_samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.bad_responses + self.socket_errors

    def lines(self) -> list[str]:
        return [
            f"{self.requests} requests in {self.seconds:.1f} s, {self.clients} connections "
            f"({self.client}), {self.workers} server workers: {self.per_second:.0f} requests/s, "
            f"{self.bad_responses} bad responses, {self.socket_errors} socket errors",
            f"client latency: p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"max {self.max_ms:.1f} ms",
        ] + [f"error: {error}" for error in self.error_samples]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def search_bodies() -> list[bytes]:
    """The body the docs' search box sends (indexer/web/search.js), one per keystroke of
    each judged query."""
    judged = [q["query"] for q in yaml.safe_load(QUERIES.read_text())["queries"]]
    typed = [q[:end] for q in judged for end in range(1, len(q) + 1)]
    return [
        json.dumps(
            {
                "q": q,
                "limit": 30,
                "facets": ["tasks", "kind"],
                "attributesToRetrieve": ["id", "kind", "title", "url", "anchor", "tasks", "level"],
                "attributesToHighlight": ["title", "summary", "content"],
                "attributesToCrop": ["content"],
                "cropLength": 20,
                "highlightPreTag": "\u0001",
                "highlightPostTag": "\u0002",
            }
        ).encode()
        for q in typed
    ]


def _wait_until_searching(server: subprocess.Popen, port: int, body: bytes, log: Any) -> None:
    """Until the server answers one search (it may take a while to open the index)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", SEARCH_PATH, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            if response.status == 200:
                return
            raise SystemExit(f"kb serve answered {response.status}: {payload[:300]!r}")
        except (OSError, http.client.HTTPException):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"kb serve did not start: {log.read()}") from None
            time.sleep(0.1)


def run_load(
    index_file: Path,
    *,
    site: Path = ROOT / "_build" / "html",
    clients: int = 8,
    seconds: float = 30.0,
    workers: int = 1,
    python_client: bool = False,
    code: Path | None = None,
) -> LoadResult:
    """Start ``kb serve`` (this checkout's, or ``code``'s) on a free port, load it, stop it."""
    port = free_port()
    options = ["serve", "--port", str(port), "--index-file", str(index_file)]
    options += ["--site", str(site), "--workers", str(workers)]
    if code is None:
        command = [str(Path(sys.executable).with_name("kb")), *options]
    else:
        command = [sys.executable, "-c", KB_FROM_CHECKOUT, str(code), *options]
    # The server's stderr goes to a file: a pipe nobody reads would block a chatty server.
    log = tempfile.TemporaryFile("w+")
    # A session of its own, so that stopping it stops its worker processes too.
    server = subprocess.Popen(command, cwd=code, stderr=log, text=True, start_new_session=True)
    try:
        bodies = search_bodies()
        _wait_until_searching(server, port, bodies[0], log)
        if shutil.which("wrk") and not python_client:
            result = _wrk_load(port, bodies, clients, seconds, workers)
        else:
            result = _python_load(port, bodies, clients, seconds, workers)
        if server.poll() is not None:
            result.error_samples.append(
                f"kb serve exited during the load (code {server.returncode})"
            )
    finally:
        _stop(server)
    if result.errors or result.error_samples:
        log.seek(0)
        said = log.read().strip().splitlines()
        result.error_samples += [f"server stderr: {line}" for line in said[-5:]]
    log.close()
    return result


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's session (its workers too), SIGKILL after 10 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    server.wait()


def _python_load(
    port: int, bodies: list[bytes], clients: int, seconds: float, workers: int
) -> LoadResult:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failures = [], []
        for body in itertools.islice(itertools.cycle(bodies), offset, None):
            if time.monotonic() >= stop:
                break
            started = time.perf_counter()
            try:
                connection.request("POST", SEARCH_PATH, body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
                if response.status != 200 or b'"hits"' not in payload:
                    failures.append(f"{response.status}: {payload[:200]!r}")
            except (OSError, http.client.HTTPException) as error:
                failures.append(repr(error))
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors.extend(failures)

    threads = [threading.Thread(target=client, args=(i * 97,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        clients=clients,
        workers=workers,
        client="Python threads",
        bad_responses=len(errors),
        socket_errors=0,
        p50_ms=pick(0.5),
        p99_ms=pick(0.99),
        max_ms=ordered[-1],
        error_samples=errors[:5],
    )


WRK_SCRIPT = """
local bodies = {%s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) errors = 0; n = math.random(#bodies) end
function request()
  n = n + 1
  return wrk.format("POST", "%s",
                    {["Content-Type"] = "application/json"}, bodies[(n %% #bodies) + 1])
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"hits"', 1, true) then errors = errors + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  local e = summary.errors
  io.write(string.format("ATOMKB %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    bad, e.connect, e.read, e.write, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _wrk_load(
    port: int, bodies: list[bytes], clients: int, seconds: float, workers: int
) -> LoadResult:
    lua_bodies = ",".join(f"[==[{body.decode()}]==]" for body in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (lua_bodies, SEARCH_PATH))
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, clients)}",
            f"-c{clients}",
            f"-d{int(seconds)}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(script.name).unlink()
    found = re.search(r"ATOMKB" + r" (\d+)" * 10, out)
    if found is None:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    requests, bad, connect, read, write, timeout, duration, p50, p99, worst = map(
        int, found.groups()
    )
    kinds = {"connect": connect, "read": read, "write": write, "timeout": timeout}
    return LoadResult(
        requests=requests,
        seconds=duration / 1e6,
        clients=clients,
        workers=workers,
        client="wrk",
        bad_responses=bad,
        socket_errors=sum(kinds.values()),
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
        max_ms=worst / 1000,
        error_samples=[f"wrk socket errors: {kinds}"] if any(kinds.values()) else [],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-file", type=Path, required=True)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="kb serve --workers (default: 2 x cores + 1, gunicorn's rule)",
    )
    parser.add_argument("--python-client", action="store_true", help="Do not use wrk.")
    parser.add_argument(
        "--code", type=Path, help="Serve with the kb of this checkout (default: the installed kb)."
    )
    args = parser.parse_args()
    result = run_load(
        args.index_file,
        site=args.site,
        clients=args.clients,
        seconds=args.seconds,
        workers=args.workers,
        python_client=args.python_client,
        code=args.code,
    )
    print("\n".join(result.lines()))


if __name__ == "__main__":
    main()
