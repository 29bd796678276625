"""Check Meilisearch requests against the published OpenAPI specification, offline.

No Meilisearch server can run on the development machines, so every request the
Meilisearch backend sends is first checked here: the method and path must be an operation
of the spec, path parameters and the JSON body must match its schemas (JSON Schema
2020-12, as OpenAPI 3.1 uses). The spec is the one vendored beside the project,
``../shared/vendor/meilisearch-openapi.json`` (1.53.0, MIT), or the file named by
``KB_MEILI_OPENAPI``; it is read, never copied into the repository. Where it is absent,
requests are sent unchecked and the contract tests that need it are skipped.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "SPEC_CORRECTIONS",
    "SPEC_PATH",
    "RequestContractError",
    "spec_available",
    "spec_version",
    "validate_request",
]

SPEC_PATH = Path(
    os.environ.get("KB_MEILI_OPENAPI")
    or Path(__file__).resolve().parents[2] / "shared" / "vendor" / "meilisearch-openapi.json"
)


def spec_available() -> bool:
    """Whether the OpenAPI spec can be read here (it lives outside the repository)."""
    return SPEC_PATH.is_file()


class RequestContractError(ValueError):
    """A request that the Meilisearch API (per its OpenAPI spec) would not accept."""


# Where the generated spec disagrees with the server it describes. `AttributePatterns` is
# a transparent wrapper of a list in Meilisearch's code, and the API takes
# `"facets": ["genre", "*"]` (the spec's own description says so), but the generator wrote
# it as an object `{"patterns": [...]}`. Both forms are accepted here.
SPEC_CORRECTIONS: dict[str, dict[str, Any]] = {
    "AttributePatterns": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "required": ["patterns"],
                "properties": {"patterns": {"type": "array", "items": {"type": "string"}}},
            },
        ]
    }
}


@cache
def _spec() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    spec["components"]["schemas"].update(SPEC_CORRECTIONS)
    return spec


def spec_version() -> str:
    """The Meilisearch version the vendored spec describes."""
    return _spec()["info"]["version"]


@cache
def _routes() -> list[tuple[re.Pattern[str], str]]:
    routes = []
    for template in _spec()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template))
        routes.append((re.compile(f"^{pattern}$"), template))
    # Literal segments win over parameters (documents/fetch before documents/{id}).
    routes.sort(key=lambda route: (route[1].count("{"), -len(route[1])))
    return routes


@cache
def _validator(template: str, method: str, where: str, name: str) -> Any:
    from jsonschema import Draft202012Validator

    operation = _spec()["paths"][template][method]
    if where == "body":
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
    else:
        schema = next(p for p in operation.get("parameters", []) if p["name"] == name)["schema"]
    document = {"components": _spec()["components"], **schema}
    return Draft202012Validator(document)


def validate_request(method: str, path: str, body: Any = None) -> str:
    """Raise :class:`RequestContractError` unless the spec accepts this request.

    Parameters
    ----------
    method : str
        HTTP method, any case.
    path : str
        Path after the server URL, with or without a leading ``/`` and query string.
    body : object
        The JSON body (``None`` when the request has none).

    Returns
    -------
    str
        The spec's path template the request matched.

    Examples
    --------
    >>> validate_request("POST", "indexes/atomkb/search", {"q": "forest", "limit": 5})
    '/indexes/{index_uid}/search'
    >>> validate_request("POST", "indexes/atomkb/search", {"q": "forest", "limit": "5"})
    Traceback (most recent call last):
    ...
    indexer.openapi.RequestContractError: POST /indexes/{index_uid}/search: body.limit: ...
    """
    method = method.lower()
    bare = "/" + path.split("?", 1)[0].lstrip("/")
    for pattern, template in _routes():
        match = pattern.match(bare)
        if match is None or method not in _spec()["paths"][template]:
            continue
        operation = _spec()["paths"][template][method]
        names = re.findall(r"\{([^}]+)\}", template)
        for name, value in zip(names, match.groups(), strict=True):
            _check(_validator(template, method, "path", name), value, method, template, name)
        if "requestBody" in operation:
            content = operation["requestBody"].get("content", {})
            if "application/json" in content:
                if body is None and operation["requestBody"].get("required"):
                    raise RequestContractError(
                        f"{method.upper()} {template}: expected a JSON body, found none"
                    )
                if body is not None:
                    _check(_validator(template, method, "body", ""), body, method, template, "body")
        elif body is not None:
            raise RequestContractError(
                f"{method.upper()} {template}: expected no body, found {type(body).__name__}"
            )
        return template
    raise RequestContractError(
        f"{method.upper()} {bare}: expected an operation of the Meilisearch "
        f"{spec_version()} API, found none; check the method and the path"
    )


def _check(validator: Any, value: Any, method: str, template: str, where: str) -> None:
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        field = ".".join([where, *(str(p) for p in first.absolute_path)])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise RequestContractError(
            f"{method.upper()} {template}: {field}: {first.message[:300]}{more}"
        )
