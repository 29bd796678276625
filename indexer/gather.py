"""Gather the records to index: the docs build's file, or the catalog, plus library APIs.

``kb build`` writes every record (catalog, examples, templates, guides) to
``_build/search/records.json``; without a build the catalog's static reader alone gives
one record per component and dataset. ``api_records("sklearn")`` reads the public API of
an installed package statically with griffe (nothing is imported) as records of kind
``api``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from indexer.records import SearchRecord, catalog_search_records, make_record_id, read_records

__all__ = ["DEFAULT_RECORDS", "api_records", "gather_records"]

DEFAULT_RECORDS = Path("_build") / "search" / "records.json"
MAX_CONTENT = 2000

# Where each library documents an object, by its public path.
_DOC_URLS = {
    "sklearn": "https://scikit-learn.org/stable/modules/generated/{path}.html",
    "statsmodels": "https://www.statsmodels.org/stable/generated/{path}.html",
    "pandas": "https://pandas.pydata.org/docs/reference/api/{path}.html",
    "scipy": "https://docs.scipy.org/doc/scipy/reference/generated/{path}.html",
    "aeon": "https://www.aeon-toolkit.org/en/stable/api_reference/auto_generated/{path}.html",
}


def gather_records(
    records_file: str | Path | None = DEFAULT_RECORDS, packages: tuple[str, ...] = ()
) -> tuple[list[SearchRecord], list[str]]:
    """The records to index and notes for the user (e.g. that a build adds guides).

    Parameters
    ----------
    records_file : str, Path or None
        The docs build's records; when it does not exist, the catalog alone is indexed.
    packages : tuple of str
        Installed packages whose public API is added as records of kind ``api``.

    Returns
    -------
    tuple
        ``(records, notes)``.
    """
    notes = []
    if records_file is not None and Path(records_file).exists():
        records = read_records(records_file)
    else:
        from catalog import load_records

        components, problems = load_records()
        records = catalog_search_records(components)
        notes.append(
            f"indexed the catalog alone ({len(records)} records): no {records_file or 'records'}"
            " yet; `kb build` adds guides, examples and templates"
        )
        if problems:
            notes.append(
                f"{len({p.component or p.file for p in problems})} components with broken "
                "metadata were left out; `kb catalog check` explains why"
            )
    for package in packages:
        records += api_records(package)
    return records, notes


def _first_line(text: str) -> str:
    for line in text.strip().splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def api_records(package: str) -> list[SearchRecord]:
    """One record per public module, class, function, method and property of a package.

    The package is read statically with griffe: no import, so reading it has no side
    effects. An object reachable by several public paths is indexed once, under its
    shortest path.

    Raises
    ------
    ValueError
        When the package is not installed.
    """
    import griffe

    if importlib.util.find_spec(package) is None:
        raise ValueError(
            f"--package: expected an installed package, found no {package!r}; "
            f"install it (pip install {package}) or check the import name"
        )
    root = griffe.load(
        package, docstring_parser="numpy", allow_inspection=False, resolve_aliases=False
    )
    url = _DOC_URLS.get(package, f"https://pypi.org/project/{package}/")
    best: dict[str, tuple[str, griffe.Object]] = {}

    def visit(module: griffe.Module, depth: int) -> None:
        for name, member in list(module.members.items()):
            if name.startswith("_"):
                continue
            public_path = f"{module.path}.{name}"
            try:
                target = member.final_target if member.is_alias else member
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue
            if not target.path.startswith(package + ".") and target.path != package:
                continue  # re-exports of other libraries
            if target.is_module:
                if member.is_alias or depth > 6 or name.startswith(("test", "conftest")):
                    continue
                keep(public_path, target)
                visit(target, depth + 1)
            elif target.is_class or target.is_function:
                keep(public_path, target)
                if target.is_class:
                    for method_name, method in target.members.items():
                        if method_name.startswith("_") or method.is_alias:
                            continue
                        if method.is_function or "property" in method.labels:
                            keep(f"{public_path}.{method_name}", method)

    def keep(public_path: str, target: griffe.Object) -> None:
        previous = best.get(target.path)
        if previous is None or len(public_path) < len(previous[0]):
            best[target.path] = (public_path, target)

    visit(root, 0)
    records = []
    by_path = {public_path: target for public_path, target in best.values()}
    for public_path, target in sorted(by_path.items()):
        docstring = target.docstring.value if target.docstring else ""
        parts = public_path.split(".")
        page = ".".join(parts[:-1])
        records.append(
            SearchRecord(
                id=make_record_id("api", public_path.replace(".", "-")),  # "-" is never in names
                kind="api",
                title=public_path,
                summary=_first_line(docstring),
                content=" ".join(parts[1:]) + "\n" + docstring[:MAX_CONTENT],
                url=url.format(path=page if _is_method(target) else public_path),
                anchor=public_path if _is_method(target) else None,
                hierarchy_lvl0="API",
                hierarchy_lvl1=package,
                hierarchy_lvl2=".".join(parts[:-1]) or None,
                hierarchy_lvl3=parts[-1],
                page_rank=-10 - public_path.count("."),
            )
        )
    return records


def _is_method(target: object) -> bool:
    parent = getattr(target, "parent", None)
    return bool(parent is not None and getattr(parent, "is_class", False))
