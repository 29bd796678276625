"""Relevance of the embedded search backend vs Sphinx's built-in search, on the same build.

Runs every judged query of ``indexer/relevance/queries.yml`` through

- the embedded backend, over the search records of the build (``<build>/search/records.json``,
  or the catalog alone when there is no build), and
- Sphinx's own search: the build's real ``_static/searchtools.js`` and ``language_data.js``
  evaluated in Node over its ``searchindex.js`` (``Search._parseQuery`` then
  ``Search._performSearch``, the functions the search page calls), results in the order the
  page shows them,

and prints nDCG@10 and MRR@10 side by side, overall and per query type.

Usage::

    kb build --no-examples --out /tmp/kb-build
    .venv/bin/python bench/search_relevance.py --build /tmp/kb-build
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.backend import SearchRequest  # noqa: E402
from indexer.embedded import EmbeddedBackend  # noqa: E402
from indexer.gather import gather_records  # noqa: E402
from indexer.relevance import evaluate, load_queries, ndcg_at_k, page_of  # noqa: E402

# Minimal browser globals: _performSearch only clears a progress element.
NODE_HARNESS = r"""
const fs = require("fs");
const vm = require("vm");
const path = require("path");
const html = process.argv[2];
const element = { lastChild: null, removeChild() {}, appendChild(x) { return x; },
                  dataset: {}, style: {}, classList: { add() {} } };
globalThis.window = globalThis;
globalThis.document = { getElementById: () => element, documentElement: element,
                        createElement: () => element, body: element };
globalThis.localStorage = { setItem() {}, getItem() { return null; } };
globalThis.SPHINX_HIGHLIGHT_ENABLED = false;
globalThis._ready = () => {};  // doctools.js would run Search.init on page load
for (const file of ["_static/searchtools.js", "_static/language_data.js", "searchindex.js"]) {
  vm.runInThisContext(fs.readFileSync(path.join(html, file), "utf8"), { filename: file });
}
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = {};
for (const query of queries) {
  const [q, terms, excluded, highlight, objects] = Search._parseQuery(query);
  const results = Search._performSearch(q, terms, excluded, highlight, objects);
  // The page pops results from the end: the last one is shown first.
  answers[query] = results.reverse().map((r) => r[0] + ".html" + (r[2] || ""));
}
process.stdout.write(JSON.stringify(answers));
"""


def sphinx_rankings(html: Path, queries: list[str]) -> dict[str, list[str]]:
    """Sphinx's ranked result URLs for each query, from its real search code in Node."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise SystemExit(
            "Node.js is needed to run Sphinx's searchtools.js (apt-get install nodejs)"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as script:
        script.write(NODE_HARNESS)
    done = subprocess.run(
        [node, script.name, str(html)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        check=False,
    )
    Path(script.name).unlink()
    if done.returncode:
        raise SystemExit(f"Sphinx search failed in Node:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="kb build --out")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--verbose", action="store_true", help="Print every query's top 3.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()

    html = args.build / "html"
    records, notes = gather_records(args.build / "search" / "records.json")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    index = Path(tempfile.mkdtemp()) / "index.sqlite"
    backend = EmbeddedBackend(index)
    backend.replace_all(records)

    has_site = (html / "searchindex.js").exists()
    pages = {page_of(r.url) for r in records}
    if has_site:  # judge only pages both engines can return
        pages = {p for p in pages if (html / p).exists()}
    queries, missing = load_queries(pages)

    def embedded(query: str) -> list[str]:
        hits = backend.search(SearchRequest(q=query, limit=50))["hits"]
        return [hit["url"] for hit in hits]

    results = {"embedded": evaluate(embedded, queries, args.k)}
    sphinx: dict[str, list[str]] = {}
    if has_site:
        sphinx = sphinx_rankings(html, [q.query for q in queries])
        results["sphinx"] = evaluate(lambda q: sphinx[q], queries, args.k)
    else:
        print(
            f"note: no {html}/searchindex.js: run `kb build` for the Sphinx baseline",
            file=sys.stderr,
        )

    if args.json:
        print(json.dumps({"records": len(records), "queries": len(queries), **results}, indent=2))
        return
    print(
        f"{len(records)} records, {len(queries)} judged queries "
        f"({len(missing)} judged pages not in this build)"
    )
    k = args.k
    header = f"{'queries':<10}{'n':>4}" + "".join(
        f"{name + ' nDCG@' + str(k):>20}{'MRR@' + str(k):>9}" for name in results
    )
    print(header)
    for kind in ["all", "name", "concept", "typo", "prefix"]:
        if kind not in results["embedded"]:
            continue
        row = f"{kind:<10}{results['embedded'][kind]['queries']:>4}"
        for figures in results.values():
            row += f"{figures[kind][f'ndcg@{k}']:>20.3f}{figures[kind][f'mrr@{k}']:>9.3f}"
        print(row)
    if args.verbose:
        for judged in queries:
            ours = embedded(judged.query)
            line = f"{ndcg_at_k(ours, judged.judgments, k):.2f} {judged.query!r}: {ours[:3]}"
            if sphinx:
                theirs = sphinx[judged.query]
                line += f" | sphinx {ndcg_at_k(theirs, judged.judgments, k):.2f} {theirs[:3]}"
            print(line)


if __name__ == "__main__":
    main()
