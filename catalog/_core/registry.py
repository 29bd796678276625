"""Catalog queries: records from either reader, live classes, filters."""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

from catalog._core.records import Problem, build_records
from catalog._core.schema import ComponentRecord
from catalog._core.static_reader import package_dir, read_static

__all__ = [
    "UnknownComponentError",
    "all_components",
    "build_component",
    "filter_records",
    "find_record",
    "get_component",
    "load_records",
]


class UnknownComponentError(LookupError):
    """No component has the requested id; the message suggests close ids."""


def load_records(
    package: str = "catalog",
    search_paths: list[Path] | None = None,
    *,
    reader: Literal["static", "runtime"] = "static",
    use_cache: bool = True,
) -> tuple[list[ComponentRecord], list[Problem]]:
    """Valid records of every component, and the problems of those that were skipped.

    ``reader="static"`` imports nothing from the components (griffe); ``"runtime"``
    imports every component module.
    """
    if reader == "runtime":
        from catalog._core.runtime_reader import read_runtime

        raws, failures = read_runtime(package)
        records, problems = build_records(raws, _examples_dir(package, search_paths))
        problems += [Problem(f.file, 1, "", str(f).split(": ", 1)[1]) for f in failures]
        return records, problems
    raws = read_static(package, search_paths, use_cache=use_cache)
    return build_records(raws, _examples_dir(package, search_paths))


def _examples_dir(package: str, search_paths: list[Path] | None) -> Path:
    return package_dir(package, search_paths).parent / "kb" / "examples"


def filter_records(
    records: list[ComponentRecord],
    *,
    task: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    tag: str | None = None,
    capability: str | None = None,
) -> list[ComponentRecord]:
    """Records matching every given criterion."""
    return [
        r
        for r in records
        if (task is None or task in r.meta.tasks)
        and (level is None or r.meta.level == level)
        and (kind is None or r.meta.kind == kind)
        and (tag is None or tag in r.meta.tags)
        and (capability is None or capability in r.meta.capabilities)
    ]


def find_record(records: list[ComponentRecord], component_id: str) -> ComponentRecord:
    """The record with ``component_id``, or an error that suggests the closest ids."""
    for record in records:
        if record.id == component_id:
            return record
    close = get_close_matches(component_id, [r.id for r in records], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownComponentError(
        f"no component has the id {component_id!r}{hint} (`kb catalog list` shows them all)"
    )


def all_components(
    task: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    tag: str | None = None,
    capability: str | None = None,
) -> list[tuple[str, type]]:
    """``(id, class)`` of every valid component matching the filters, importing them.

    Like sktime's ``all_estimators``. Components with broken metadata are left out;
    ``kb catalog check`` explains why.

    Examples
    --------
    >>> from catalog import all_components
    >>> ids = [cid for cid, _ in all_components(task="anomaly-detection", kind="model")]
    >>> "anomaly.isolation-forest" in ids
    True
    """
    import importlib

    records, _ = load_records(reader="runtime")
    selected = filter_records(
        records, task=task, level=level, kind=kind, tag=tag, capability=capability
    )
    result = []
    for record in selected:
        module_name, class_name = record.object_path.rsplit(".", 1)
        result.append((record.id, getattr(importlib.import_module(module_name), class_name)))
    return result


def get_component(component_id: str) -> type:
    """The class of the component ``component_id`` (imports only its own module).

    Examples
    --------
    >>> from catalog import get_component
    >>> get_component("metric.mae").__name__
    'MeanAbsoluteError'
    """
    import importlib

    records, _ = load_records()
    record = find_record(records, component_id)
    module_name, class_name = record.object_path.rsplit(".", 1)
    return getattr(importlib.import_module(module_name), class_name)


def build_component(spec: Mapping[str, Any]) -> Any:
    """A fresh component from a specification ``{"id": ..., "params": {...}}``.

    A parameter whose value is itself such a specification (a mapping with an ``id``) is
    built first, so a whole pipeline is one nested specification: the form in which
    project configurations and AutoML write pipelines down. Anything else is passed as
    it is.

    Examples
    --------
    >>> from catalog import build_component
    >>> pipeline = build_component({
    ...     "id": "forecasting.pipeline",
    ...     "params": {"transformer": "passthrough",
    ...                "forecaster": {"id": "forecasting.naive", "params": {}}},
    ... })
    >>> type(pipeline.forecaster).__name__
    'NaiveForecaster'
    """
    if not isinstance(spec, Mapping) or "id" not in spec:
        raise ValueError(
            f'a component specification is {{"id": ..., "params": {{...}}}}, found {spec!r}'
        )
    params = spec.get("params") or {}
    if not isinstance(params, Mapping):
        raise ValueError(f"params of {spec['id']} must map names to values, found {params!r}")
    built = {
        name: build_component(value) if isinstance(value, Mapping) and "id" in value else value
        for name, value in params.items()
    }
    return get_component(str(spec["id"]))(**built)
