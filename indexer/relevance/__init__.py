"""Judged queries and the ranking measures computed over them (nDCG@k, MRR@k).

``queries.yml`` next to this module holds the judged set. A judgment names a catalog id
(mapped to ``components/<id>.html`` or ``datasets/<id>.html``) or a page URL (any key with
a ``/``). Pages are compared without their anchor, so two search engines that return
sections of the same page are judged alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "QUERIES_FILE",
    "JudgedQuery",
    "evaluate",
    "load_queries",
    "mrr_at_k",
    "ndcg_at_k",
    "page_of",
]

QUERIES_FILE = Path(__file__).resolve().parent / "queries.yml"
RELEVANT = 2  # the grade from which a page counts for MRR ("very useful")


@dataclass(frozen=True)
class JudgedQuery:
    query: str
    type: str
    judgments: dict[str, int]  # page URL -> grade


def page_of(url: str) -> str:
    """A URL without its anchor and a leading ``./`` or ``/``.

    Examples
    --------
    >>> page_of("./guides/start.html#install")
    'guides/start.html'
    """
    return url.split("#", 1)[0].removeprefix("./").lstrip("/")


def _page_for(key: str, known_pages: set[str]) -> str:
    if "/" in key:
        return page_of(key)
    component = f"components/{key}.html"
    dataset = f"datasets/{key}.html"
    return dataset if dataset in known_pages and component not in known_pages else component


def load_queries(
    known_pages: Iterable[str], path: str | Path = QUERIES_FILE
) -> tuple[list[JudgedQuery], list[str]]:
    """The judged queries restricted to pages that exist, and the judged pages that do not.

    A query none of whose judged pages exists is left out (it cannot be scored).
    """
    import yaml

    known = {page_of(p) for p in known_pages}
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    queries, missing = [], []
    for item in data["queries"]:
        judgments = {}
        for key, grade in item["judgments"].items():
            page = _page_for(str(key), known)
            if page in known:
                judgments[page] = int(grade)
            else:
                missing.append(page)
        if judgments:
            queries.append(JudgedQuery(str(item["query"]), str(item["type"]), judgments))
    return queries, sorted(set(missing))


def _unique_pages(ranked: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(page_of(url) for url in ranked))


def ndcg_at_k(ranked: Iterable[str], judgments: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first ``k`` distinct pages.

    Examples
    --------
    >>> ndcg_at_k(["a.html", "b.html"], {"a.html": 3, "b.html": 1})
    1.0
    >>> round(ndcg_at_k(["b.html", "a.html"], {"a.html": 3, "b.html": 1}), 3)
    0.71
    """
    pages = _unique_pages(ranked)[:k]
    gain = sum((2 ** judgments.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(pages))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def mrr_at_k(ranked: Iterable[str], judgments: dict[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first page graded 2 or more among the first ``k``.

    Examples
    --------
    >>> mrr_at_k(["x.html", "a.html"], {"a.html": 3})
    0.5
    """
    for rank, page in enumerate(_unique_pages(ranked)[:k], start=1):
        if judgments.get(page, 0) >= RELEVANT:
            return 1.0 / rank
    return 0.0


def evaluate(
    search: Callable[[str], list[str]], queries: list[JudgedQuery], k: int = 10
) -> dict[str, dict[str, float]]:
    """Mean nDCG@k and MRR@k, overall and per query type, of a ``query -> URLs`` function."""
    per_type: dict[str, list[tuple[float, float]]] = {}
    for judged in queries:
        ranked = search(judged.query)
        scores = (ndcg_at_k(ranked, judged.judgments, k), mrr_at_k(ranked, judged.judgments, k))
        per_type.setdefault("all", []).append(scores)
        per_type.setdefault(judged.type, []).append(scores)
    return {
        name: {
            "queries": len(values),
            f"ndcg@{k}": sum(v[0] for v in values) / len(values),
            f"mrr@{k}": sum(v[1] for v in values) / len(values),
        }
        for name, values in per_type.items()
    }
