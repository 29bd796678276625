"""``kb catalog check``: every rule the catalog must follow, all problems reported at once."""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path

from catalog._core.records import Problem, RawComponent, build_records
from catalog._core.schema import ComponentRecord
from catalog._core.static_reader import package_dir, read_static

__all__ = ["check_catalog", "check_records"]


def check_catalog(
    package: str = "catalog", search_paths: list[Path] | None = None, *, use_cache: bool = True
) -> list[Problem]:
    """Read ``package`` statically and return every problem found, sorted by location."""
    raws = read_static(package, search_paths, use_cache=use_cache)
    examples = package_dir(package, search_paths).parent / "kb" / "examples"
    records, problems = build_records(raws, examples)
    problems += check_records(records, raws)
    return sorted(problems, key=lambda p: (p.file, p.line, p.path))


def check_records(records: list[ComponentRecord], raws: list[RawComponent]) -> list[Problem]:
    """Rules that look beyond one component's schema: ids, composition, signature, docs."""
    by_path = {raw.object_path: raw for raw in raws}
    problems: list[Problem] = []
    problems += _duplicate_ids(records, by_path)
    problems += _composition(records, by_path)
    for record in records:
        problems += _signature_and_docs(record, by_path[record.object_path])
    return problems


def _problem(raw: RawComponent, field: str, path: str, message: str, component: str) -> Problem:
    return Problem(raw.source_file, raw.line_of(field), path, message, component)


def _duplicate_ids(
    records: list[ComponentRecord], by_path: dict[str, RawComponent]
) -> list[Problem]:
    seen: dict[str, ComponentRecord] = {}
    problems = []
    for record in records:
        first = seen.setdefault(record.id, record)
        if first is not record:
            for this, other in ((record, first), (first, record)):
                problems.append(
                    _problem(
                        by_path[this.object_path],
                        "id",
                        "id",
                        f"duplicate id {this.id!r}, also declared at {other.location}; "
                        "ids must be unique",
                        this.id,
                    )
                )
    return problems


def _composition(records: list[ComponentRecord], by_path: dict[str, RawComponent]) -> list[Problem]:
    known = {record.id: record for record in records}
    problems = []
    for record in records:
        raw = by_path[record.object_path]
        for index, part in enumerate(record.meta.composes):
            if part not in known:
                close = get_close_matches(part, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    _problem(
                        raw,
                        "composes",
                        f"composes[{index}]",
                        f"no component has the id {part!r}{hint}",
                        record.id,
                    )
                )
        parts = [known[p] for p in record.meta.composes if p in known]
        if parts:
            for task in record.meta.tasks:
                if not any(task in part.meta.tasks for part in parts):
                    problems.append(
                        _problem(
                            raw,
                            "tasks",
                            "tasks",
                            f"declares task {task!r} but none of its parts "
                            f"({', '.join(p.id for p in parts)}) supports it",
                            record.id,
                        )
                    )
    for cycle in _cycles({r.id: [p for p in r.meta.composes if p in known] for r in records}):
        record = known[cycle[0]]
        problems.append(
            _problem(
                by_path[record.object_path],
                "composes",
                "composes",
                "composition forms a cycle: " + " -> ".join([*cycle, cycle[0]]),
                record.id,
            )
        )
    return problems


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each elementary cycle once, found by depth-first search (white/grey/black)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt, 0) == 0:
                visit(nxt)
            elif state[nxt] == 1:
                cycles.append(stack[stack.index(nxt) :])
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if state.get(node, 0) == 0:
            visit(node)
    return cycles


def _signature_and_docs(record: ComponentRecord, raw: RawComponent) -> list[Problem]:
    problems = []
    names = [p.name for p in raw.parameters]
    for param in raw.parameters:
        if param.variadic:
            problems.append(
                _problem(
                    raw,
                    "",
                    f"__init__.{param.name}",
                    "constructors take explicit parameters only (no *args/**kwargs), "
                    "so get_params and clone work",
                    record.id,
                )
            )
    for name in record.meta.search_space:
        if name not in names:
            close = get_close_matches(name, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                _problem(
                    raw,
                    "search_space",
                    f"search_space.{name}",
                    f"the constructor has no parameter {name!r}{hint}",
                    record.id,
                )
            )
    if not raw.has_docstring:
        problems.append(
            _problem(
                raw,
                "",
                "docstring",
                "missing numpydoc docstring (summary, Parameters, Returns, Examples)",
                record.id,
            )
        )
    else:
        for param in raw.parameters:
            if not param.variadic and param.name not in raw.parameter_docs:
                problems.append(
                    _problem(
                        raw,
                        "",
                        f"__init__.{param.name}",
                        f"constructor parameter {param.name!r} is not described in the "
                        "docstring's Parameters section",
                        record.id,
                    )
                )
    return problems
