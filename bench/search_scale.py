"""Embedded search at scale: the knowledge base plus the APIs of scikit-learn, statsmodels, pandas.

Prints the number of records, the time to read the APIs (griffe, static), the time of a
full index build and of an unchanged re-index, the index size, and search latency p50/p99
over as-you-type queries (every prefix of each query, as a search box sends them),
judged queries, typos and filters.

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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.backend import SearchRequest  # noqa: E402
from indexer.embedded import EmbeddedBackend  # noqa: E402
from indexer.gather import api_records, gather_records  # noqa: E402
from indexer.records import read_records, write_records  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="kb build --out")
    parser.add_argument("--packages", nargs="*", default=["sklearn", "statsmodels", "pandas"])
    parser.add_argument("--index", type=Path, help="Index file (default: a temporary one).")
    parser.add_argument(
        "--all-records", type=Path, help="Skip reading: a records file written by a previous run."
    )
    args = parser.parse_args()

    import yaml

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
    backend = EmbeddedBackend(index)
    index.unlink(missing_ok=True)
    report = backend.replace_all(records)
    print(f"full index build: {report.seconds:.2f} s ({index.stat().st_size / 1e6:.1f} MB)")
    report = backend.replace_all(records)
    print(f"unchanged re-index: {report.seconds:.2f} s ({report.unchanged} unchanged)")

    judged = [q["query"] for q in yaml.safe_load(QUERIES_FILE.read_text())["queries"]]
    typed = []
    for query in judged + EXTRA_QUERIES:
        typed += [query[:end] for end in range(2, len(query) + 1)]
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
        for q in judged + EXTRA_QUERIES
        for f in FILTERS
    ]
    backend.search(requests[0])  # open the file and load the vocabulary once
    latencies = []
    for request in requests:
        started = time.perf_counter()
        backend.search(request)
        latencies.append((time.perf_counter() - started) * 1000)
    print(
        f"search latency over {len(latencies)} requests: p50 {percentile(latencies, 0.5):.2f} ms, "
        f"p99 {percentile(latencies, 0.99):.2f} ms, max {max(latencies):.2f} ms, "
        f"mean {statistics.mean(latencies):.2f} ms"
    )
    started = time.perf_counter()
    EmbeddedBackend(index).search(SearchRequest(q="isolation forest"))
    print(
        f"first search of a fresh process-level backend: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms (opens the file, loads the vocabulary)"
    )


if __name__ == "__main__":
    main()
