"""The search record: one searchable unit (a component, dataset, example, guide section...).

Its shape follows Meilisearch's documentation front-ends (``hierarchy_lvl0..3``,
``content``, ``url``, ``anchor``) so a standard docs search UI works on it, and both
backends index exactly these fields. The docs build writes every record to
``_build/search/records.json`` with :func:`write_records`; the indexer reads it back with
:func:`read_records`. This module imports only pydantic and the standard library, so the
Sphinx extension may import it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    from catalog import ComponentRecord

__all__ = [
    "FILTERABLE_ATTRIBUTES",
    "RECORD_KINDS",
    "SEARCHABLE_ATTRIBUTES",
    "SORTABLE_ATTRIBUTES",
    "SearchRecord",
    "catalog_search_records",
    "content_hash",
    "make_record_id",
    "read_records",
    "write_records",
]

RecordKind = Literal["component", "dataset", "template", "example", "guide", "api"]
RECORD_KINDS: tuple[str, ...] = ("component", "dataset", "template", "example", "guide", "api")

# Attributes a filter may name (Meilisearch's `filterableAttributes`), and the
# attributes searched, most important first (Meilisearch's `searchableAttributes`).
FILTERABLE_ATTRIBUTES: tuple[str, ...] = (
    "kind",
    "tasks",
    "level",
    "component_kind",
    "tags",
    "maturity",
)
SEARCHABLE_ATTRIBUTES: tuple[str, ...] = (
    "title",
    "hierarchy_lvl0",
    "hierarchy_lvl1",
    "hierarchy_lvl2",
    "hierarchy_lvl3",
    "summary",
    "tags",
    "content",
)

# Attributes a search may sort on (Meilisearch's `sortableAttributes`).
SORTABLE_ATTRIBUTES: tuple[str, ...] = ("page_rank", "title")

_ID_PATTERN = r"^[A-Za-z0-9_-]{1,511}$"


class SearchRecord(BaseModel):
    """One searchable document, identical for the embedded and the Meilisearch backend.

    Examples
    --------
    >>> record = SearchRecord(
    ...     id="guide-getting-started", kind="guide", title="Getting started",
    ...     url="guides/getting-started.html", anchor="install",
    ... )
    >>> record.page_rank, record.tasks
    (0, [])
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN, description="Letters, digits, '-' and '_' only.")
    kind: RecordKind
    title: str = Field(min_length=1)
    summary: str = ""
    content: str = ""
    url: str = Field(description="Relative to the site root, e.g. components/metric.mae.html.")
    anchor: str | None = None
    hierarchy_lvl0: str | None = None
    hierarchy_lvl1: str | None = None
    hierarchy_lvl2: str | None = None
    hierarchy_lvl3: str | None = None
    tasks: list[str] = Field(default_factory=list)
    level: str | None = None
    component_kind: str | None = None
    tags: list[str] = Field(default_factory=list)
    maturity: str | None = None
    page_rank: int = Field(default=0, description="Higher ranks first among equal matches.")


def make_record_id(*parts: str) -> str:
    """A valid record id from free text parts: other characters become ``_``.

    Examples
    --------
    >>> make_record_id("component", "anomaly.isolation-forest")
    'component-anomaly_isolation-forest'
    """
    text = "-".join(re.sub(r"[^A-Za-z0-9_-]", "_", part) for part in parts if part)
    if len(text) > 511:
        text = text[:470] + "-" + hashlib.sha1(text.encode()).hexdigest()
    return text


def content_hash(record: SearchRecord) -> str:
    """A stable hash of every field: equal hashes mean nothing to re-index."""
    data = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


_PAGE_RANK = {"stable": 20, "experimental": 10, "deprecated": -20}
_LEVEL_TITLES = {"atom": "Atoms", "molecule": "Molecules", "organism": "Organisms"}


def catalog_search_records(records: Iterable[ComponentRecord]) -> list[SearchRecord]:
    """One search record per catalog component and dataset.

    Parameters
    ----------
    records : iterable of ComponentRecord
        Records from :func:`catalog.load_records`.

    Returns
    -------
    list of SearchRecord
        Components link to ``components/<id>.html``, datasets to ``datasets/<id>.html``.

    Examples
    --------
    >>> from catalog import load_records
    >>> records, _ = load_records()
    >>> search = {r.id: r for r in catalog_search_records(records)}
    >>> hit = search["component-anomaly_isolation-forest"]
    >>> hit.url, hit.kind, hit.tasks
    ('components/anomaly.isolation-forest.html', 'component', ['anomaly-detection'])
    """
    result = []
    for record in records:
        meta = record.meta
        is_dataset = meta.kind == "dataset"
        kind = "dataset" if is_dataset else "component"
        lines = [record.docstring_summary, meta.id.replace(".", " ").replace("-", " ")]
        lines += [f"{p.name}: {p.description}" for p in record.parameters if p.description]
        lines += [" ".join(meta.capabilities)]
        if meta.dataset is not None:
            info = meta.dataset
            lines.append(
                f"source {info.source}, license {info.license}, {info.length} points, "
                f"{info.n_series} series, {info.n_channels} channels"
                + (f", frequency {info.frequency}" if info.frequency else "")
                + (f", {info.n_classes} classes" if info.n_classes else "")
                + (f", {info.n_anomalies} anomalies" if info.n_anomalies is not None else "")
            )
        result.append(
            SearchRecord(
                id=make_record_id(kind, meta.id),
                kind=kind,
                title=meta.name,
                summary=meta.summary,
                content="\n".join(line for line in lines if line.strip()),
                url=f"{'datasets' if is_dataset else 'components'}/{meta.id}.html",
                anchor=None,
                hierarchy_lvl0="Datasets" if is_dataset else "Components",
                hierarchy_lvl1=meta.name,
                hierarchy_lvl2=None if is_dataset else _LEVEL_TITLES[meta.level],
                hierarchy_lvl3=meta.id,
                tasks=list(meta.tasks),
                level=meta.level,
                component_kind=meta.kind,
                tags=list(meta.tags),
                maturity=meta.maturity,
                page_rank=_PAGE_RANK[meta.maturity] + (5 if meta.level == "atom" else 0),
            )
        )
    return result


def write_records(path: str | os.PathLike[str], records: Iterable[SearchRecord]) -> Path:
    """Write records as a JSON list (atomically: readers never see half a file).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> record = SearchRecord(id="a", kind="guide", title="A", url="guides/a.html")
    >>> path = write_records(f"{folder}/records.json", [record])
    >>> read_records(path) == [record]
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    items = [r.model_dump(mode="json") for r in records]
    ids = [item["id"] for item in items]
    if len(ids) != len(set(ids)):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})[:3]
        raise ValueError(
            f"records: expected unique ids, found duplicates {duplicated}; make each id unique"
        )
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(items, stream, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_records(path: str | os.PathLike[str]) -> list[SearchRecord]:
    """Read and validate a file written by :func:`write_records`.

    Raises
    ------
    ValueError
        When the file is not a JSON list of valid records; the message names the record
        and the field.
    """
    path = Path(path)
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path}: expected a JSON list of search records, found invalid JSON ({error}); "
            "rebuild it with `kb build`"
        ) from None
    if not isinstance(items, list):
        raise ValueError(
            f"{path}: expected a JSON list of search records, found {type(items).__name__}; "
            "rebuild it with `kb build`"
        )
    records, problems = [], []
    for position, item in enumerate(items):
        try:
            records.append(SearchRecord.model_validate(item))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            name = item.get("id", "?") if isinstance(item, dict) else "?"
            problems.append(f"record {position} ({name}): {field}: {first['msg']}")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ValueError(
            f"{path}: invalid search records: {'; '.join(problems[:3])}{more}; "
            "fix the producer and rebuild with `kb build`"
        )
    return records
