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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.backend import IndexReport, SearchRequest, filter_tree
from indexer.filters import Node, to_meilisearch
from indexer.formatting import format_hit, matches_position, ranking_score
from indexer.matching import Vocabulary, words
from indexer.ranking import FirstWords, Ranked, WordMatch, match_words, rank, relax
from indexer.records import (
    FILTERABLE_ATTRIBUTES,
    SEARCHABLE_ATTRIBUTES,
    SearchRecord,
    content_hash,
)
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
        found = self._find(connection, state, request, tree)
        offset, limit = request.window()
        exhaustive = bool(request.distinct or request.rankingScoreThreshold is not None)
        need = len(found.candidates) if exhaustive else offset + limit
        ranked = self._ranked(connection, state, request, found, need)
        order = ranked.order
        if request.distinct:
            order = state.distinct(connection, order, request.distinct)
        scores: dict[int, float] = {}
        if request.showRankingScore or request.rankingScoreThreshold is not None:
            scores = {r: ranking_score(ranked.keys.get(r), len(found.words)) for r in order}
            if request.rankingScoreThreshold is not None:
                order = [r for r in order if scores[r] >= request.rankingScoreThreshold]
        total = len(order) if exhaustive else len(found.candidates)
        page = order[offset : offset + limit]
        hits = []
        searched = _searched_attributes(request)
        for rowid, stored in zip(page, state.hits(connection, page), strict=True):
            positions = (
                matches_position(stored, searched, found.terms, found.prefixes)
                if request.showMatchesPosition
                else None
            )
            hit = format_hit(stored, request, found.terms, found.prefixes)
            if positions is not None:
                hit["_matchesPosition"] = positions
            if request.showRankingScore:
                hit["_rankingScore"] = scores[rowid]
            hits.append(hit)
        answer: dict[str, Any] = {"hits": hits, "query": request.q, "processingTimeMs": 0}
        if request.paginated:
            per_page = limit if request.page != 0 else (request.hitsPerPage or 20)
            answer["hitsPerPage"] = per_page
            answer["page"] = 1 if request.page is None else request.page
            answer["totalPages"] = -(-total // per_page) if per_page else 0
            answer["totalHits"] = total
        else:
            answer.update(limit=limit, offset=offset, estimatedTotalHits=total)
        if request.facets is not None:
            facet_docs = order if request.distinct else found.candidates
            answer["facetDistribution"] = state.facet_distribution(
                connection, facet_docs, request.facet_names()
            )
            answer["facetStats"] = {}
        answer["processingTimeMs"] = round((time.perf_counter() - started) * 1000)
        return answer

    def facet_search(
        self, facet_name: str, facet_query: str | None, request: SearchRequest
    ) -> dict[str, Any]:
        """Meilisearch's ``POST /indexes/<uid>/facet-search``: values of one facet, with counts.

        Values are those of the documents matching ``request`` (its ``q``, filter and
        matching strategy); ``facet_query`` keeps the values one of whose words starts with
        it (lowercase, accents ignored), as Meilisearch's prefix search on facet values.
        Sorted by value, at most 100 (Meilisearch's ``maxValuesPerFacet``).
        """
        started = time.perf_counter()
        if facet_name not in FILTERABLE_ATTRIBUTES:
            raise ValueError(
                f"facetName: attribute `{facet_name}` is not filterable; use one of "
                f"{', '.join(FILTERABLE_ATTRIBUTES)}"
            )
        tree = filter_tree(request)
        connection, state = self._open()
        found = self._find(connection, state, request, tree)
        counts = state.facet_distribution(connection, found.candidates, [facet_name])[facet_name]
        wanted = words(facet_query or "")
        hits = [
            {"value": value, "count": count}
            for value, count in sorted(counts.items())
            if _facet_matches(value, wanted)
        ][:100]
        return {
            "facetHits": hits,
            "facetQuery": facet_query,
            "processingTimeMs": round((time.perf_counter() - started) * 1000),
        }

    def stats(self) -> dict[str, Any]:
        """Meilisearch's index stats: documents, sizes in bytes (the SQLite file for the
        index), and how many documents have each field."""
        connection, state = self._open()
        fields: Counter[str] = Counter()
        raw = 0
        for (data,) in connection.execute("SELECT data FROM docs"):
            raw += len(data.encode())
            fields.update(k for k, v in json.loads(data).items() if v not in (None, "", []))
        documents = len(state.page_rank)
        size = self.path.stat().st_size
        return {
            "numberOfDocuments": documents,
            "rawDocumentDbSize": raw,
            "avgDocumentSize": raw // documents if documents else 0,
            "indexSize": size,
            "usedIndexSize": size,
            "isIndexing": False,
            "fieldDistribution": dict(sorted(fields.items())),
        }

    def _find(
        self,
        connection: sqlite3.Connection,
        state: _State,
        request: SearchRequest,
        tree: Node | None,
    ) -> _Found:
        """The documents matching the query under the request's filter and matching strategy."""
        allowed = state.filtered(connection, tree)
        query_words = words(request.q or "")[:MAX_QUERY_WORDS]
        if not query_words:
            ordered = [r for r in state.placeholder if allowed is None or r in allowed]
            return _Found(query_words, ordered)
        last_is_prefix = (request.q or "").rstrip() == request.q
        matches, counts, typos = match_words(
            connection, state.vocabulary, query_words, last_is_prefix, _columns(request)
        )
        if request.matchingStrategy is not None:
            counts = relax(matches, request.matchingStrategy)
        candidates = set(counts) if allowed is None else set(counts) & allowed
        terms: set[str] = set()
        prefixes: tuple[str, ...] = ()
        for match in matches:
            terms |= match.terms
            prefixes += match.prefixes
        return _Found(query_words, candidates, matches, counts, typos, terms, prefixes)

    def _ranked(
        self,
        connection: sqlite3.Connection,
        state: _State,
        request: SearchRequest,
        found: _Found,
        need: int,
    ) -> Ranked:
        sort_key = state.sorter(connection, request.sort) if request.sort else None
        if not found.words:
            order = list(found.candidates)
            return Ranked(sort_key(order) if sort_key else order)
        return rank(
            connection,
            found.matches,
            found.counts,
            found.typos,
            set(found.candidates),
            state.names,
            state.page_rank,
            _WEIGHTS,
            need,
            sort_key,
            state.first_words(),
        )


@dataclass
class _Found:
    """What a query matched: its words, the candidate documents and how they matched."""

    words: list[str]
    candidates: set[int] | list[int]
    matches: list[WordMatch] = field(default_factory=list)
    counts: Counter[int] = field(default_factory=Counter)
    typos: dict[int, int] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()


# Searchable attribute -> the FTS column holding it.
_COLUMN_OF = {
    "title": "title",
    "hierarchy_lvl3": "title",
    "hierarchy_lvl0": "hierarchy",
    "hierarchy_lvl1": "hierarchy",
    "hierarchy_lvl2": "hierarchy",
    "summary": "summary",
    "tags": "tags",
    "content": "content",
}


def _columns(request: SearchRequest) -> str:
    """The FTS5 column filter for ``attributesToSearchOn`` ("" searches every column)."""
    names = request.attributesToSearchOn
    if not names or "*" in names:
        return ""
    return "{" + " ".join(sorted({_COLUMN_OF[name] for name in names})) + "}"


def _searched_attributes(request: SearchRequest) -> tuple[str, ...]:
    names = request.attributesToSearchOn
    if not names or "*" in names:
        return SEARCHABLE_ATTRIBUTES
    return tuple(name for name in SEARCHABLE_ATTRIBUTES if name in names)


def _facet_matches(value: str, wanted: list[str]) -> bool:
    """Whether every word of a facet query starts a word of the value."""
    if not wanted:
        return True
    have = words(value)
    return all(any(word.startswith(w) for word in have) for w in wanted)


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
        self._value_docs: dict[tuple[str, str], frozenset[int]] | None = None
        self._first_words: FirstWords | None = None
        self._sort_values: dict[str, dict[int, Any]] = {}
        self._distinct_values: dict[str, dict[int, tuple[str, ...]]] = {}

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

    def first_words(self) -> FirstWords:
        if self._first_words is None:
            self._first_words = FirstWords(self.names)
        return self._first_words

    def sorter(
        self, connection: sqlite3.Connection, rules: list[str]
    ) -> Callable[[list[int]], list[int]]:
        """A function that orders documents by ``sort`` rules (``title:asc``, ...).

        Stable: documents equal on every rule keep their order. Strings compare without
        case; a document without the attribute comes after those with it, either way.
        """
        columns = {name for name, _, _ in (rule.partition(":") for rule in rules)}
        for name in columns - self._sort_values.keys():
            self._sort_values[name] = {
                rowid: (value.casefold() if isinstance(value, str) else value)
                for rowid, value in connection.execute(
                    "SELECT rowid, json_extract(data, ?) FROM docs", (f"$.{name}",)
                )
                if value is not None
            }

        def order(rowids: list[int]) -> list[int]:
            ordered = list(rowids)
            for rule in reversed(rules):
                name, _, direction = rule.partition(":")
                values = self._sort_values[name]
                present = [r for r in ordered if r in values]
                present.sort(key=values.__getitem__, reverse=direction == "desc")
                ordered = present + [r for r in ordered if r not in values]
            return ordered

        return order

    def distinct(
        self, connection: sqlite3.Connection, order: list[int], attribute: str
    ) -> list[int]:
        """``order`` keeping the first document of each value of ``attribute``.

        Documents without the attribute are all kept, as in Meilisearch.
        """
        if attribute not in self._distinct_values:
            values: dict[int, list[str]] = defaultdict(list)
            for doc, value in connection.execute(
                "SELECT doc, value FROM facets WHERE attribute = ? AND value IS NOT NULL "
                "ORDER BY value",
                (attribute,),
            ):
                values[doc].append(value.casefold())
            self._distinct_values[attribute] = {d: tuple(v) for d, v in values.items()}
        values_of = self._distinct_values[attribute]
        seen: set[tuple[str, ...]] = set()
        kept = []
        for rowid in order:
            value = values_of.get(rowid)
            if value is None:
                kept.append(rowid)
            elif value not in seen:
                seen.add(value)
                kept.append(rowid)
        return kept

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
        """Per facet value, how many candidates have it: one set intersection per value.

        Facets have few values and searches many candidates, so counting by intersecting
        each value's documents with the candidates (in C) beats walking the candidates.
        """
        if self._value_docs is None:
            docs: dict[tuple[str, str], set[int]] = defaultdict(set)
            for doc, attribute, value in connection.execute(
                "SELECT doc, attribute, value FROM facets WHERE value IS NOT NULL"
            ):
                docs[(attribute, value)].add(doc)
            self._value_docs = {key: frozenset(found) for key, found in sorted(docs.items())}
        everything = len(candidates) == len(self.page_rank)
        chosen = candidates if isinstance(candidates, set | frozenset) else set(candidates)
        distribution: dict[str, dict[str, int]] = {name: {} for name in names}
        for (attribute, value), documents in self._value_docs.items():
            if attribute in distribution:
                count = len(documents) if everything else len(documents & chosen)
                if count:
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
