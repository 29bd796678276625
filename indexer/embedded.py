"""The embedded backend: one SQLite FTS5 file, no server.

Text is stored unstemmed (``unicode61``), so prefixes and typos match real words (with the
``porter`` tokenizer ``isolat*`` finds nothing: "isolation" is stored as ``isol``).
Ranking follows Meilisearch's bucket sort (see :mod:`indexer.ranking`): query words
matched, typos, query words in the name, their position, BM25 with per-field weights,
then ``page_rank``.

A re-index copies the current file, applies only the changed records (content hash) in
one transaction, and renames the copy over the index with ``os.replace``: readers see the
old index or the new one, and a re-index killed half-way leaves a stray temporary file,
never a broken index.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from itertools import chain
from pathlib import Path
from typing import Any

from indexer.backend import IndexReport, SearchRequest, filter_tree
from indexer.filters import Node, to_meilisearch
from indexer.formatting import format_hit
from indexer.matching import Vocabulary, words
from indexer.ranking import match_words, rank
from indexer.records import FILTERABLE_ATTRIBUTES, SearchRecord, content_hash
from indexer.sqlfilter import as_number, to_sql

__all__ = ["DEFAULT_INDEX", "FIELD_WEIGHTS", "EmbeddedBackend", "IndexNotFoundError"]

DEFAULT_INDEX = Path("_build") / "search" / "index.sqlite"
SCHEMA = "atomkb-search-3"
# BM25 weight of each FTS column, in column order.
FIELD_WEIGHTS = {"title": 10.0, "hierarchy": 4.0, "summary": 4.0, "tags": 3.0, "content": 1.0}
MAX_QUERY_WORDS = 10  # Meilisearch also ignores words after the 10th

_DDL = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, hash TEXT NOT NULL,
                  page_rank INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE facets(doc INTEGER NOT NULL, attribute TEXT NOT NULL,
                    value TEXT COLLATE NOCASE, number REAL);
CREATE INDEX facets_by_value ON facets(attribute, value, doc);
CREATE INDEX facets_by_doc ON facets(doc);
CREATE VIRTUAL TABLE fts USING fts5({", ".join(FIELD_WEIGHTS)},
    tokenize="unicode61 remove_diacritics 2", prefix='1 2 3 4');
CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'row');
CREATE TABLE vocab(term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema', '{SCHEMA}');
"""


class IndexNotFoundError(LookupError):
    """There is no index file yet (or it is not an atomkb index)."""


def _fts_values(record: SearchRecord) -> tuple[str, ...]:
    """FTS columns; the name column holds the title and the last hierarchy level (an id)."""
    hierarchy = " ".join(
        h for h in (record.hierarchy_lvl0, record.hierarchy_lvl1, record.hierarchy_lvl2) if h
    )
    return (
        f"{record.title}\n{record.hierarchy_lvl3 or ''}",
        hierarchy,
        record.summary,
        " ".join(record.tags),
        record.content,
    )


def _facet_rows(rowid: int, record: SearchRecord) -> list[tuple[int, str, Any, Any]]:
    rows = []
    for attribute in FILTERABLE_ATTRIBUTES:
        rows.append((rowid, attribute, None, None))  # every field exists, as in Meilisearch
        value = getattr(record, attribute)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                rows.append((rowid, attribute, str(item), as_number(item)))
    return rows


class EmbeddedBackend:
    """Search records in one SQLite FTS5 file (default ``_build/search/index.sqlite``).

    Parameters
    ----------
    path : str or Path
        The index file; its folder is created on the first re-index.

    Examples
    --------
    >>> import tempfile
    >>> from indexer.records import SearchRecord
    >>> backend = EmbeddedBackend(tempfile.mkdtemp() + "/index.sqlite")
    >>> report = backend.replace_all([SearchRecord(
    ...     id="c1", kind="component", title="Isolation forest detector",
    ...     url="components/anomaly.isolation-forest.html", tasks=["anomaly-detection"])])
    >>> answer = backend.search(SearchRequest(q="isolaton fore"))
    >>> [hit["id"] for hit in answer["hits"]], answer["estimatedTotalHits"]
    (['c1'], 1)
    """

    name = "embedded"

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_INDEX) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._state: _State | None = None
        self._lock = threading.Lock()

    # -- writing ---------------------------------------------------------------------

    def replace_all(self, records: list[SearchRecord]) -> IndexReport:
        """Make ``records`` the whole index, atomically; unchanged records are kept as they are."""
        started = time.perf_counter()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OSError(
                f"cannot create the folder of the search index {self.path} "
                f"({error.strerror or error}); choose an --index-file in a folder you can write to"
            ) from None
        self._remove_stale_temporaries()
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        report = IndexReport(self.name, str(self.path), total=len(records))
        try:
            try:
                connection = sqlite3.connect(tmp, isolation_level=None)
            except sqlite3.OperationalError as error:
                raise OSError(
                    f"cannot write the search index next to {self.path} ({error}); choose an "
                    "--index-file in a folder you can write to"
                ) from None
            try:
                self._start_from_current(connection)
                connection.execute("PRAGMA journal_mode=MEMORY")
                connection.execute("PRAGMA synchronous=OFF")
                connection.execute("BEGIN")
                self._apply(connection, records, report)
                connection.execute("DELETE FROM vocab")
                connection.execute("INSERT INTO vocab SELECT term, doc FROM fts_terms")
                connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
                connection.execute("COMMIT")
            finally:
                connection.close()
            with open(tmp, "rb+") as stream:
                os.fsync(stream.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        report.seconds = time.perf_counter() - started
        return report

    def _start_from_current(self, connection: sqlite3.Connection) -> None:
        if self.path.exists():
            with contextlib.suppress(sqlite3.DatabaseError):
                source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
                try:
                    if source.execute("SELECT value FROM meta WHERE key='schema'").fetchone() == (
                        SCHEMA,
                    ):
                        source.backup(connection)
                        return
                finally:
                    source.close()
        connection.executescript(_DDL)

    def _apply(
        self, connection: sqlite3.Connection, records: list[SearchRecord], report: IndexReport
    ) -> None:
        current = {
            doc_id: (rowid, digest)
            for rowid, doc_id, digest in connection.execute("SELECT rowid, id, hash FROM docs")
        }
        wanted = set()
        for record in records:
            if record.id in wanted:
                raise ValueError(
                    f"records: expected unique ids, found {record.id!r} twice; make ids unique"
                )
            wanted.add(record.id)
            digest = content_hash(record)
            known = current.get(record.id)
            if known and known[1] == digest:
                report.unchanged += 1
                continue
            if known:
                self._delete(connection, known[0])
                report.updated += 1
            else:
                report.added += 1
            data = json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
            rowid = connection.execute(
                "INSERT INTO docs(id, hash, page_rank, data) VALUES (?, ?, ?, ?)",
                (record.id, digest, record.page_rank, data),
            ).lastrowid
            connection.execute(
                f"INSERT INTO fts(rowid, {', '.join(FIELD_WEIGHTS)}) VALUES (?, ?, ?, ?, ?, ?)",
                (rowid, *_fts_values(record)),
            )
            connection.executemany(
                "INSERT INTO facets VALUES (?, ?, ?, ?)", _facet_rows(rowid, record)
            )
        for doc_id, (rowid, _) in current.items():
            if doc_id not in wanted:
                self._delete(connection, rowid)
                report.deleted += 1

    @staticmethod
    def _delete(connection: sqlite3.Connection, rowid: int) -> None:
        connection.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
        connection.execute("DELETE FROM facets WHERE doc = ?", (rowid,))
        connection.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))

    def _remove_stale_temporaries(self) -> None:
        """Delete temporary files left by re-indexes that were killed (their process is gone)."""
        for stray in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            pid = stray.name.rsplit(".", 2)[-2]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                stray.unlink(missing_ok=True)

    # -- reading ---------------------------------------------------------------------

    def _open(self) -> tuple[sqlite3.Connection, _State]:
        """This thread's read-only connection to the current file, and its cached state."""
        try:
            status = self.path.stat()
        except FileNotFoundError:
            raise IndexNotFoundError(
                f"no search index at {self.path}; build it with `kb index`"
            ) from None
        identity = (status.st_ino, status.st_mtime_ns)
        cached = getattr(self._local, "connection", None)
        if cached is None or cached[0] != identity:
            if cached is not None:
                cached[1].close()
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                schema = connection.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            except sqlite3.DatabaseError:
                schema = None
            if schema != (SCHEMA,):
                connection.close()
                raise IndexNotFoundError(
                    f"{self.path} is not an atomkb search index (or an older one); "
                    "rebuild it with `kb index`"
                )
            self._local.connection = cached = (identity, connection)
        with self._lock:
            if self._state is None or self._state.identity != identity:
                self._state = _State(identity, cached[1])
            return cached[1], self._state

    def count(self) -> int:
        """Number of records in the index."""
        connection, _ = self._open()
        return connection.execute("SELECT count(*) FROM docs").fetchone()[0]

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Answer a search request like Meilisearch's ``POST /indexes/<uid>/search``."""
        started = time.perf_counter()
        tree = filter_tree(request)  # a bad filter fails before the index is opened
        connection, state = self._open()
        allowed = state.filtered(connection, tree)
        query_words = words(request.q)[:MAX_QUERY_WORDS]
        terms: set[str] = set()
        prefixes: tuple[str, ...] = ()
        need = request.offset + request.limit
        if not query_words:
            ordered = [r for r in state.placeholder if allowed is None or r in allowed]
            candidates: set[int] | list[int] = ordered
        else:
            last_is_prefix = request.q.rstrip() == request.q
            matches, counts, typos = match_words(
                connection, state.vocabulary, query_words, last_is_prefix
            )
            candidates = set(counts) if allowed is None else set(counts) & allowed
            ordered = rank(
                connection,
                matches,
                counts,
                typos,
                candidates,
                state.names,
                state.page_rank,
                _WEIGHTS,
                need,
            )
            for match in matches:
                terms |= match.terms
                prefixes += match.prefixes
        page = ordered[request.offset : need]
        answer: dict[str, Any] = {
            "hits": [
                format_hit(hit, request, terms, prefixes) for hit in state.hits(connection, page)
            ],
            "query": request.q,
            "processingTimeMs": 0,
            "limit": request.limit,
            "offset": request.offset,
            "estimatedTotalHits": len(candidates),
        }
        if request.facets is not None:
            answer["facetDistribution"] = state.facet_distribution(
                connection, candidates, request.facet_names()
            )
        answer["processingTimeMs"] = round((time.perf_counter() - started) * 1000)
        return answer


_WEIGHTS = ", ".join(str(weight) for weight in FIELD_WEIGHTS.values())


class _State:
    """What searches of one index file share: vocabulary, names, ranks, filter results."""

    def __init__(self, identity: tuple[int, int], connection: sqlite3.Connection) -> None:
        self.identity = identity
        self.vocabulary = Vocabulary(row[0] for row in connection.execute("SELECT term FROM vocab"))
        self.names = {
            rowid: words(title)
            for rowid, title in connection.execute("SELECT rowid, title FROM fts")
        }
        rows = connection.execute("SELECT rowid, page_rank, id FROM docs").fetchall()
        self.page_rank = {rowid: rank for rowid, rank, _ in rows}
        self.placeholder = [r for r, _, _ in sorted(rows, key=lambda row: (-row[1], row[2]))]
        self._filters: dict[str, frozenset[int]] = {}
        self._facets: dict[int, list[tuple[str, str]]] | None = None
        self._totals: Counter[tuple[str, str]] | None = None

    def filtered(self, connection: sqlite3.Connection, tree: Node | None) -> frozenset[int] | None:
        if tree is None:
            return None
        key = to_meilisearch(tree)
        if key not in self._filters:
            if len(self._filters) > 512:
                self._filters.clear()
            sql, params = to_sql(tree)
            self._filters[key] = frozenset(
                row[0]
                for row in connection.execute(f"SELECT d.rowid FROM docs d WHERE {sql}", params)
            )
        return self._filters[key]

    @staticmethod
    def hits(connection: sqlite3.Connection, page: list[int]) -> list[dict[str, Any]]:
        if not page:
            return []
        rows = dict(
            connection.execute(
                "SELECT rowid, data FROM docs WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(page),),
            )
        )
        return [json.loads(rows[rowid]) for rowid in page]

    def facet_distribution(
        self, connection: sqlite3.Connection, candidates: set[int] | list[int], names: list[str]
    ) -> dict[str, dict[str, int]]:
        if self._facets is None:
            self._facets = defaultdict(list)
            for doc, attribute, value in connection.execute(
                "SELECT doc, attribute, value FROM facets WHERE value IS NOT NULL"
            ):
                self._facets[doc].append((attribute, value))
        if self._totals is None:
            self._totals = Counter(chain.from_iterable(self._facets.values()))
        if len(candidates) > len(self.page_rank) // 2:  # count the complement: fewer documents
            chosen = candidates if isinstance(candidates, set | frozenset) else set(candidates)
            rest = (r for r in self.page_rank if r not in chosen)
            counted = self._totals - Counter(
                chain.from_iterable(self._facets.get(r, ()) for r in rest)
            )
        else:
            counted = Counter(chain.from_iterable(self._facets.get(r, ()) for r in candidates))
        distribution: dict[str, dict[str, int]] = {name: {} for name in names}
        for (attribute, value), count in sorted(counted.items()):
            if attribute in distribution:
                distribution[attribute][value] = count
        return distribution


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
