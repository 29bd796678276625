"""Concurrent load against `kb serve`: as-you-type searches for a fixed time, zero errors wanted.

Starts the real ``kb serve`` on a free loopback port over an existing index, then sends
the prefixes of the judged queries (as a search box does while typing) on ``--clients``
keep-alive connections for ``--seconds``. Prints requests per second, errors (non-200 or a
body without hits) and latency percentiles seen by the clients.

The load comes from ``wrk`` (Debian's package) when it is installed: a Python client on
the same 2 cores holds the GIL and competes with the server, so it measures itself as
much as the server. ``--python-client`` forces the threaded Python client.

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
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "indexer" / "relevance" / "queries.yml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    args = parser.parse_args()

    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    server = subprocess.Popen(
        [
            str(kb),
            "serve",
            "--port",
            str(port),
            "--index-file",
            str(args.index_file),
            "--site",
            str(args.site),
            "--workers",
            str(args.workers),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"kb serve did not start: {server.stderr.read()}") from None
                time.sleep(0.1)
        judged = [q["query"] for q in yaml.safe_load(QUERIES.read_text())["queries"]]
        typed = [q[:end] for q in judged for end in range(1, len(q) + 1)]
        # The body the docs' search box sends (indexer/web/search.js), one per keystroke.
        bodies = [
            json.dumps(
                {
                    "q": q,
                    "limit": 30,
                    "facets": ["tasks", "kind"],
                    "attributesToRetrieve": [
                        "id",
                        "kind",
                        "title",
                        "url",
                        "anchor",
                        "tasks",
                        "level",
                    ],
                    "attributesToHighlight": ["title", "summary", "content"],
                    "attributesToCrop": ["content"],
                    "cropLength": 20,
                    "highlightPreTag": "\u0001",
                    "highlightPostTag": "\u0002",
                }
            ).encode()
            for q in typed
        ]
        if shutil.which("wrk") and not args.python_client:
            _wrk_load(port, bodies, args)
            return
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client(offset: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine, failures = [], []
            for body in itertools.islice(itertools.cycle(bodies), offset, None):
                if time.monotonic() >= stop:
                    break
                started = time.perf_counter()
                try:
                    connection.request(
                        "POST", "/indexes/atomkb/search", body, {"Content-Type": "application/json"}
                    )
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

        threads = [threading.Thread(target=client, args=(i * 97,)) for i in range(args.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=10)
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    print(
        f"{len(latencies)} requests in {elapsed:.1f} s, {args.clients} clients, "
        f"{args.workers} server workers: "
        f"{len(latencies) / elapsed:.0f} requests/s, {len(errors)} errors"
    )
    print(
        f"client latency: p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms, max {ordered[-1]:.1f} ms"
    )
    for error in errors[:5]:
        print(f"error: {error}")


WRK_SCRIPT = """
local bodies = {%s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) errors = 0; n = math.random(#bodies) end
function request()
  n = n + 1
  return wrk.format("POST", "/indexes/atomkb/search",
                    {["Content-Type"] = "application/json"}, bodies[(n %% #bodies) + 1])
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"hits"', 1, true) then errors = errors + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("errors") end
  local e = summary.errors
  io.write(string.format("ATOMKB %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, bad,
    e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _wrk_load(port: int, bodies: list[bytes], args: argparse.Namespace) -> None:
    import tempfile

    lua_bodies = ",".join(f"[==[{body.decode()}]==]" for body in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % lua_bodies)
    threads = min(2, args.clients)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{args.clients}",
            f"-d{int(args.seconds)}s",
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
    found = re.search(r"ATOMKB" + r" (\d+)" * 7, out)
    if found is None:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    requests, bad, socket_errors, duration, p50, p99, worst = map(int, found.groups())
    seconds = duration / 1e6
    print(
        f"{requests} requests in {seconds:.1f} s, {args.clients} connections (wrk), "
        f"{args.workers} server workers: {requests / seconds:.0f} requests/s, "
        f"{bad} bad responses, {socket_errors} socket errors"
    )
    print(
        f"client latency: p50 {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms, "
        f"max {worst / 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
