"""The runtime reader: components found by importing their modules (on demand).

Like sktime's ``all_estimators``: walking the package imports every component module,
so it is only done when a caller asks for live classes. Its records must equal the
static reader's; ``tests/catalog/test_readers.py`` holds the two together.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

from catalog._core.declare import META_ATTRIBUTE
from catalog._core.records import RawComponent, RawParameter, parse_numpy_docstring

__all__ = ["ImportProblem", "read_runtime"]

SKIPPED_SUBPACKAGES = {"_core", "testing", "templates"}


class ImportProblem(Exception):
    """A component module could not be imported."""

    def __init__(self, module: str, file: str, error: BaseException) -> None:
        super().__init__(f"{file}:1: importing {module} failed: {type(error).__name__}: {error}")
        self.module = module
        self.file = file


def read_runtime(package: str = "catalog") -> tuple[list[RawComponent], list[ImportProblem]]:
    """Import every module of ``package`` and read the decorated classes it defines."""
    root_module = importlib.import_module(package)
    root = Path(root_module.__file__).resolve().parent  # type: ignore[arg-type]
    base = root.parent
    raws: list[RawComponent] = []
    failures: list[ImportProblem] = []
    for module_name in _module_names(package, root):
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # noqa: BLE001  (reported, never hidden)
            file = module_name.replace(".", "/") + ".py"
            failures.append(ImportProblem(module_name, file, error))
            continue
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and obj.__module__ == module_name
                and META_ATTRIBUTE in vars(obj)
            ):
                raws.append(_raw_component(obj, base))
    raws.sort(key=lambda r: (r.source_file, r.source_line))
    return raws, failures


def _module_names(package: str, root: Path) -> list[str]:
    names = [package]
    for info in pkgutil.walk_packages([str(root)], prefix=f"{package}."):
        parts = info.name.split(".")
        if SKIPPED_SUBPACKAGES.intersection(parts[1:2]):
            continue
        names.append(info.name)
    return names


def _raw_component(cls: type, base: Path) -> RawComponent:
    summary, param_docs = parse_numpy_docstring(cls.__doc__)
    parameters = []
    if "__init__" in vars(cls):
        signature = inspect.signature(cls.__init__)
        for name, param in list(signature.parameters.items())[1:]:
            parameters.append(
                RawParameter(
                    name=name,
                    annotation=_annotation(param.annotation),
                    default=None if param.default is param.empty else repr(param.default),
                    variadic=param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD),
                )
            )
    source_file = Path(inspect.getsourcefile(cls) or "").resolve()
    _, line = inspect.getsourcelines(cls)
    return RawComponent(
        object_path=f"{cls.__module__}.{cls.__qualname__}",
        source_file=source_file.relative_to(base).as_posix(),
        source_line=line,
        metadata=dict(getattr(cls, META_ATTRIBUTE)),
        parameters=parameters,
        docstring_summary=summary,
        parameter_docs=param_docs,
        has_docstring=bool(cls.__doc__),
    )


def _annotation(annotation: Any) -> str | None:
    if annotation is inspect.Parameter.empty:
        return None
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)
