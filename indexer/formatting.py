"""Hits as Meilisearch returns them: the stored record plus ``_formatted`` (highlight, crop)."""

from __future__ import annotations

from typing import Any

from indexer.backend import SearchRequest
from indexer.matching import crop_and_highlight

__all__ = ["format_hit"]


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
    crop = set(request.attributesToCrop or [])
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
        if not (lit or cut) or not isinstance(value, str | list):
            continue
        done = [
            crop_and_highlight(
                item,
                terms if lit else set(),
                prefixes if lit else (),
                crop_length=request.cropLength if cut else None,
                pre=request.highlightPreTag,
                post=request.highlightPostTag,
                marker=request.cropMarker,
            )
            if isinstance(item, str)
            else item
            for item in (value if isinstance(value, list) else [value])
        ]
        formatted[attribute] = done if isinstance(value, list) else done[0]
    hit["_formatted"] = formatted
    return hit
