"""Wall time of the fast CLI paths and of the catalog readers.

Targets (issue 2): `kb --help` and `kb catalog list --json` under 0.3 s each on a
2-core machine. Prints the median and the best of N runs; not a test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15
KB = str(Path(sys.executable).with_name("kb"))


def _time_command(args: list[str], env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return times


def _time_call(function, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    from catalog import load_records

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KB_CACHE_DIR": cache}
        subprocess.run([KB, "catalog", "list", "--json"], check=True, capture_output=True, env=env)
        rows = [
            ("kb --help", _time_command([KB, "--help"], env), 0.3),
            (
                "kb catalog list --json (warm cache)",
                _time_command([KB, "catalog", "list", "--json"], env),
                0.3,
            ),
        ]
    n = len(load_records(use_cache=False)[0])
    rows.append(
        (
            f"static reader, {n} components, no cache",
            _time_call(lambda: load_records(use_cache=False)),
            None,
        )
    )
    rows.append(
        (
            f"runtime reader, {n} components (imports them)",
            _time_call(lambda: load_records(reader="runtime"), runs=1),
            None,
        )
    )
    print(f"{'what':52} {'median s':>9} {'best s':>8} {'target':>7}")
    for name, times, target in rows:
        goal = f"{target:.2f}" if target else "-"
        print(f"{name:52} {statistics.median(times):9.3f} {min(times):8.3f} {goal:>7}")


if __name__ == "__main__":
    main()
