"""The backend interface shared by the embedded and the Meilisearch backends.

A search request and its answer have Meilisearch's shape (``POST /indexes/<uid>/search``),
so the terminal, the web UI and a real Meilisearch server speak the same language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from indexer.filters import Node, parse_filter
from indexer.records import (
    FILTERABLE_ATTRIBUTES,
    SEARCHABLE_ATTRIBUTES,
    SORTABLE_ATTRIBUTES,
    SearchRecord,
)

__all__ = ["IndexReport", "SearchBackend", "SearchRequest", "filter_tree"]

MAX_LIMIT = 1000


class SearchRequest(BaseModel):
    """The body of a search, with Meilisearch's names, defaults and limits.

    Parameters Meilisearch has and this project does not implement (``hybrid``,
    ``vector``, ``locales``, ...) are refused by name rather than ignored: an unknown
    field is a validation error.

    Examples
    --------
    >>> SearchRequest(q="isolation forest", limit=5).limit
    5
    >>> SearchRequest(hitsPerPage=10, page=2).window()
    (10, 10)
    >>> SearchRequest(limit=5000)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for SearchRequest
    ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str | None = Field(default="", max_length=512)
    filter: str | list[str | list[str]] | None = None
    limit: int = Field(default=20, ge=0, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=100_000)
    hitsPerPage: int | None = Field(default=None, ge=0, le=MAX_LIMIT)
    page: int | None = Field(default=None, ge=0, le=100_000)
    facets: list[str] | None = None
    sort: list[str] | None = None
    distinct: str | None = None
    # Omitted: any query word matches and documents matching more words rank first (see
    # indexer/README.md: on the judged set this beats Meilisearch's default, `last`).
    matchingStrategy: Literal["last", "all", "frequency"] | None = None
    attributesToSearchOn: list[str] | None = None
    attributesToRetrieve: list[str] | None = None
    attributesToHighlight: list[str] | None = None
    attributesToCrop: list[str] | None = None
    cropLength: int = Field(default=10, ge=1, le=1000)
    highlightPreTag: str = Field(default="<em>", max_length=64)
    highlightPostTag: str = Field(default="</em>", max_length=64)
    cropMarker: str = Field(default="…", max_length=64)
    showRankingScore: bool = False
    showMatchesPosition: bool = False
    rankingScoreThreshold: float | None = Field(default=None, ge=0.0, le=1.0)

    @field_validator("q")
    @classmethod
    def _no_null_query(cls, q: str | None) -> str:
        return q or ""

    @field_validator("facets")
    @classmethod
    def _known_facets(cls, facets: list[str] | None) -> list[str] | None:
        for name in facets or []:
            if name != "*" and name not in FILTERABLE_ATTRIBUTES:
                raise ValueError(
                    f"facets: {name!r} is not filterable; use {', '.join(FILTERABLE_ATTRIBUTES)}"
                )
        return facets

    @field_validator("sort")
    @classmethod
    def _sortable(cls, sort: list[str] | None) -> list[str] | None:
        for rule in sort or []:
            name, _, direction = rule.partition(":")
            if direction not in ("asc", "desc"):
                raise ValueError(
                    f"sort: expected `attribute:asc` or `attribute:desc`, found {rule!r}"
                )
            if name not in SORTABLE_ATTRIBUTES:
                raise ValueError(
                    f"sort: attribute `{name}` is not sortable; sortable attributes are "
                    f"{', '.join(SORTABLE_ATTRIBUTES)}"
                )
        return sort

    @field_validator("distinct")
    @classmethod
    def _distinct_filterable(cls, distinct: str | None) -> str | None:
        if distinct is not None and distinct not in FILTERABLE_ATTRIBUTES:
            raise ValueError(
                f"distinct: attribute `{distinct}` is not filterable; use one of "
                f"{', '.join(FILTERABLE_ATTRIBUTES)}"
            )
        return distinct

    @field_validator("attributesToSearchOn")
    @classmethod
    def _searchable(cls, names: list[str] | None) -> list[str] | None:
        for name in names or []:
            if name != "*" and name not in SEARCHABLE_ATTRIBUTES:
                raise ValueError(
                    f"attributesToSearchOn: attribute `{name}` is not searchable; searchable "
                    f"attributes are {', '.join(SEARCHABLE_ATTRIBUTES)}"
                )
        return names

    def facet_names(self) -> list[str]:
        if not self.facets:
            return []
        return list(FILTERABLE_ATTRIBUTES) if "*" in self.facets else list(self.facets)

    @property
    def paginated(self) -> bool:
        """Whether the request asks for numbered pages (exhaustive ``totalHits``)."""
        return self.hitsPerPage is not None or self.page is not None

    def window(self) -> tuple[int, int]:
        """``(offset, limit)`` of the hits to return; ``page``/``hitsPerPage`` win."""
        if not self.paginated:
            return self.offset, self.limit
        per_page = 20 if self.hitsPerPage is None else self.hitsPerPage
        page = 1 if self.page is None else self.page
        if page == 0:
            return 0, 0
        return (page - 1) * per_page, per_page


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
