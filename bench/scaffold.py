"""Scaffolding time per template: ``kb scaffold TEMPLATE DEST --defaults``, end to end.

Each template is scaffolded ``--repeat`` times (5 by default) as a user would, through the
real ``kb`` console script in a fresh process, after one warm-up that publishes the
templates into kb's cache repository. The figure printed is the median wall time, with
the fastest and slowest run; the target is under 3 s per template.

Run: ``.venv/bin/python bench/scaffold.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATES = ["forecasting", "classification", "anomaly-detection"]
TARGET_SECONDS = 3.0


def scaffold_once(template: str, folder: Path, env: dict[str, str]) -> float:
    kb = Path(sys.executable).with_name("kb")
    dest = folder / f"p{time.monotonic_ns()}"
    start = time.perf_counter()
    subprocess.run(
        [str(kb), "scaffold", template, str(dest), "--defaults"],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        env = {**os.environ, "KB_CACHE_DIR": str(folder / "cache")}
        warm_up = scaffold_once("forecasting", folder, env)
        print(f"first scaffold (publishes the templates, reads the catalog): {warm_up:.2f} s")
        header = f"{'template':<20}{'median s':>10}{'min s':>8}{'max s':>8}"
        print(f"{header}  target < {TARGET_SECONDS} s")
        for template in TEMPLATES:
            times = [scaffold_once(template, folder, env) for _ in range(args.repeat)]
            median = statistics.median(times)
            verdict = "ok" if median < TARGET_SECONDS else "SLOW"
            print(f"{template:<20}{median:>10.2f}{min(times):>8.2f}{max(times):>8.2f}  {verdict}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
