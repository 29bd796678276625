"""The backend interface shared by the embedded and the Meilisearch backends.

A search request and its answer have Meilisearch's shape (``POST /indexes/<uid>/search``),
so the terminal, the web UI and a real Meilisearch server speak the same language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from indexer.filters import Node, parse_filter
from indexer.records import FILTERABLE_ATTRIBUTES, SearchRecord

__all__ = ["IndexReport", "SearchBackend", "SearchRequest", "filter_tree"]

MAX_LIMIT = 1000


class SearchRequest(BaseModel):
    """The body of a search, with Meilisearch's names and limits.

    Examples
    --------
    >>> SearchRequest(q="isolation forest", limit=5).limit
    5
    >>> SearchRequest(limit=5000)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for SearchRequest
    ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(default="", max_length=512)
    filter: str | list[str | list[str]] | None = None
    limit: int = Field(default=20, ge=0, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=100_000)
    facets: list[str] | None = None
    attributesToRetrieve: list[str] | None = None
    attributesToHighlight: list[str] | None = None
    attributesToCrop: list[str] | None = None
    cropLength: int = Field(default=30, ge=1, le=1000)
    highlightPreTag: str = Field(default="<em>", max_length=64)
    highlightPostTag: str = Field(default="</em>", max_length=64)
    cropMarker: str = Field(default="…", max_length=64)

    @field_validator("facets")
    @classmethod
    def _known_facets(cls, facets: list[str] | None) -> list[str] | None:
        for name in facets or []:
            if name != "*" and name not in FILTERABLE_ATTRIBUTES:
                raise ValueError(
                    f"facets: {name!r} is not filterable; use {', '.join(FILTERABLE_ATTRIBUTES)}"
                )
        return facets

    def facet_names(self) -> list[str]:
        if not self.facets:
            return []
        return list(FILTERABLE_ATTRIBUTES) if "*" in self.facets else list(self.facets)


def _array_filter(items: list[str | list[str]]) -> str:
    """Meilisearch's array form: the outer list is AND, an inner list is OR."""
    parts = []
    for item in items:
        if isinstance(item, list):
            if item:
                parts.append("(" + " OR ".join(f"({text})" for text in item) + ")")
        else:
            parts.append(f"({item})")
    return " AND ".join(parts)


def filter_tree(request: SearchRequest) -> Node | None:
    """The parsed filter of a request (``None`` when it has none); raises FilterError."""
    if request.filter is None:
        return None
    text = request.filter if isinstance(request.filter, str) else _array_filter(request.filter)
    if not text.strip():
        return None
    return parse_filter(text)


@dataclass
class IndexReport:
    """What a (re-)index did."""

    backend: str
    location: str
    total: int
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.total} records in {self.location} ({self.backend}): {self.added} added, "
            f"{self.updated} updated, {self.deleted} deleted, {self.unchanged} unchanged "
            f"in {self.seconds:.2f} s"
        )


class SearchBackend(Protocol):
    """What every backend does: replace its records atomically, and search them."""

    name: str

    def replace_all(self, records: list[SearchRecord]) -> IndexReport:
        """Make ``records`` the whole index; readers see the old or the new index, whole."""
        ...

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Answer like Meilisearch: hits, estimatedTotalHits, facetDistribution, ..."""
        ...
