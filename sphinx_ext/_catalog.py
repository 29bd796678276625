"""The catalog as the docs see it: records, problems, examples per component, a fingerprint.

Read once per process with the static reader (:func:`catalog.load_records`), so the docs
build without importing any component or its optional dependencies.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from catalog import (
    CAPABILITIES,
    KINDS,
    LEVELS,
    MATURITIES,
    TAGS,
    TASKS,
    ComponentMeta,
    ComponentRecord,
    Problem,
    check_catalog,
    load_records,
)

__all__ = [
    "CatalogView",
    "catalog_view",
    "example_paths",
    "rst_description",
    "rst_text",
]


@dataclass
class CatalogView:
    """Valid records by id, every catalog problem, and a fingerprint of both."""

    records: list[ComponentRecord]
    problems: list[Problem]
    by_id: dict[str, ComponentRecord] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def components(self) -> list[ComponentRecord]:
        return [r for r in self.records if r.meta.kind != "dataset"]

    @property
    def datasets(self) -> list[ComponentRecord]:
        return [r for r in self.records if r.meta.kind == "dataset"]

    def url_of(self, component_id: str) -> str:
        """Docname of the page of ``component_id`` (datasets have their own folder)."""
        record = self.by_id[component_id]
        folder = "datasets" if record.meta.kind == "dataset" else "components"
        return f"{folder}/{component_id}"


_VIEW: CatalogView | None = None


def catalog_view(*, refresh: bool = False) -> CatalogView:
    """The catalog, read once per process (``refresh=True`` reads it again)."""
    global _VIEW
    if _VIEW is None or refresh:
        records, _ = load_records()
        problems = check_catalog()
        payload = {
            "records": [r.to_json() for r in records],
            "schema": ComponentMeta.model_json_schema(),
            "vocabularies": [TASKS, LEVELS, KINDS, TAGS, CAPABILITIES, MATURITIES],
        }
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        _VIEW = CatalogView(records, problems, {r.id: r for r in records}, digest)
    return _VIEW


def example_paths(srcdir: Path, record: ComponentRecord) -> list[str]:
    """Gallery sources (relative to ``srcdir``) that use ``record``'s class or quote its id."""
    class_name = record.object_path.rsplit(".", 1)[-1]
    pattern = re.compile(rf"\b{re.escape(class_name)}\b|[\"']{re.escape(record.id)}[\"']")
    found = []
    for path in sorted((srcdir / "examples").rglob("plot_*.py")):
        if pattern.search(path.read_text(encoding="utf-8")):
            found.append(path.relative_to(srcdir).as_posix())
    return found


def rst_text(text: str) -> str:
    """Plain text (a summary) made safe inside reST: markup characters are escaped.

    Examples
    --------
    >>> print(rst_text("mean of |error| / |truth|, *not* scaled"))
    mean of \\|error\\| / \\|truth\\|, \\*not\\* scaled
    """
    return re.sub(r"([\\*`|_])", r"\\\1", text)


def rst_description(text: str) -> str:
    """A numpydoc description (already reST); only substitution bars are escaped."""
    return text.replace("|", "\\|")
