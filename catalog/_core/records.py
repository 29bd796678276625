"""From what a reader found to validated records: shared by the static and runtime readers.

Both readers produce :class:`RawComponent` objects; everything after that (validation,
docstring matching, ``used_by``, examples) happens here once, so the two readers can only
differ in what they read, never in how they interpret it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from catalog._core.schema import ComponentMeta, ComponentRecord, ParameterDoc

__all__ = ["Problem", "RawComponent", "RawParameter", "build_records", "normalize_default"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalog, located in the source."""

    file: str
    line: int
    path: str
    message: str
    component: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass
class RawParameter:
    name: str
    annotation: str | None
    default: str | None
    variadic: bool = False


@dataclass
class RawComponent:
    """What a reader found about one decorated class, before validation."""

    object_path: str
    source_file: str
    source_line: int
    metadata: dict[str, Any]
    parameters: list[RawParameter]
    docstring_summary: str
    parameter_docs: dict[str, str]
    has_docstring: bool
    field_lines: dict[str, int] = field(default_factory=dict)
    read_errors: list[tuple[str, str]] = field(default_factory=list)

    def line_of(self, field_name: str) -> int:
        return self.field_lines.get(field_name, self.source_line)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RawComponent:
        data = dict(data)
        data["parameters"] = [RawParameter(**p) for p in data["parameters"]]
        data["read_errors"] = [tuple(e) for e in data["read_errors"]]
        return cls(**data)


def normalize_default(source: str) -> str:
    """Render a default value the same way whether it came from source text or an object."""
    try:
        return repr(ast.literal_eval(source))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return source


def parse_numpy_docstring(text: str | None) -> tuple[str, dict[str, str]]:
    """Summary paragraph and parameter descriptions of a numpydoc docstring."""
    if not text:
        return "", {}
    import logging

    import griffe

    logging.getLogger("griffe").setLevel(logging.ERROR)
    cleaned = _cleandoc(text)
    summary = " ".join(cleaned.split("\n\n", 1)[0].split())
    docs: dict[str, str] = {}
    for section in griffe.Docstring(cleaned, parser="numpy").parse():
        if section.kind is griffe.DocstringSectionKind.parameters:
            for param in section.value:
                for name in param.name.split(","):
                    docs[name.strip().lstrip("*")] = " ".join(param.description.split())
    return summary, docs


def _cleandoc(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


def _format_location(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if (
            part in ("int", "float", "categorical")
            and path.count("search_space")
            and path.count(".")
        ):
            continue  # the union's tag adds nothing for the reader
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def validation_problems(raw: RawComponent, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ").splitlines()[0]
        if item["type"] not in ("value_error", "assertion_error") and "input" in item:
            message += f", found {item['input']!r}"
        if item["type"] == "extra_forbidden":
            message = "unknown field; see the metadata reference for the allowed fields"
        top = str(loc[0]) if loc else ""
        problems.append(
            Problem(
                raw.source_file,
                raw.line_of(top),
                _format_location(loc),
                message,
                raw.metadata.get("id", "") if isinstance(raw.metadata.get("id"), str) else "",
            )
        )
    return problems


def build_records(
    raws: list[RawComponent], examples_dir: Path | None = None
) -> tuple[list[ComponentRecord], list[Problem]]:
    """Validate raw components into records; collect schema problems instead of raising."""
    problems: list[Problem] = []
    valid: list[tuple[RawComponent, ComponentMeta]] = []
    for raw in raws:
        for field_name, message in raw.read_errors:
            problems.append(Problem(raw.source_file, raw.line_of(field_name), field_name, message))
        if raw.read_errors:
            continue
        try:
            meta = ComponentMeta.model_validate(raw.metadata)
        except ValidationError as error:
            problems.extend(validation_problems(raw, error))
            continue
        valid.append((raw, meta))

    used_by: dict[str, list[str]] = {}
    for _, meta in valid:
        for part in meta.composes:
            used_by.setdefault(part, []).append(meta.id)
    example_words = _example_words(examples_dir)

    records = []
    for raw, meta in valid:
        class_name = raw.object_path.rsplit(".", 1)[-1]
        records.append(
            ComponentRecord(
                meta=meta,
                object_path=raw.object_path,
                source_file=raw.source_file,
                source_line=raw.source_line,
                docstring_summary=raw.docstring_summary,
                parameters=[
                    ParameterDoc(
                        name=p.name,
                        annotation=p.annotation,
                        default=p.default,
                        description=raw.parameter_docs.get(p.name, ""),
                    )
                    for p in raw.parameters
                ],
                used_by=sorted(used_by.get(meta.id, [])),
                examples=sorted(
                    name for name, identifiers in example_words.items() if class_name in identifiers
                ),
            )
        )
    records.sort(key=lambda r: r.meta.id)
    return records, problems


def _example_words(examples_dir: Path | None) -> dict[str, set[str]]:
    """The identifiers each gallery example uses (a class is used where its name appears)."""
    if examples_dir is None or not examples_dir.is_dir():
        return {}
    return {
        path.stem: set(re.findall(r"\w+", path.read_text(encoding="utf-8")))
        for path in sorted(examples_dir.rglob("*.py"))
        if not path.name.startswith("_")
    }
