"""Meilisearch's read API answered by the embedded backend: requests in, answers out.

What ``kb serve`` needs to stand in for Meilisearch in front of its official clients
(``meilisearch`` for Python and JavaScript, ``@meilisearch/instant-meilisearch``):
search (``POST`` and ``GET``), multi-search (federated too), facet search, the index,
its settings and stats, the version. No HTTP here: each function takes the decoded body
and returns the JSON answer, or raises :class:`ApiError` with Meilisearch's error code,
so the rules are tested without a socket and the server stays a thin layer.

Parameters Meilisearch has and the embedded backend does not implement (``hybrid``,
``vector``, ``locales``, federated ``facetsByIndex``, ...) are refused by name with a
400, never ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indexer.backend import SearchRequest
from indexer.filters import FilterError

__all__ = [
    "API_VERSION",
    "ApiError",
    "facet_search",
    "index_info",
    "multi_search",
    "query_to_body",
    "search",
]

# The Meilisearch version whose API (request and answer shapes) this module follows: the
# vendored OpenAPI spec's.
API_VERSION = "1.53.0"
_LIST_PARAMETERS = {
    "attributesToRetrieve",
    "attributesToCrop",
    "attributesToHighlight",
    "attributesToSearchOn",
    "facets",
    "sort",
}
_INT_PARAMETERS = {"limit", "offset", "page", "hitsPerPage", "cropLength"}
_BOOL_PARAMETERS = {"showRankingScore", "showMatchesPosition"}


@dataclass
class ApiError(Exception):
    """An error answered with Meilisearch's shape: ``{message, code, type, link}``."""

    status: int
    message: str
    code: str
    type: str = "invalid_request"

    def body(self) -> dict[str, str]:
        return {
            "message": self.message,
            "code": self.code,
            "type": self.type,
            "link": f"https://docs.meilisearch.com/errors#{self.code}",
        }


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _validation_error(error: ValidationError, prefix: str, where: str = "") -> ApiError:
    """Meilisearch's code for the first invalid field (``invalid_search_limit``, ...)."""
    first = error.errors()[0]
    location = [str(part) for part in first["loc"] if not isinstance(part, int)]
    field = location[-1] if location else "body"
    path = ".".join(str(part) for part in first["loc"]) or "body"
    if first["type"] == "extra_forbidden":
        return ApiError(
            400,
            f"Unknown field `{path}`{where}: kb serve's embedded search does not implement "
            "it; remove it, or search a Meilisearch server (`kb serve --url`).",
            "bad_request",
        )
    message = str(first["msg"]).removeprefix("Value error, ")
    return ApiError(
        400, f"Invalid value for `{path}`{where}: {message}.", f"invalid_{prefix}_{_snake(field)}"
    )


def _request(body: Any, model: type[BaseModel] = SearchRequest, where: str = "") -> Any:
    if not isinstance(body, dict):
        raise ApiError(
            400,
            f"Expected a JSON object{where}, found {type(body).__name__}.",
            "bad_request",
        )
    try:
        return model.model_validate(body)
    except ValidationError as error:
        prefix = "facet_search" if model is FacetSearchRequest else "search"
        raise _validation_error(error, prefix, where) from None


def _answer(backend: Any, request: SearchRequest) -> dict[str, Any]:
    try:
        return backend.search(request)
    except FilterError as error:
        raise ApiError(400, str(error), "invalid_search_filter") from None
    except LookupError as error:  # no index file yet
        raise ApiError(503, str(error), "index_not_found", "system") from None


def _check_index(uid: str, served: str) -> None:
    if uid != served:
        raise ApiError(404, f"Index `{uid}` not found.", "index_not_found")


def search(backend: Any, uid: str, served: str, body: Any) -> dict[str, Any]:
    """``POST /indexes/{uid}/search``."""
    _check_index(uid, served)
    return _answer(backend, _request(body))


def query_to_body(query: dict[str, str]) -> dict[str, Any]:
    """``GET /indexes/{uid}/search``'s query string as a search body.

    Lists are comma-separated, as Meilisearch reads them; numbers and booleans are parsed.

    Examples
    --------
    >>> query_to_body({"q": "forest", "limit": "5", "facets": "kind,tasks",
    ...                "showRankingScore": "true"})
    {'q': 'forest', 'limit': 5, 'facets': ['kind', 'tasks'], 'showRankingScore': True}
    """
    body: dict[str, Any] = {}
    for name, value in query.items():
        if name in _LIST_PARAMETERS:
            body[name] = [item.strip() for item in value.split(",") if item.strip()]
        elif name in _INT_PARAMETERS:
            try:
                body[name] = int(value)
            except ValueError:
                raise ApiError(
                    400,
                    f"Invalid value for `{name}`: expected a non-negative integer, found "
                    f"`{value[:40]}`.",
                    f"invalid_search_{_snake(name)}",
                ) from None
        elif name in _BOOL_PARAMETERS:
            if value not in ("true", "false"):
                raise ApiError(
                    400,
                    f"Invalid value for `{name}`: expected `true` or `false`, found "
                    f"`{value[:40]}`.",
                    f"invalid_search_{_snake(name)}",
                )
            body[name] = value == "true"
        elif name == "rankingScoreThreshold":
            try:
                body[name] = float(value)
            except ValueError:
                raise ApiError(
                    400,
                    f"Invalid value for `{name}`: expected a number, found `{value[:40]}`.",
                    "invalid_search_ranking_score_threshold",
                ) from None
        else:
            body[name] = value
    return body


class FacetSearchRequest(BaseModel):
    """The body of ``POST /indexes/{uid}/facet-search``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facetName: str
    facetQuery: str | None = Field(default=None, max_length=512)
    q: str | None = Field(default="", max_length=512)
    filter: str | list[str | list[str]] | None = None
    matchingStrategy: str | None = None
    attributesToSearchOn: list[str] | None = None
    exhaustiveFacetCount: bool | None = None  # counts are always exhaustive here


def facet_search(backend: Any, uid: str, served: str, body: Any) -> dict[str, Any]:
    """``POST /indexes/{uid}/facet-search``."""
    _check_index(uid, served)
    request: FacetSearchRequest = _request(body, FacetSearchRequest)
    search_body = request.model_dump(
        include={"q", "filter", "matchingStrategy", "attributesToSearchOn"}, exclude_none=True
    )
    inner = _request(search_body)
    try:
        return backend.facet_search(request.facetName, request.facetQuery, inner)
    except ValueError as error:
        raise ApiError(400, str(error), "invalid_facet_search_facet_name") from None
    except FilterError as error:
        raise ApiError(400, str(error), "invalid_search_filter") from None


class FederationOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float = Field(default=1.0, ge=0.0)


class QueryWithIndex(SearchRequest):
    """One query of ``POST /multi-search``: a search body plus the index it searches."""

    indexUid: str
    federationOptions: FederationOptions | None = None


class Federation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: int = Field(default=20, ge=0, le=1000)
    offset: int = Field(default=0, ge=0, le=100_000)
    page: int | None = Field(default=None, ge=0, le=100_000)
    hitsPerPage: int | None = Field(default=None, ge=0, le=1000)


def multi_search(backend: Any, served: str, body: Any) -> dict[str, Any]:
    """``POST /multi-search``: each query answered, or one federated (merged) list."""
    if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
        raise ApiError(
            400,
            "Expected a JSON object with a `queries` array.",
            "bad_request",
        )
    unknown = set(body) - {"queries", "federation"}
    if unknown:
        raise ApiError(
            400,
            f"Unknown field `{sorted(unknown)[0]}`: expected `queries` and `federation`.",
            "bad_request",
        )
    queries = [
        _request(query, QueryWithIndex, f" in `queries[{position}]`")
        for position, query in enumerate(body["queries"])
    ]
    for query in queries:
        _check_index(query.indexUid, served)
    if body.get("federation") is None:
        return {
            "results": [
                {"indexUid": query.indexUid, **_answer(backend, _plain(query))} for query in queries
            ]
        }
    federation = _request(body["federation"], Federation, " in `federation`")
    return _federate(backend, queries, federation)


def _plain(query: QueryWithIndex, **changes: Any) -> SearchRequest:
    fields = query.model_dump(exclude={"indexUid", "federationOptions"}, exclude_unset=True)
    fields.update(changes)
    return SearchRequest.model_validate(fields)


def _federate(
    backend: Any, queries: list[QueryWithIndex], federation: Federation
) -> dict[str, Any]:
    """One list from several queries, ranked by each hit's ranking score times its weight.

    As in Meilisearch, a query of a federated search may not paginate or ask for facets
    itself, and a document found by several queries appears once, with its best score.
    """
    for position, query in enumerate(queries):
        for name in ("limit", "offset", "page", "hitsPerPage", "facets"):
            if name in query.model_fields_set:
                raise ApiError(
                    400,
                    f"Invalid value for `queries[{position}].{name}`: a query of a federated "
                    f"search may not set `{name}`; set it in `federation`.",
                    "invalid_multi_search_query_pagination"
                    if name != "facets"
                    else "invalid_multi_search_query_facets",
                )
    if federation.page is not None or federation.hitsPerPage is not None:
        per_page = 20 if federation.hitsPerPage is None else federation.hitsPerPage
        page = 1 if federation.page is None else federation.page
        offset, limit = ((page - 1) * per_page, per_page) if page else (0, 0)
    else:
        offset, limit = federation.offset, federation.limit
    merged: dict[tuple[str, Any], tuple[float, int, dict[str, Any]]] = {}
    total = 0
    for position, query in enumerate(queries):
        weight = query.federationOptions.weight if query.federationOptions else 1.0
        exhaustive = federation.page is not None or federation.hitsPerPage is not None
        request = _plain(query, limit=min(1000, offset + limit), offset=0, showRankingScore=True)
        answer = _answer(backend, request)
        if exhaustive:  # an exact total needs every document counted once
            counted = _plain(query, hitsPerPage=0)
            total += _answer(backend, counted)["totalHits"]
        else:
            total += answer["estimatedTotalHits"]
        for hit in answer["hits"]:
            score = round(hit["_rankingScore"] * weight, 6)
            if not query.showRankingScore:
                hit.pop("_rankingScore")
            hit["_federation"] = {
                "indexUid": query.indexUid,
                "queriesPosition": position,
                "weightedRankingScore": score,
            }
            key = (query.indexUid, hit.get("id", id(hit)))
            if key not in merged or merged[key][0] < score:
                merged[key] = (score, position, hit)
    ranked = sorted(merged.values(), key=lambda item: (-item[0], item[1]))
    hits = [hit for _, _, hit in ranked[offset : offset + limit]]
    answer: dict[str, Any] = {"hits": hits, "processingTimeMs": 0}
    if federation.page is not None or federation.hitsPerPage is not None:
        answer["hitsPerPage"] = limit if limit else (federation.hitsPerPage or 20)
        answer["page"] = 1 if federation.page is None else federation.page
        answer["totalHits"] = total
        answer["totalPages"] = -(-total // answer["hitsPerPage"]) if answer["hitsPerPage"] else 0
    else:
        answer.update(limit=limit, offset=offset, estimatedTotalHits=total)
    return answer


def _timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def index_info(uid: str, served: str, modified: float) -> dict[str, Any]:
    """``GET /indexes/{uid}``: the index object (dates from the index file)."""
    _check_index(uid, served)
    return {
        "uid": uid,
        "createdAt": _timestamp(modified),
        "updatedAt": _timestamp(modified),
        "primaryKey": "id",
    }
