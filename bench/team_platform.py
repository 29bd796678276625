"""The team platform on loopback: time to healthy, and searches per second through the proxy.

Starts ``make platform``'s stack (``infra.localstack.Stack``: nginx on the real template,
PostgreSQL, mlflow server, kb serve for the search routes, optuna-dashboard) over the
built site, prints how long it took until every service answered its health check,
then loads ``POST /search/indexes/atomkb/search`` through the proxy, with the login, for
``--seconds`` with ``wrk`` (Debian's package) and prints requests per second, errors and
latency percentiles. Zero errors is the target.

Usage::

    .venv/bin/kb build -q && .venv/bin/kb index
    .venv/bin/python bench/team_platform.py [--seconds 30] [--connections 16]
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra.localstack import Stack, unavailable_reason  # noqa: E402

WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic %s"
local bodies = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n %% #bodies) + 1])
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, '"hits"', 1, true) then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ATOMKB %%d %%d %%d %%d %%d\\n", summary.requests, bad,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50),
    latency:percentile(99)))
end
"""
QUERIES = ["isolation forest", "arima", "seasonal naive", "rocket", "anomaly", "holt winters"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--index-file", type=Path, default=ROOT / "_build/search/index.sqlite")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason or not shutil.which("wrk"):
        raise SystemExit(f"cannot run: {reason or 'wrk is not installed (Debian: wrk)'}")
    with Stack(site=args.site, index_file=args.index_file) as stack:
        print(f"make platform: every service healthy in {stack.seconds_to_healthy:.1f} s")
        login = base64.b64encode(f"{stack.user}:{stack.password}".encode()).decode()
        bodies = ",".join(
            f"[==[{json.dumps({'q': q[:end], 'limit': 20, 'facets': ['tasks', 'kind']})}]==]"
            for q in QUERIES
            for end in range(2, len(q) + 1)
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % (login, bodies))
        done = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", script.name,
             f"{stack.url}/search/indexes/atomkb/search"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("ATOMKB "))
    requests, bad, socket_errors, p50, p99 = (int(v) for v in line.split()[1:])
    print(
        f"search through the proxy, {args.seconds} s, {args.connections} connections: "
        f"{requests / args.seconds:.0f} requests/s, {bad + socket_errors} errors "
        f"(target 0); latency p50 {p50 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
