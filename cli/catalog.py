"""``kb catalog``: list, show and check the components of the catalog."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from catalog import (
    CAPABILITIES,
    KINDS,
    LEVELS,
    TAGS,
    TASKS,
    ComponentRecord,
    UnknownComponentError,
    check_catalog,
    filter_records,
    find_record,
    load_records,
)
from cli.errors import KbError
from cli.output import echo_json, table, warn

__all__ = ["catalog"]


def _filters(function: click.decorators.FC) -> click.decorators.FC:
    for name, vocabulary in reversed(
        [
            ("task", TASKS),
            ("level", LEVELS),
            ("kind", KINDS),
            ("tag", TAGS),
            ("capability", CAPABILITIES),
        ]
    ):
        function = click.option(
            f"--{name}",
            type=click.Choice(sorted(vocabulary)),
            help=f"Only components with this {name}.",
        )(function)
    return function


def _records(ctx: click.Context) -> list[ComponentRecord]:
    try:
        records, problems = load_records(*_source(ctx))
    except FileNotFoundError as error:
        raise KbError(str(error)) from None
    if problems:
        where = ", ".join(sorted({f"{p.file}:{p.line}" for p in problems})[:3])
        more = "" if len({p.file for p in problems}) <= 3 else ", ..."
        broken = len({(p.file, p.line) for p in problems})
        warn(
            f"skipped components with broken metadata ({where}{more}; about {broken}); "
            "run `kb catalog check` for details"
        )
    return records


def _source(ctx: click.Context) -> tuple[str, list[Path] | None]:
    options = ctx.find_root().obj or {}
    return options.get("package", "catalog"), options.get("search_paths") or None


@click.group()
@click.option("--package", default="catalog", show_default=True, help="Catalog package to read.")
@click.option(
    "--search-path",
    "search_paths",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder that contains the package (default: where atomkb's catalog lives).",
)
@click.pass_context
def catalog(ctx: click.Context, package: str, search_paths: tuple[Path, ...]) -> None:
    """List, show and check catalog components."""
    ctx.find_root().obj = {"package": package, "search_paths": list(search_paths)}


@catalog.command("list")
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@click.pass_context
def list_components(ctx: click.Context, as_json: bool, **criteria: str | None) -> None:
    """List components, optionally filtered by task, level, kind, tag or capability."""
    records = filter_records(_records(ctx), **criteria)
    if as_json:
        echo_json([r.to_json() for r in records])
        return
    if not records:
        click.echo("No component matches these filters.", err=True)
        return
    rows = [
        [r.id, r.meta.level, r.meta.kind, ",".join(r.meta.tasks), r.meta.summary] for r in records
    ]
    click.echo(table(["id", "level", "kind", "tasks", "summary"], rows))
    click.echo(f"\n{len(records)} components. `kb catalog show ID` for details.", err=True)


@catalog.command("show")
@click.argument("component_id")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@click.pass_context
def show(ctx: click.Context, component_id: str, as_json: bool) -> None:
    """Show one component: metadata, signature, parameters, search space, composition."""
    records = _records(ctx)
    try:
        record = find_record(records, component_id)
    except UnknownComponentError as error:
        raise KbError(str(error)) from None
    if as_json:
        echo_json(record.to_json())
        return
    click.echo(_describe(record, {r.id: r for r in records}))


def _describe(record: ComponentRecord, known: dict[str, ComponentRecord]) -> str:
    meta = record.meta
    lines = [
        click.style(f"{meta.name} ({meta.id})", bold=True),
        meta.summary,
        "",
        f"  level        {meta.level}",
        f"  kind         {meta.kind}",
        f"  tasks        {', '.join(meta.tasks)}",
        f"  tags         {', '.join(meta.tags) or '-'}",
        f"  capabilities {', '.join(meta.capabilities) or '-'}",
        f"  maturity     {meta.maturity} (since {meta.since})",
        f"  requires     {', '.join(meta.requires) or '-'}",
        f"  references   {', '.join(meta.references) or '-'}",
        f"  source       {record.location}",
        "",
        "from {} import {}".format(*record.object_path.rsplit(".", 1)),
        record.signature,
    ]
    if record.parameters:
        lines += ["", "Parameters"]
        for param in record.parameters:
            default = f" (default {param.default})" if param.default is not None else ""
            lines.append(f"  {param.name}{default}: {param.description or '-'}")
    if meta.search_space:
        lines += ["", "Search space"]
        for name, space in meta.search_space.items():
            if space.type == "categorical":
                text = "one of " + ", ".join(repr(c) for c in space.choices)
            else:
                text = f"{space.type} in [{space.low}, {space.high}]" + (
                    " (log)" if space.log else ""
                )
            lines.append(f"  {name}: {text}")
    if meta.composes:
        lines += ["", "Built from", *_tree(meta.composes, known, "  ", {meta.id})]
    if record.used_by:
        lines += ["", "Used by"] + [f"  {part}" for part in record.used_by]
    if record.examples:
        lines += ["", "Examples"] + [f"  {name}" for name in record.examples]
    return "\n".join(lines)


def _tree(
    ids: list[str], known: dict[str, ComponentRecord], indent: str, seen: set[str]
) -> list[str]:
    lines = []
    for index, part in enumerate(ids):
        last = index == len(ids) - 1
        branch = "└─ " if last else "├─ "
        record = known.get(part)
        label = f"{part} ({record.meta.level})" if record else f"{part} (unknown id)"
        lines.append(indent + branch + label)
        if record and record.meta.composes and part not in seen:
            child_indent = indent + ("   " if last else "│  ")
            lines += _tree(record.meta.composes, known, child_indent, seen | {part})
    return lines


@catalog.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.argument("files", nargs=-1, required=False)
@click.pass_context
def check(ctx: click.Context, as_json: bool, files: tuple[str, ...]) -> None:
    """Validate every component; report all problems with file:line; exit 1 if any.

    FILES (as passed by pre-commit) are accepted and ignored: the whole catalog is
    always checked, since one file's change can break another's composition.
    """
    package, search_paths = _source(ctx)
    try:
        problems = check_catalog(package, search_paths)
    except FileNotFoundError as error:
        raise KbError(str(error)) from None
    if as_json:
        echo_json([asdict(p) for p in problems])
    else:
        for problem in problems:
            click.echo(str(problem))
    if problems:
        files_count = len({p.file for p in problems})
        click.echo(
            f"{len(problems)} problem(s) in {files_count} file(s); fix them and run "
            "`kb catalog check` again.",
            err=True,
        )
        sys.exit(1)
    records, _ = load_records(package, search_paths)
    click.echo(f"ok: {len(records)} components checked, no problem found.", err=True)
