"""Shared output helpers: JSON, tables that fit the terminal, warnings on stderr."""

from __future__ import annotations

import json
import shutil
from typing import Any

import click

__all__ = ["echo_json", "table", "warn"]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def warn(message: str) -> None:
    click.echo(click.style("warning: ", fg="yellow") + message, err=True)


def table(headers: list[str], rows: list[list[str]], *, wrap_last: bool = True) -> str:
    """Plain-text table; the last column is cut to fit the terminal width."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    total = shutil.get_terminal_size((120, 24)).columns
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
    if wrap_last and fixed + widths[-1] > total:
        widths[-1] = max(20, total - fixed)
    lines = []
    for cells in [headers, ["-" * w for w in widths], *rows]:
        parts = []
        for cell, width in zip(cells, widths, strict=True):
            text = cell if len(cell) <= width else cell[: width - 1] + "…"
            parts.append(text.ljust(width))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
