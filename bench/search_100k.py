"""Search at 100,000 real records: index build, unchanged re-index, latency, `kb serve` load.

The records are the knowledge base's (``kb build``) plus the public API of 68 installed
packages read statically with griffe (``indexer.gather.api_records``), 104,198 records in
this project's virtual environment. Reading them takes about three minutes, so the first
run saves them to ``--records`` and later runs read that file.

Prints, each with its target and the load average of the machine beside it: the record
count and sources; the full index build time and size (target < 30 s); the unchanged
re-index (< 5 s) and, for what a user waits for, the same through ``kb index`` in a fresh
process; search latency p50/p99 (5 ms / 50 ms) over ``bench/search_scale.py``'s query mix
(as-you-type prefixes of the judged queries, then filtered, faceted and highlighted
searches); and ``kb serve`` throughput on the search route over 30 s with wrk, zero errors
wanted (``bench/search_serve_load.py``'s load).

``--code DIR`` measures another checkout's code (its ``indexer`` and ``kb``) with the same
records and load, e.g. the commit before a rewrite. ``--baseline DIR`` adds the same load
against ``DIR``'s ``kb serve``, over an index ``DIR``'s own ``kb index`` builds (its schema
may differ), and prints the two throughputs side by side (target: at least twice it).

Usage::

    .venv/bin/python bench/search_100k.py --records /tmp/records100k.json \\
        [--baseline /tmp/baseline --baseline-workers 3] [--workers 5] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ holds scripts named like standard modules (platform.py): look there last.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.append(sys.path.pop(0))

# Every installed package whose static API gives at least 200 records, the eight
# first: 104,038 API records with griffe 1.x (pytest's API lives in _pytest: pytest itself
# only re-exports it and gives none).
PACKAGES = (
    "sklearn statsmodels pandas scipy numpy matplotlib aeon sktime statsforecast numba "
    "llvmlite mlflow databricks sqlalchemy alembic optuna sphinx docutils pygments "
    "myst_parser markdown_it pydantic hypothesis _pytest fugue opentelemetry narwhals "
    "psycopg fontTools pyasn1_modules prompt_toolkit selenium aiohttp graphql PIL google "
    "gunicorn cryptography ruamel fsspec werkzeug plumbum jinja2 docker huey virtualenv "
    "anyio git setuptools mpl_toolkits yaml urllib3 starlette babel uvicorn trio joblib "
    "fastapi patsy pyparsing click formulaic pyarrow mako graphene triad flask requests"
).split()
MIN_RECORDS = 100_000


def load_average() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_before() -> str:
    """The load average, and how busy the CPUs were in the second before a measurement
    (other work on the machine; the load average still counts the previous step's)."""

    def busy_and_total() -> tuple[int, int]:
        ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = ticks[3] + ticks[4]
        return sum(ticks) - idle, sum(ticks)

    try:
        busy, total = busy_and_total()
        time.sleep(1)
        busy_after, total_after = busy_and_total()
    except (OSError, ValueError, IndexError):
        return load_average()
    share = (busy_after - busy) / max(1, total_after - total)
    return f"before: {load_average()}, CPUs {share:.0%} busy"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def kb_command(code: Path, *arguments: str) -> list[str]:
    from search_serve_load import KB_FROM_CHECKOUT

    return [sys.executable, "-c", KB_FROM_CHECKOUT, str(code), *arguments]


def read_or_gather(records_file: Path, build: Path) -> list:
    from indexer.gather import gather_records
    from indexer.records import read_records, write_records

    if records_file.exists():
        return read_records(records_file)
    started = time.perf_counter()
    records, _ = gather_records(build / "search" / "records.json", tuple(PACKAGES))
    print(
        f"read the knowledge base and {len(PACKAGES)} APIs: {time.perf_counter() - started:.0f} s"
    )
    print(f"records saved to {write_records(records_file, records)} for the next runs")
    return records


def print_sources(records: list) -> None:
    api = Counter(r.hierarchy_lvl1 for r in records if r.kind == "api")
    kb = len(records) - sum(api.values())
    enough = "" if len(records) >= MIN_RECORDS else f" — FEWER than {MIN_RECORDS:,}"
    print(
        f"records: {len(records):,}{enough} ({kb:,} knowledge base + {sum(api.values()):,} "
        f"API of {len(api)} packages)"
    )
    if api:
        print("  API records by package: " + ", ".join(f"{p} {n:,}" for p, n in api.most_common()))


def measure_code(args: argparse.Namespace, code: Path) -> float | None:
    """Build, re-index, search and serve with ``code``; the serve throughput (requests/s)."""
    import search_scale as scale
    from search_serve_load import SEARCH_PATH, run_load

    from indexer.embedded import EmbeddedBackend

    records = read_or_gather(args.records, args.build)
    print_sources(records)

    index = args.index or Path(tempfile.mkdtemp()) / "index100k.sqlite"
    before = machine_before()
    built, again = scale.index_twice(index, records)
    size = index.stat().st_size / 1e6
    print(
        f"full index build: {built.seconds:.2f} s, {size:.0f} MB "
        f"(target < 30 s: {verdict(built.seconds < 30)}; {before})"
    )
    print(
        f"unchanged re-index: {again.seconds:.2f} s, {again.unchanged:,} unchanged "
        f"(target < 5 s: {verdict(again.seconds < 5)}; after: {load_average()})"
    )
    started = time.perf_counter()
    subprocess.run(
        kb_command(code, "index", "--records", str(args.records), "--index-file", str(index)),
        cwd=code,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"  the same through `kb index --records` in a fresh process (reads the records file): "
        f"{time.perf_counter() - started:.2f} s"
    )
    del records

    before = machine_before()
    latencies = scale.measure_latency(EmbeddedBackend(index), scale.query_mix())
    p50, p99 = scale.percentile(latencies, 0.5), scale.percentile(latencies, 0.99)
    print(scale.latency_line(latencies))
    print(
        f"  targets p50 <= 5 ms: {verdict(p50 <= 5)}, p99 <= 50 ms: {verdict(p99 <= 50)} "
        f"({before}; after: {load_average()})"
    )
    print(
        f"  first search of a new backend (opens the file, loads the vocabulary): "
        f"{scale.first_search_ms(index):.0f} ms"
    )

    if args.seconds <= 0:
        return None
    before = machine_before()
    result = run_load(index, seconds=args.seconds, workers=args.workers, code=code)
    print(f"kb serve, POST {SEARCH_PATH} for {args.seconds:.0f} s:")
    for line in result.lines():
        print(f"  {line}")
    print(
        f"  errors: {result.errors} (target 0: {verdict(result.errors == 0)}; {before}; "
        f"after: {load_average()})"
    )
    return result.per_second


def measure_baseline(args: argparse.Namespace, throughput: float | None) -> None:
    """The same load against the baseline checkout's ``kb serve``, side by side."""
    from search_serve_load import run_load

    baseline = args.baseline.resolve()
    index = args.baseline_index or Path(tempfile.mkdtemp()) / "baseline100k.sqlite"
    started = time.perf_counter()
    subprocess.run(
        kb_command(baseline, "index", "--records", str(args.records), "--index-file", str(index)),
        cwd=baseline,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"baseline {baseline}: `kb index --records` into {index}: "
        f"{time.perf_counter() - started:.1f} s"
    )
    before = machine_before()
    workers = args.baseline_workers or args.workers
    result = run_load(index, seconds=args.seconds, workers=workers, code=baseline)
    print(f"baseline kb serve, same load for {args.seconds:.0f} s:")
    for line in result.lines():
        print(f"  {line}")
    print(f"  ({before}; after: {load_average()})")
    if throughput is not None:
        ratio = throughput / result.per_second
        print(
            f"kb serve throughput: {throughput:.0f} requests/s against the baseline's "
            f"{result.per_second:.0f} requests/s = {ratio:.2f}x "
            f"(target >= 2x: {verdict(ratio >= 2)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records",
        type=Path,
        default=ROOT / "_build" / "search" / "records100k.json",
        help="Records file: read when it exists, else gathered and written (about 3 min).",
    )
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="kb build --out")
    parser.add_argument("--index", type=Path, help="Index file (default: a temporary one).")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="Checkout whose indexer and kb are measured."
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="Load time; 0 skips it.")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="kb serve --workers (default: 2 x cores + 1, gunicorn's rule)",
    )
    parser.add_argument("--baseline", type=Path, help="Also load this checkout's kb serve.")
    parser.add_argument("--baseline-index", type=Path, help="Its index file (default: temporary).")
    parser.add_argument("--baseline-workers", type=int, help="Its --workers (default: --workers).")
    args = parser.parse_args()
    args.records = args.records.resolve()  # kb runs in the measured checkout's folder
    args.index = args.index and args.index.resolve()
    args.baseline_index = args.baseline_index and args.baseline_index.resolve()

    code = args.code.resolve()
    sys.path.insert(0, str(code))  # before anything imports indexer
    import indexer

    print(f"code under test: {Path(indexer.__file__).parent}")
    throughput = measure_code(args, code)
    if args.baseline is not None and args.seconds > 0:
        measure_baseline(args, throughput)


if __name__ == "__main__":
    main()
