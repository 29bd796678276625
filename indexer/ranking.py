"""Ranking for the embedded backend: Meilisearch's bucket sort, done lazily.

Documents are sorted by rules, each rule only breaking the ties of the ones before:

1. words: how many query words the document matches (more first);
2. typo: how many typos those matches needed (fewer first);
3. name words: how many query words appear in the name (title and id);
4. name position: how early the first of them appears in the name;
5. BM25 with per-field weights;
6. ``page_rank`` (higher first).

Rules 1-2 are computed for every candidate from posting lists (one FTS query per word and
typo count); the later, costlier rules only for the buckets that fill the requested page,
as Meilisearch does. That keeps as-you-type queries fast on tens of thousands of records.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.matching import Vocabulary

__all__ = ["NAME_COLUMN", "FirstWords", "Ranked", "WordMatch", "match_words", "rank", "relax"]

NAME_COLUMN = "title"
_FAR = 1 << 20
BM25_LIMIT = 10_000  # name position of a document whose name matches no query word


@dataclass
class WordMatch:
    """The index terms one query word stands for."""

    terms: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()
    phrases: dict[int, list[str]] = field(default_factory=dict)  # typos -> FTS phrases
    documents: set[int] = field(default_factory=set)  # rowids matching the word
    columns: str = ""  # an FTS5 column filter (``{title summary}``), or "" for every column

    def expression(self) -> str:
        expression = " OR ".join(p for phrases in self.phrases.values() for p in phrases)
        if expression and self.columns:
            return f"{self.columns} : ({expression})"
        return expression

    def matches(self, token: str) -> bool:
        return token in self.terms or bool(self.prefixes and token.startswith(self.prefixes))


def _phrase(term: str, prefix: bool) -> str:
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def match_words(
    connection: sqlite3.Connection,
    vocabulary: Vocabulary,
    query_words: list[str],
    last_is_prefix: bool,
    columns: str = "",
) -> tuple[list[WordMatch], Counter[int], dict[int, int]]:
    """Per word its terms; per document the words it matches and the typos they cost.

    ``columns`` restricts matching to some FTS columns (an FTS5 column filter such as
    ``{title summary}``; empty for all).
    """
    matches, counts, typos = [], Counter(), defaultdict(int)
    per_word: list[set[int]] = []
    for position, word in enumerate(query_words):
        is_prefix = last_is_prefix and position == len(query_words) - 1
        match = WordMatch(columns=columns)
        prefixes = []
        for candidate in vocabulary.candidates(word, prefix=is_prefix):
            match.phrases.setdefault(candidate.typos, []).append(
                _phrase(candidate.term, candidate.prefix)
            )
            (prefixes.append if candidate.prefix else match.terms.add)(candidate.term)
        match.prefixes = tuple(prefixes)
        matches.append(match)
        seen: set[int] = set()
        for cost in sorted(match.phrases):
            expression = " OR ".join(match.phrases[cost])
            if columns:
                expression = f"{columns} : ({expression})"
            found = {
                row[0]
                for row in connection.execute(
                    "SELECT rowid FROM fts WHERE fts MATCH ?", (expression,)
                )
            }
            found -= seen
            if cost:
                for rowid in found:
                    typos[rowid] += cost
            seen |= found
        counts.update(seen)
        per_word.append(seen)
    for match, seen in zip(matches, per_word, strict=True):
        match.documents = seen
    return matches, counts, typos


def relax(matches: list[WordMatch], strategy: str) -> Counter[int]:
    """Per document, how many query words it matches under Meilisearch's matching strategy.

    ``last`` drops words from the end of the query, ``frequency`` drops the most frequent
    word first: a document counts the longest run of kept words it matches all of, and
    one that matches not even the first kept word is not a result. ``all`` keeps only the
    documents that match every word.

    Examples
    --------
    >>> a, b, c = (WordMatch(documents=set(d)) for d in ({1, 2, 3}, {1, 3}, {2, 3, 4}))
    >>> sorted(relax([a, b, c], "last").items())
    [(1, 2), (2, 1), (3, 3)]
    >>> sorted(relax([a, b, c], "frequency").items())
    [(1, 2), (3, 3)]
    >>> sorted(relax([a, b, c], "all").items())
    [(3, 3)]
    """
    order = list(matches)
    if strategy == "frequency":  # keep the rarest words longest
        order.sort(key=lambda match: len(match.documents))
    counts: Counter[int] = Counter()
    kept: set[int] | None = None
    for position, match in enumerate(order, start=1):
        kept = set(match.documents) if kept is None else kept & match.documents
        if not kept:
            break
        for rowid in kept:
            counts[rowid] = position
    if strategy == "all":
        return Counter({rowid: n for rowid, n in counts.items() if n == len(matches)})
    return counts


class FirstWords:
    """The documents whose name starts with each word: the name-position rule's first step
    as set operations, for the queries (one or two letters) that match half the index."""

    def __init__(self, names: dict[int, list[str]]) -> None:
        self.docs: dict[str, set[int]] = defaultdict(set)
        for rowid, tokens in names.items():
            if tokens:
                self.docs[tokens[0]].add(rowid)
        self.words = sorted(self.docs)

    def starting_with(self, matches: list[WordMatch]) -> set[int]:
        """Documents whose name's first word is a term or starts with a prefix of a match."""
        found: set[int] = set()
        for match in matches:
            for term in match.terms:
                found |= self.docs.get(term, set())
            for prefix in match.prefixes:
                index = bisect.bisect_left(self.words, prefix)
                while index < len(self.words) and self.words[index].startswith(prefix):
                    found |= self.docs[self.words[index]]
                    index += 1
        return found


@dataclass
class Ranked:
    """The ranked documents and, for each, its ranking key (for the ranking score)."""

    order: list[int]
    keys: dict[int, tuple] = field(default_factory=dict)


def _by_name_position(
    groups: dict,
    taken: list,
    need: int,
    names: dict[int, list[str]],
    matched: Callable[[str], bool],
    positions: dict[int, int],
    first: Callable[[], set[int]] | None = None,
) -> list[int]:
    """The documents of the ``taken`` groups that can reach the first ``need`` places.

    Inside a group (same words, typos and name words) the next rule is the position of
    the first query word in the name. Names are scanned one word position at a time, and
    the scan stops once ``need`` documents are placed: when 30,000 titles start with "s",
    the first word of each is enough. Positions found go into ``positions``. Exact: a
    document left out has a later position than every one kept.
    """
    kept: list[int] = []
    for group_key in taken:
        if len(kept) >= need:
            break
        members = groups[group_key]
        if group_key[2] == 0:  # no query word in the name: every position ties
            kept += members
            continue
        remaining, far, level = members, [], 0
        if first is not None and len(members) > 4 * need:  # the first word, by sets
            at_first = first().intersection(members)
            for rowid in at_first:
                positions[rowid] = 0
            kept += at_first
            if len(kept) >= need:
                break
            remaining, level = [r for r in members if r not in at_first], 1
        while remaining:
            later = []
            for rowid in remaining:
                tokens = names.get(rowid, ())
                if level >= len(tokens):
                    positions[rowid] = _FAR
                    far.append(rowid)
                elif matched(tokens[level]):
                    positions[rowid] = level
                    kept.append(rowid)
                else:
                    later.append(rowid)
            if len(kept) >= need:
                break  # every document still unplaced has a later position
            remaining, level = later, level + 1
        else:
            kept += far  # no word found in the name after all: they tie, last
    return kept


def _take(groups: dict, keys: list, need: int) -> list:
    """The first keys whose groups together hold at least ``need`` documents."""
    taken, total = [], 0
    for key in keys:
        if total >= need:
            break
        taken.append(key)
        total += len(groups[key])
    return taken


def rank(
    connection: sqlite3.Connection,
    matches: list[WordMatch],
    counts: Counter[int],
    typos: dict[int, int],
    candidates: set[int],
    names: dict[int, list[str]],
    page_rank: dict[int, int],
    weights: str,
    need: int,
    sort_key: Callable[[list[int]], list[int]] | None = None,
    first_words: FirstWords | None = None,
) -> Ranked:
    """The best ``need`` candidates, in ranking order, with their ranking keys.

    ``counts`` holds how many query words each document matches (see :func:`relax`).
    ``sort_key`` re-orders documents that tie on words, typos and name words (the
    ``sort`` ranking rule, as placed in Meilisearch's default rules) before the finer
    rules decide.
    """
    if not candidates or need <= 0:
        return Ranked([])
    # The best bucket (every word, no typo) by set operations; often it fills the page alone.
    best = set.intersection(*(m.documents for m in matches)) & candidates
    best.difference_update(typos)
    if len(best) >= need:
        wanted = list(best)
    else:
        buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for rowid in candidates:
            buckets[(-counts[rowid], typos.get(rowid, 0))].append(rowid)
        wanted = [r for key in _take(buckets, sorted(buckets), need) for r in buckets[key]]
    wanted_set = set(wanted)

    in_name: Counter[int] = Counter()
    named: set[int] = set()
    for match in matches:
        expression = match.expression()
        if expression:
            named = {
                row[0]
                for row in connection.execute(
                    "SELECT rowid FROM fts WHERE fts MATCH ?",
                    (f"{NAME_COLUMN} : ({expression})",),
                )
            } & wanted_set
            in_name.update(named)
    groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    if len(matches) == 1 and len(best) >= need:  # one word, all matched without typo:
        groups[(-1, 0, -1)] = list(named)  # two groups, by whether the name has it
        groups[(-1, 0, 0)] = list(wanted_set - named)
    else:
        for rowid in wanted:
            groups[(-counts[rowid], typos.get(rowid, 0), -in_name[rowid])].append(rowid)
    chosen = [r for key in _take(groups, sorted(groups), need) for r in groups[key]]

    def matched(token: str) -> bool:
        return any(match.matches(token) for match in matches)

    positions: dict[int, int] = {}
    if sort_key is None:  # only the documents that can still reach the page
        starting = functools.cache(lambda: first_words.starting_with(matches))
        chosen = _by_name_position(
            groups,
            _take(groups, sorted(groups), need),
            need,
            names,
            matched,
            positions,
            starting if first_words is not None else None,
        )

    # BM25 over a match that holds every chosen document (an FTS5 query restricted by
    # `rowid IN (...)` re-runs the match once per rowid: far slower). AND and OR of the
    # same phrases give a document the same BM25; a column filter would not, so none is
    # added here: a document's score never depends on the page asked for.
    # Over BM25_LIMIT candidates (a one- or two-letter prefix typed into a large index)
    # BM25 is skipped: SQLite would score every match (~170 ms for 70,000 of them), to
    # order documents already tied on words, typos and the name. The limit depends on
    # the query and the filter, never on the page, so pages stay consistent.
    words = len(matches)
    if all(counts[r] == words for r in chosen):
        expression = " AND ".join(f"({m.expression()})" for m in matches)
    else:
        expression = " OR ".join(e for e in (m.expression() for m in matches) if e)
    chosen_set = set(chosen)
    bm25 = (
        {
            rowid: score
            for rowid, score in connection.execute(
                f"SELECT rowid, bm25(fts, {weights}) FROM fts WHERE fts MATCH ?", (expression,)
            )
            if rowid in chosen_set
        }
        if len(candidates) <= BM25_LIMIT
        else {}
    )

    def key(rowid: int) -> tuple:
        position = positions.get(rowid)
        if position is None:
            position = _FAR
            if in_name[rowid]:
                for index, token in enumerate(names.get(rowid, ())):
                    if matched(token):
                        position = index
                        break
        return (
            -counts[rowid],
            typos.get(rowid, 0),
            -in_name[rowid],
            position,
            bm25.get(rowid, 0.0),
            -page_rank.get(rowid, 0),
            rowid,
        )

    keys = {rowid: key(rowid) for rowid in chosen}
    if sort_key is None:  # sorted(...)[:need], without sorting all
        return Ranked(heapq.nsmallest(need, chosen, key=keys.__getitem__), keys)
    finer = sort_key(sorted(chosen, key=keys.__getitem__))
    place = {rowid: index for index, rowid in enumerate(finer)}
    order = sorted(chosen, key=lambda rowid: (*keys[rowid][:3], place[rowid]))
    return Ranked(order[:need], keys)
