"""Hits as Meilisearch returns them: the stored record plus ``_formatted`` (highlight, crop)."""

from __future__ import annotations

from typing import Any

from indexer.backend import SearchRequest
from indexer.matching import crop_and_highlight, match_spans

__all__ = ["format_hit", "matches_position", "ranking_score"]


def format_hit(
    hit: dict[str, Any], request: SearchRequest, terms: set[str], prefixes: tuple[str, ...]
) -> dict[str, Any]:
    """Keep the attributes to retrieve; add ``_formatted`` when some are highlighted or cropped.

    As in Meilisearch, ``_formatted`` also holds the highlighted and cropped attributes
    that were not retrieved, so a UI can ask for snippets without the full text.

    Examples
    --------
    >>> hit = {"title": "Isolation forest detector", "tags": ["tree-ensemble"]}
    >>> request = SearchRequest(attributesToHighlight=["*"])
    >>> format_hit(hit, request, {"forest", "tree"}, ())["_formatted"]["tags"]
    ['<em>tree</em>-ensemble']
    """
    highlight = set(request.attributesToHighlight or [])
    crop_lengths = dict(
        _crop_spec(name, request.cropLength) for name in request.attributesToCrop or []
    )
    crop = set(crop_lengths)
    retrieve = set(request.attributesToRetrieve or ["*"])
    if "*" not in retrieve:
        shown = {k: v for k, v in hit.items() if k in retrieve}
        if not (highlight or crop):
            return shown
        formatted = {k: v for k, v in hit.items() if k in retrieve or k in highlight or k in crop}
        hit = shown
    elif not (highlight or crop):
        return hit
    else:
        formatted = dict(hit)
    for attribute, value in list(formatted.items()):
        lit = "*" in highlight or attribute in highlight
        cut = "*" in crop or attribute in crop
        length = crop_lengths.get(attribute, crop_lengths.get("*", request.cropLength))
        if not (lit or cut) or not isinstance(value, str | list):
            continue
        done = [
            crop_and_highlight(
                item,
                terms,
                prefixes,
                crop_length=length if cut else None,
                pre=request.highlightPreTag,
                post=request.highlightPostTag,
                marker=request.cropMarker,
                highlight=lit,
            )
            if isinstance(item, str)
            else item
            for item in (value if isinstance(value, list) else [value])
        ]
        formatted[attribute] = done if isinstance(value, list) else done[0]
    hit["_formatted"] = formatted
    return hit


def _crop_spec(name: str, default: int) -> tuple[str, int]:
    """``"content:5"`` → ``("content", 5)``: Meilisearch's per-attribute crop length."""
    attribute, _, length = name.rpartition(":")
    if attribute and length.isdigit() and int(length) > 0:
        return attribute, int(length)
    return name, default


def matches_position(
    hit: dict[str, Any], attributes: tuple[str, ...], terms: set[str], prefixes: tuple[str, ...]
) -> dict[str, list[dict[str, Any]]]:
    """Meilisearch's ``_matchesPosition``: UTF-8 byte ``start``/``length`` of each match.

    Matches in an array attribute carry ``indices`` (the item's position), as Meilisearch's do.

    Examples
    --------
    >>> hit = {"title": "Détecteur forest", "tags": ["x", "forest-tree"]}
    >>> matches_position(hit, ("title", "tags"), {"forest"}, ())
    {'title': [{'start': 11, 'length': 6}], 'tags': [{'start': 0, 'length': 6, 'indices': [1]}]}
    """
    found: dict[str, list[dict[str, Any]]] = {}
    for attribute in attributes:
        value = hit.get(attribute)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, str):
                continue
            for start, end in match_spans(item, terms, prefixes):
                before = len(item[:start].encode())
                position = {"start": before, "length": len(item[start:end].encode())}
                if isinstance(value, list):
                    position["indices"] = [index]
                found.setdefault(attribute, []).append(position)
    return found


def ranking_score(key: tuple | None, words: int) -> float:
    """A ranking score in [0, 1] that never increases down a ranked list.

    ``key`` is the ranking key of :func:`indexer.ranking.rank` (``-words``, ``typos``,
    ``-name words``, name position, BM25, ...); each rule is a digit of a mixed-radix
    number, so a better key always scores at least as high, as in Meilisearch where each
    ranking rule only breaks the ties of the rules before it. A placeholder search
    (``key`` None) scores 1.

    Examples
    --------
    >>> best = ranking_score((-2, 0, -2, 0, -8.0), 2)
    >>> worse = ranking_score((-2, 1, -2, 0, -8.0), 2)
    >>> 1 >= best > worse > ranking_score((-1, 0, -1, 0, -8.0), 2) > 0
    True
    """
    if key is None or words <= 0:
        return 1.0
    matched, typos, in_name, position, bm25 = key[:5]
    digits = [
        (-matched, words + 1),
        (2 * words - min(typos, 2 * words), 2 * words + 1),
        (min(-in_name, words), words + 1),
        (32 - min(position, 32), 33),
    ]
    score, scale = 0.0, 1.0
    for digit, base in digits:
        scale /= base
        score += digit * scale
    relevance = max(0.0, -bm25)
    return round(score + scale * relevance / (1.0 + relevance), 6)
