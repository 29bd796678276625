"""Embedded search at scale: the knowledge base plus the APIs of scikit-learn, statsmodels, pandas.

Prints the number of records, the time to read the APIs (griffe, static), the time of a
full index build and of an unchanged re-index, the index size, and search latency p50/p99
over as-you-type queries (every prefix of each query, as a search box sends them),
judged queries, typos and filters.

The measuring steps are functions (``query_mix``, ``measure_latency``, ``index_twice``...)
that ``bench/search_100k.py`` reuses. Imported, this module uses whichever ``indexer`` the
caller put first on ``sys.path`` (e.g. another checkout's); run as a script, this one's.

Usage::

    .venv/bin/python bench/search_scale.py [--build /tmp/kb-build] [--packages sklearn ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":
    # bench/ holds scripts named like standard modules (platform.py): look there last.
    if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
        sys.path.append(sys.path.pop(0))
    sys.path.insert(0, str(ROOT))

from indexer.backend import SearchRequest  # noqa: E402
from indexer.embedded import EmbeddedBackend  # noqa: E402
from indexer.gather import api_records, gather_records  # noqa: E402
from indexer.records import SearchRecord, read_records, write_records  # noqa: E402
from indexer.relevance import QUERIES_FILE  # noqa: E402

EXTRA_QUERIES = [
    "isolation forest",
    "isolaton forest",
    "dataframe groupby",
    "read csv",
    "linear regression",
    "standard scaler",
    "arima",
    "seasonal decompose",
    "kalman filter",
    "cross validation time series split",
    "random forest classifier",
    "rolling window mean",
]
FILTERS = [None, "kind = component", "tasks = forecasting AND NOT kind = api", "kind IN [api]"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def judged_queries() -> list[str]:
    """The judged queries of the relevance set, in its order."""
    import yaml

    return [q["query"] for q in yaml.safe_load(QUERIES_FILE.read_text())["queries"]]


def query_mix() -> list[SearchRequest]:
    """Every prefix (from 2 characters) of the judged and extra queries, as typed, then each
    whole query under each filter with facets, highlighting and cropping."""
    queries = judged_queries() + EXTRA_QUERIES
    typed = [query[:end] for query in queries for end in range(2, len(query) + 1)]
    requests = [SearchRequest(q=q, limit=10) for q in typed]
    requests += [
        SearchRequest(
            q=q,
            filter=f,
            limit=20,
            facets=["kind", "tasks"],
            attributesToHighlight=["title", "summary"],
            attributesToCrop=["content"],
        )
        for q in queries
        for f in FILTERS
    ]
    return requests


def measure_latency(backend: Any, requests: list[SearchRequest]) -> list[float]:
    """Milliseconds of each search, after one search that opens the file and loads the
    vocabulary."""
    backend.search(requests[0])
    latencies = []
    for request in requests:
        started = time.perf_counter()
        backend.search(request)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def latency_line(latencies: list[float]) -> str:
    return (
        f"search latency over {len(latencies)} requests: p50 {percentile(latencies, 0.5):.2f} ms, "
        f"p99 {percentile(latencies, 0.99):.2f} ms, max {max(latencies):.2f} ms, "
        f"mean {statistics.mean(latencies):.2f} ms"
    )


def index_twice(index: Path, records: list[SearchRecord]) -> tuple[Any, Any]:
    """A full build into a fresh ``index`` file, then an unchanged re-index: both reports."""
    index.unlink(missing_ok=True)
    backend = EmbeddedBackend(index)
    return backend.replace_all(records), backend.replace_all(records)


def first_search_ms(index: Path) -> float:
    """One search on a new backend object: opens the file and loads the vocabulary."""
    started = time.perf_counter()
    EmbeddedBackend(index).search(SearchRequest(q="isolation forest"))
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="kb build --out")
    parser.add_argument("--packages", nargs="*", default=["sklearn", "statsmodels", "pandas"])
    parser.add_argument("--index", type=Path, help="Index file (default: a temporary one).")
    parser.add_argument(
        "--all-records", type=Path, help="Skip reading: a records file written by a previous run."
    )
    args = parser.parse_args()

    if args.all_records:
        records = read_records(args.all_records)
        kb_records = sum(1 for r in records if r.kind != "api")
    else:
        records, _ = gather_records(args.build / "search" / "records.json")
        kb_records = len(records)
        started = time.perf_counter()
        for package in args.packages:
            records += api_records(package)
        print(f"read APIs with griffe (static): {time.perf_counter() - started:.1f} s")
        saved = write_records(Path(tempfile.mkdtemp()) / "all_records.json", records)
        print(f"records saved to {saved} (reuse them with --all-records)")
    print(
        f"records: {len(records)} ({kb_records} knowledge base + "
        f"{len(records) - kb_records} API of {', '.join(args.packages)})"
    )

    index = args.index or Path(tempfile.mkdtemp()) / "index.sqlite"
    built, again = index_twice(index, records)
    print(f"full index build: {built.seconds:.2f} s ({index.stat().st_size / 1e6:.1f} MB)")
    print(f"unchanged re-index: {again.seconds:.2f} s ({again.unchanged} unchanged)")
    print(latency_line(measure_latency(EmbeddedBackend(index), query_mix())))
    print(
        f"first search of a fresh process-level backend: {first_search_ms(index):.0f} ms "
        "(opens the file, loads the vocabulary)"
    )


if __name__ == "__main__":
    main()
