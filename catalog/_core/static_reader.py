"""The static reader: component metadata read with griffe, without importing anything.

Docs and search are built from this reader, so they work where a component's optional
dependencies are not installed. The decorator's arguments are read from the AST by a
griffe extension; docstrings and signatures come from griffe's own analysis. Results are
cached per file state, so listing the catalog stays fast.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from catalog._core.records import (
    RawComponent,
    RawParameter,
    normalize_default,
    parse_numpy_docstring,
)

__all__ = ["package_dir", "read_static"]

CACHE_FORMAT = 1


def package_dir(package: str, search_paths: list[Path] | None = None) -> Path:
    """The folder of ``package``, found on ``search_paths`` (default: where catalog lives)."""
    roots = search_paths or [Path(__file__).resolve().parents[2]]
    for root in roots:
        candidate = Path(root).resolve() / package.replace(".", "/")
        if (candidate / "__init__.py").is_file():
            return candidate
    raise FileNotFoundError(
        f"package {package!r} was not found under {', '.join(str(r) for r in roots)}; "
        "pass the folder that contains it with --search-path"
    )


def read_static(
    package: str = "catalog", search_paths: list[Path] | None = None, *, use_cache: bool = True
) -> list[RawComponent]:
    """Every decorated class in ``package``, read without importing it."""
    root = package_dir(package, search_paths)
    cache_file = _cache_file(root) if use_cache else None
    key = _fingerprint(root) if use_cache else ""
    if cache_file is not None and cache_file.is_file():
        try:
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
            if cached.get("key") == key:
                return [RawComponent.from_json(item) for item in cached["components"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache is rebuilt, never trusted
    raws = _scan(package, root)
    if cache_file is not None:
        _write_atomically(
            cache_file, json.dumps({"key": key, "components": [r.to_json() for r in raws]})
        )
    return raws


def _scan(package: str, root: Path) -> list[RawComponent]:
    import logging

    import griffe

    logging.getLogger("griffe").setLevel(logging.ERROR)
    extension = _decorator_literals_extension()
    loaded = griffe.load(
        package,
        search_paths=[str(root.parent)],
        docstring_parser="numpy",
        allow_inspection=False,
        extensions=griffe.load_extensions(extension),
        store_source=False,
    )
    base = root.parent
    raws = []
    for cls in _classes(loaded):
        found = cls.extra.get("atomkb")
        if found is None:
            continue
        raws.append(_raw_component(cls, found, base))
    raws += _unreadable_modules(root)
    raws.sort(key=lambda r: (r.source_file, r.source_line))
    return raws


def _unreadable_modules(root: Path) -> list[RawComponent]:
    """Modules griffe cannot parse: their components would vanish without a word."""
    found = []
    for path in sorted(root.rglob("*.py")):
        try:
            ast.parse(path.read_bytes(), filename=str(path))
        except SyntaxError as error:
            relative = path.resolve().relative_to(root.parent).as_posix()
            found.append(
                RawComponent(
                    object_path=relative.removesuffix(".py").replace("/", "."),
                    source_file=relative,
                    source_line=error.lineno or 1,
                    metadata={},
                    parameters=[],
                    docstring_summary="",
                    parameter_docs={},
                    has_docstring=False,
                    read_errors=[
                        ("", f"syntax error ({error.msg}): no component of this module can be read")
                    ],
                )
            )
    return found


def _classes(module: Any) -> list[Any]:
    found = []
    for member in module.members.values():
        if member.is_alias:
            continue
        if member.is_module:
            found.extend(_classes(member))
        elif member.is_class:
            found.append(member)
    return found


def _raw_component(cls: Any, found: dict[str, Any], base: Path) -> RawComponent:
    docstring = cls.docstring.value if cls.docstring else None
    summary, param_docs = parse_numpy_docstring(docstring)
    parameters: list[RawParameter] = []
    init = cls.members.get("__init__")
    if init is not None and not init.is_alias and init.is_function:
        for param in init.parameters:
            if param.name == "self":
                continue
            kind = str(param.kind.value) if param.kind is not None else ""
            parameters.append(
                RawParameter(
                    name=param.name,
                    annotation=str(param.annotation) if param.annotation is not None else None,
                    default=normalize_default(str(param.default))
                    if param.default is not None
                    else None,
                    variadic="variadic" in kind,
                )
            )
    return RawComponent(
        object_path=cls.path,
        source_file=Path(cls.filepath).resolve().relative_to(base).as_posix(),
        source_line=found["line"],
        metadata=found["metadata"],
        parameters=parameters,
        docstring_summary=summary,
        parameter_docs=param_docs,
        has_docstring=bool(docstring),
        field_lines=found["field_lines"],
        read_errors=found["errors"],
    )


def _is_component_call(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "component") or (
        isinstance(func, ast.Attribute) and func.attr == "component"
    )


def _decorator_literals_extension() -> Any:
    """A griffe extension that reads the literal arguments of ``@component(...)``.

    Defined on demand so that a cached listing never imports griffe.
    """
    import griffe

    class DecoratorLiterals(griffe.Extension):
        def on_class_instance(self, *, node: Any, cls: Any, agent: Any, **kwargs: Any) -> None:
            if not isinstance(node, ast.ClassDef):
                return
            for decorator in node.decorator_list:
                if _is_component_call(decorator):
                    cls.extra["atomkb"] = _literals(decorator, node)
                    return

    return DecoratorLiterals()


def _literals(call: ast.Call, node: ast.ClassDef) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    field_lines: dict[str, int] = {}
    errors: list[tuple[str, str]] = []
    line = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    if call.args:
        errors.append(("", "@component takes keyword arguments only (id=..., level=...)"))
    for keyword in call.keywords:
        if keyword.arg is None:
            errors.append(("", "@component(**...) cannot be read statically; write the fields out"))
            continue
        field_lines[keyword.arg] = keyword.value.lineno
        try:
            metadata[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            errors.append(
                (
                    keyword.arg,
                    "must be a literal (string, number, list or dict) so it can be read "
                    f"without importing, found `{ast.unparse(keyword.value)}`",
                )
            )
    return {"metadata": metadata, "field_lines": field_lines, "errors": errors, "line": line}


def _fingerprint(root: Path) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"{CACHE_FORMAT}|{version('griffe')}|{root}".encode())
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}|{stat.st_mtime_ns}|{stat.st_size}\n".encode())
    return digest.hexdigest()


def _cache_file(root: Path) -> Path:
    base = os.environ.get("KB_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "atomkb"
    )
    name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return Path(base) / f"static-{name}.json"


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no writable cache folder: work without a cache
