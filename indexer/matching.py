"""Query words → index terms (exact, prefix, typos), and highlighted, cropped snippets.

Typo tolerance follows Meilisearch's rules: words of 5 to 8 letters allow 1 typo, words
of 9 or more allow 2, and a typo on the first letter counts as two. Distances come from
rapidfuzz (Damerau-Levenshtein: a transposition is one typo) over the index vocabulary,
never from a hand-written edit distance. Only the last query word is also a prefix.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "SYNONYMS",
    "Candidate",
    "Vocabulary",
    "crop_and_highlight",
    "match_spans",
    "normalize",
    "typo_budget",
    "words",
]

ONE_TYPO, TWO_TYPOS = 5, 9  # Meilisearch's defaults (minWordSizeForTypos)
MAX_DERIVATIONS = 50
_WORD = re.compile(r"[^\W_]+")

# One-way, one-word synonyms, shared with the Meilisearch settings so both backends agree.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "outlier": ("anomaly",),
    "outliers": ("anomaly", "anomalies"),
    "anomalies": ("anomaly",),
    "forecast": ("forecasting", "forecaster"),
    "forecasts": ("forecasting", "forecaster"),
    "prediction": ("forecasting",),
    "classifier": ("classification",),
    "classify": ("classification", "classifier"),
    "detector": ("detection",),
    "detect": ("detection", "detector"),
    "knn": ("neighbour", "neighbors"),
    "dtw": ("warping",),
    "ets": ("exponential",),
    "normalise": ("normalize", "scaler"),
    "normalize": ("scaler",),
}


def normalize(text: str) -> str:
    """Lowercase without diacritics, as the ``unicode61 remove_diacritics 2`` tokenizer."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalized words of a text, split as FTS5's ``unicode61`` tokenizer splits.

    Examples
    --------
    >>> words("Isolation-Forest détecteur_v2")
    ['isolation', 'forest', 'detecteur', 'v2']
    """
    return _WORD.findall(normalize(text))


def typo_budget(word: str) -> int:
    """Typos allowed for a query word of this length (Meilisearch's defaults).

    Examples
    --------
    >>> [typo_budget(w) for w in ("lof", "arima", "isolation")]
    [0, 1, 2]
    """
    return 2 if len(word) >= TWO_TYPOS else 1 if len(word) >= ONE_TYPO else 0


@dataclass(frozen=True)
class Candidate:
    """An index term a query word may stand for, and what it costs."""

    term: str
    typos: int
    prefix: bool = False


class Vocabulary:
    """The distinct terms of the index, bucketed for fast typo look-ups.

    A typo on the first letter costs two, so within a budget of one the first letter is
    always right: terms are bucketed by (first letter, length) and rapidfuzz only scans
    the few buckets a word can reach. The rare two-typo words whose only typo is on the
    first letter are found by direct look-ups. Answers are cached per word.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.sorted_terms = sorted(set(terms))
        self.terms = set(self.sorted_terms)
        self.buckets: dict[tuple[str, int], list[str]] = {}
        self.by_tail: dict[str, list[str]] = {}
        for term in self.sorted_terms:
            self.buckets.setdefault((term[0], len(term)), []).append(term)
            if len(term) >= TWO_TYPOS - 1:
                self.by_tail.setdefault(term[1:], []).append(term)
        self._cache: dict[tuple[str, bool], list[Candidate]] = {}

    def has_prefix(self, prefix: str) -> bool:
        position = bisect.bisect_left(self.sorted_terms, prefix)
        return position < len(self.sorted_terms) and self.sorted_terms[position].startswith(prefix)

    def candidates(self, word: str, *, prefix: bool = False) -> list[Candidate]:
        """Terms that match ``word``: itself, within its typo budget, or (last word) prefixed.

        Examples
        --------
        >>> vocabulary = Vocabulary(["isolation", "forest", "isolate", "fortress", "xsolation"])
        >>> [(c.term, c.typos) for c in vocabulary.candidates("isolaton")]
        [('isolation', 1)]
        >>> [(c.term, c.typos) for c in vocabulary.candidates("isolation")]
        [('isolation', 0), ('xsolation', 2)]
        >>> [(c.term, c.prefix) for c in vocabulary.candidates("isol", prefix=True)]
        [('isol', True)]
        """
        key = (word, prefix)
        if key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = self._candidates(word, prefix)
        return self._cache[key]

    def _candidates(self, word: str, prefix: bool) -> list[Candidate]:
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        found: list[Candidate] = []
        if prefix and self.has_prefix(word):
            found.append(Candidate(word, 0, prefix=True))
        elif word in self.terms:
            found.append(Candidate(word, 0))
        found += [Candidate(s, 0) for s in SYNONYMS.get(word, ()) if s in self.terms]
        budget = typo_budget(word)
        if budget == 0:
            return found
        typos: dict[str, int] = {}
        for length in range(len(word) - budget, len(word) + budget + 1):
            bucket = self.buckets.get((word[0], length))
            if not bucket:
                continue
            for term, distance, _ in process.extract(
                word, bucket, scorer=DamerauLevenshtein.distance, score_cutoff=budget, limit=None
            ):
                if distance > 0:
                    typos[term] = int(distance)
        if budget >= 2:  # only the first letter wrong: substituted, dropped, added or swapped
            variants = [*self.by_tail.get(word[1:], []), word[1:], *self.by_tail.get(word, [])]
            variants.append(word[1] + word[0] + word[2:])
            for term in variants:
                if term in self.terms and term != word and term[0] != word[0]:
                    typos.setdefault(term, 2)
        ranked = sorted(
            (cost, term) for term, cost in typos.items() if not (prefix and term.startswith(word))
        )
        return found + [Candidate(term, cost) for cost, term in ranked[:MAX_DERIVATIONS]]


@functools.lru_cache(maxsize=1024)
def _pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for every matched word: a single C-level pass per text."""
    choices = [re.escape(t) for t in sorted(terms, key=len, reverse=True)]
    choices += [re.escape(p) + r"[^\W_]*" for p in prefixes]
    if not choices:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(choices) + r")(?![^\W_])")


@functools.lru_cache(maxsize=4096)
def _searchable(text: str) -> str | None:
    """``text`` as the patterns see it (lowercase, no diacritics) with the same offsets.

    ``None`` where normalizing changes lengths (a ligature, a dotted capital I). Cached:
    as-you-type searches highlight the same documents keystroke after keystroke.
    """
    if text.isascii():
        return text.lower()
    table = {ord(c): normalize(c) for c in set(text) if not c.isascii()}
    if not all(len(value) == 1 for value in table.values()):
        return None
    searched = text.lower().translate(table)
    return searched if len(searched) == len(text) else None


def _spans(
    text: str,
    pattern: re.Pattern[str] | None,
    start: int = 0,
    end: int | None = None,
    *,
    first: bool = False,
) -> list[tuple[int, int]]:
    """Spans of the matched words in ``text[start:end]`` (only the first with ``first``)."""
    if pattern is None:
        return []
    end = len(text) if end is None else end
    searched = _searchable(text)
    if searched is None:
        # Lengths change: match word by word against the original spans.
        spans = (
            m.span()
            for m in _WORD.finditer(text, start, end)
            if pattern.fullmatch(normalize(m.group()))
        )
        return list(itertools.islice(spans, 1)) if first else list(spans)
    if first:
        found = pattern.search(searched, start, end)
        return [found.span()] if found else []
    return [m.span() for m in pattern.finditer(searched, start, end)]


def match_spans(
    text: str, terms: set[str], prefixes: tuple[str, ...] = ()
) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of the words of ``text`` that the query matched.

    Examples
    --------
    >>> match_spans("Isolation forest detector", {"forest"}, ("isol",))
    [(0, 9), (10, 16)]
    """
    return _spans(text, _pattern(frozenset(terms), tuple(prefixes)))


def crop_and_highlight(
    text: str,
    terms: set[str],
    prefixes: tuple[str, ...] = (),
    *,
    crop_length: int | None = None,
    pre: str = "<em>",
    post: str = "</em>",
    marker: str = "…",
    highlight: bool = True,
) -> str:
    """Wrap matched words in ``pre``/``post``; crop to ``crop_length`` words around them.

    With ``highlight=False`` the crop window still follows the matches, unmarked.

    Examples
    --------
    >>> crop_and_highlight("Isolation forest detector", {"forest"}, ("isol",))
    '<em>Isolation</em> <em>forest</em> detector'
    >>> crop_and_highlight("a b c d e f g h", {"f"}, crop_length=3)
    '…e <em>f</em> g…'
    >>> crop_and_highlight("Détecteur à forêt", {"foret"})
    'Détecteur à <em>forêt</em>'
    """
    pattern = _pattern(frozenset(terms), tuple(prefixes))
    start_char, end_char = 0, len(text)
    if crop_length is None:
        hits = _spans(text, pattern)
    else:
        # Only the words near the first match can enter the window: long texts (API
        # docstrings) are neither searched nor tokenized whole.
        first = _spans(text, pattern, first=True)
        around = first[0][0] if first else 0
        lower = max(0, around - 10 * crop_length)
        upper = min(len(text), around + 20 * crop_length)
        hits = _spans(text, pattern, lower, upper)
        tokens = [m.span() for m in _WORD.finditer(text, lower, upper)]
        if lower > 0:
            tokens = tokens[1:]  # the first word may be cut
        if upper < len(text) and tokens:
            tokens = tokens[:-1]
        if tokens and (len(tokens) > crop_length or lower > 0 or upper < len(text)):
            width = min(crop_length, len(tokens))
            starts = {start for start, _ in hits}
            flags = [start in starts for start, _ in tokens]
            count = best = sum(flags[:width])
            best_start = 0
            for first in range(1, len(tokens) - width + 1):
                count += flags[first + width - 1] - flags[first - 1]
                if count > best:
                    best, best_start = count, first
            if best > 0:  # keep a little context before the first match of the window
                first_hit = flags.index(True, best_start)
                best_start = max(0, min(first_hit - width // 3, len(tokens) - width))
            start_char = tokens[best_start][0]
            end_char = tokens[best_start + width - 1][1]
    pieces, position = [], start_char
    for start, end in hits if highlight else ():
        if start >= start_char and end <= end_char:
            pieces += [text[position:start], pre, text[start:end], post]
            position = end
    pieces.append(text[position:end_char])
    body = "".join(pieces)
    if start_char > 0:
        body = marker + body
    if end_char < len(text):
        body += marker
    return body
