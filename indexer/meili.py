"""The Meilisearch backend, for a team's shared server.

Transport, configuration and errors are the official ``meilisearch`` client's; every
request goes through :class:`ValidatingHttp`, which checks it against Meilisearch's
published OpenAPI spec before it leaves the machine. Writes are batched and each task is
awaited, its error surfaced. A full re-index fills a fresh index and swaps it with the live
one (``POST /swap-indexes``), so searches never see half an index; when the settings are
unchanged only changed records are sent and removed ones deleted (content hash).
The API key is sent in a header and never printed or logged.
"""

from __future__ import annotations

import time
from typing import Any

from indexer.backend import IndexReport, SearchRequest, filter_tree
from indexer.filters import to_meilisearch
from indexer.matching import SYNONYMS
from indexer.openapi import spec_available, validate_request
from indexer.records import (
    FILTERABLE_ATTRIBUTES,
    SEARCHABLE_ATTRIBUTES,
    SORTABLE_ATTRIBUTES,
    SearchRecord,
    content_hash,
)

__all__ = ["MeilisearchBackend", "ValidatingHttp", "search_body", "settings_body", "swap_body"]

HASH_FIELD = "content_hash"
BATCH_SIZE = 1000


def settings_body() -> dict[str, Any]:
    """The index settings: what is searched, filtered, sorted, and how results rank.

    Examples
    --------
    >>> settings_body()["filterableAttributes"][:2]
    ['kind', 'tasks']
    """
    return {
        "displayedAttributes": list(SearchRecord.model_fields),
        "searchableAttributes": list(SEARCHABLE_ATTRIBUTES),
        "filterableAttributes": list(FILTERABLE_ATTRIBUTES),
        "sortableAttributes": list(SORTABLE_ATTRIBUTES),
        "rankingRules": [
            "words",
            "typo",
            "proximity",
            "attributeRank",
            "sort",
            "wordPosition",
            "exactness",
            "page_rank:desc",
        ],
        "synonyms": {word: list(alternatives) for word, alternatives in SYNONYMS.items()},
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
        },
        # Guide sections share a page URL yet are distinct results: no distinct attribute.
        "distinctAttribute": None,
        "pagination": {"maxTotalHits": 10000},
    }


def search_body(request: SearchRequest) -> dict[str, Any]:
    """A Meilisearch search body from a request, its filter parsed and re-rendered.

    Examples
    --------
    >>> search_body(SearchRequest(q="forest", filter="kind=component", limit=3))
    {'q': 'forest', 'limit': 3, 'filter': 'kind = "component"'}
    """
    body = request.model_dump(exclude_defaults=True, exclude={"filter"})
    tree = filter_tree(request)  # the same parser as the embedded backend: same errors
    if tree is not None:
        body["filter"] = to_meilisearch(tree)
    return body


def swap_body(live: str, fresh: str) -> list[dict[str, Any]]:
    """The body of ``POST /swap-indexes`` that exchanges two indexes."""
    return [{"indexes": [live, fresh]}]


class ValidatingHttp:
    """The official client's HTTP layer, with every request checked against the spec."""

    def __init__(self, url: str, api_key: str | None, timeout: int = 30) -> None:
        import meilisearch

        self._client = meilisearch.Client(url, api_key, timeout=timeout)
        self._http = self._client.http

    def __repr__(self) -> str:  # never shows the key
        return f"ValidatingHttp({self._client.config.url!r})"

    def request(self, method: str, path: str, body: Any = None) -> Any:
        if spec_available():
            validate_request(method, path, body)
        if method == "GET":
            return self._http.get(path)
        if method == "DELETE":
            return self._http.delete(path)
        sender = {"POST": self._http.post, "PATCH": self._http.patch, "PUT": self._http.put}
        return sender[method](path, body)


class MeilisearchBackend:
    """Search records on a Meilisearch server.

    Parameters
    ----------
    url : str
        Server URL, e.g. ``http://127.0.0.1:7700``.
    api_key : str or None
        A key with the needed rights (admin for indexing, search for searching).
    index_uid : str
        The live index.
    batch_size : int
        Documents per write task.
    timeout : float
        Seconds to wait for one task.
    """

    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        index_uid: str = "atomkb",
        batch_size: int = BATCH_SIZE,
        timeout: float = 300.0,
    ) -> None:
        self.url = url
        self.index_uid = index_uid
        self.batch_size = batch_size
        self.timeout = timeout
        self.http = ValidatingHttp(url, api_key)

    def __repr__(self) -> str:
        return f"MeilisearchBackend({self.url!r}, index_uid={self.index_uid!r})"

    # -- tasks -----------------------------------------------------------------------

    def _wait(self, answer: dict[str, Any]) -> dict[str, Any]:
        uid = answer["taskUid"]
        deadline = time.monotonic() + self.timeout
        while True:
            task = self.http.request("GET", f"tasks/{uid}")
            if task["status"] == "succeeded":
                return task
            if task["status"] in ("failed", "canceled"):
                error = task.get("error") or {}
                raise RuntimeError(
                    f"Meilisearch task {uid} ({task.get('type')}) {task['status']}: "
                    f"{error.get('message', 'no message')} ({error.get('code', '?')})"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"Meilisearch task {uid} still {task['status']} after {self.timeout:.0f} s; "
                    "check the server's load and retry"
                )
            time.sleep(0.05)

    def _exists(self, uid: str) -> bool:
        from meilisearch.errors import MeilisearchApiError

        try:
            self.http.request("GET", f"indexes/{uid}")
        except MeilisearchApiError as error:
            if error.code == "index_not_found":
                return False
            raise
        return True

    # -- writing ---------------------------------------------------------------------

    def _documents(self, records: list[SearchRecord]) -> list[dict[str, Any]]:
        return [{**r.model_dump(mode="json"), HASH_FIELD: content_hash(r)} for r in records]

    def _write(self, uid: str, documents: list[dict[str, Any]]) -> None:
        for start in range(0, len(documents), self.batch_size):
            batch = documents[start : start + self.batch_size]
            self._wait(self.http.request("POST", f"indexes/{uid}/documents?primaryKey=id", batch))

    def _current_hashes(self) -> dict[str, str]:
        hashes, offset = {}, 0
        while True:
            page = self.http.request(
                "POST",
                f"indexes/{self.index_uid}/documents/fetch",
                {"offset": offset, "limit": 1000, "fields": ["id", HASH_FIELD]},
            )
            for document in page["results"]:
                hashes[document["id"]] = document.get(HASH_FIELD, "")
            offset += len(page["results"])
            if not page["results"] or offset >= page["total"]:
                return hashes

    def _settings_match(self) -> bool:
        current = self.http.request("GET", f"indexes/{self.index_uid}/settings")
        return all(current.get(key) == value for key, value in settings_body().items())

    def replace_all(self, records: list[SearchRecord]) -> IndexReport:
        """Make ``records`` the live index: incrementally, or through a fresh index and a swap."""
        started = time.perf_counter()
        report = IndexReport(self.name, f"{self.url} index {self.index_uid}", total=len(records))
        documents = self._documents(records)
        if self._exists(self.index_uid) and self._settings_match():
            current = self._current_hashes()
            changed = [d for d in documents if current.get(d["id"]) != d[HASH_FIELD]]
            wanted = {d["id"] for d in documents}
            removed = [doc_id for doc_id in current if doc_id not in wanted]
            report.added = sum(1 for d in changed if d["id"] not in current)
            report.updated = len(changed) - report.added
            report.unchanged = len(documents) - len(changed)
            report.deleted = len(removed)
            self._write(self.index_uid, changed)
            for start in range(0, len(removed), self.batch_size):
                batch = removed[start : start + self.batch_size]
                self._wait(
                    self.http.request(
                        "POST", f"indexes/{self.index_uid}/documents/delete-batch", batch
                    )
                )
        else:
            fresh = f"{self.index_uid}_build_{int(time.time())}"
            self._wait(self.http.request("POST", "indexes", {"uid": fresh, "primaryKey": "id"}))
            try:
                self._wait(self.http.request("PATCH", f"indexes/{fresh}/settings", settings_body()))
                self._write(fresh, documents)
                if not self._exists(self.index_uid):
                    self._wait(
                        self.http.request(
                            "POST", "indexes", {"uid": self.index_uid, "primaryKey": "id"}
                        )
                    )
                self._wait(
                    self.http.request("POST", "swap-indexes", swap_body(self.index_uid, fresh))
                )
            finally:  # after the swap `fresh` holds the old records; before it, the failed build
                self._wait(self.http.request("DELETE", f"indexes/{fresh}"))
            report.added = len(documents)
        report.seconds = time.perf_counter() - started
        return report

    # -- reading ---------------------------------------------------------------------

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Send the request to ``POST /indexes/<uid>/search`` and return Meilisearch's answer."""
        return self.http.request("POST", f"indexes/{self.index_uid}/search", search_body(request))
