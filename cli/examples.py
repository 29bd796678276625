"""``kb examples``: list the gallery examples and copy one into your project.

Examples are the ``plot_*.py`` files under ``kb/examples/<task>/``; ``copy`` writes the
script as it is, or as a Jupyter notebook converted by sphinx-gallery (imported only
then).
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

import click

from catalog import TASKS
from cli.errors import KbError
from cli.output import echo_json, table

__all__ = ["Example", "examples", "find_examples"]

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "kb" / "examples"


@dataclass(frozen=True)
class Example:
    """One gallery example: name (file stem), task, title, summary and source path."""

    name: str
    task: str
    title: str
    summary: str
    path: Path

    @property
    def url(self) -> str:
        return f"auto_examples/{self.task}/{self.name}.html"

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "task": self.task,
            "title": self.title,
            "summary": self.summary,
            "path": str(self.path),
            "url": self.url,
        }


def _title_and_summary(path: Path) -> tuple[str, str]:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    blocks = [" ".join(block.split()) for block in docstring.split("\n\n") if block.strip()]
    title = blocks[0].rstrip("=").strip() if blocks else path.stem
    # A reST title is underlined: keep the words, drop the underline.
    title = " ".join(word for word in title.split() if set(word) != {"="})
    return title, blocks[1] if len(blocks) > 1 else ""


def find_examples(folder: Path = EXAMPLES_DIR) -> list[Example]:
    """Every gallery example under ``folder``, sorted by task then name."""
    found = []
    for path in sorted(folder.glob("*/plot_*.py")):
        title, summary = _title_and_summary(path)
        found.append(Example(path.stem, path.parent.name, title, summary, path))
    return found


def _resolve(name: str, known: list[Example]) -> Example:
    stem = Path(name).stem
    for example in known:
        if stem in (example.name, example.name.removeprefix("plot_")):
            return example
    names = [e.name for e in known]
    close = get_close_matches(stem, names, n=3, cutoff=0.4)
    close += [n for n in names if stem.lower() in n.lower() and n not in close]
    hint = f"; did you mean {', '.join(close[:3])}?" if close else ""
    raise KbError(f"no example is named {name!r}{hint} (`kb examples list` shows them all)")


@click.group()
def examples() -> None:
    """List the gallery examples and copy one into your project."""


@examples.command("list")
@click.option("--task", type=click.Choice(sorted(TASKS)), help="Only examples for this task.")
@click.option("--json", "as_json", is_flag=True, help="Print the examples as JSON.")
def list_examples(task: str | None, as_json: bool) -> None:
    """List gallery examples, optionally for one task."""
    found = [e for e in find_examples() if task is None or e.task == task]
    if as_json:
        echo_json([e.to_json() for e in found])
        return
    if not found:
        click.echo("No example matches.", err=True)
        return
    click.echo(table(["name", "task", "title"], [[e.name, e.task, e.title] for e in found]))
    click.echo(f"\n{len(found)} examples. `kb examples copy NAME` copies one.", err=True)


def _notebook(source: Path, target: Path) -> None:
    import copy

    from sphinx_gallery.gen_gallery import DEFAULT_GALLERY_CONF
    from sphinx_gallery.notebook import jupyter_notebook, save_notebook
    from sphinx_gallery.py_source_parser import split_code_and_text_blocks

    _, blocks = split_code_and_text_blocks(str(source))
    gallery_conf = copy.deepcopy(DEFAULT_GALLERY_CONF)
    save_notebook(jupyter_notebook(blocks, gallery_conf, source.parent), target)


@examples.command("copy")
@click.argument("name")
@click.argument("dest", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["py", "ipynb"]),
    default="py",
    show_default=True,
    help="Copy the script, or convert it to a Jupyter notebook.",
)
@click.option("--force", is_flag=True, help="Overwrite the destination file if it exists.")
def copy_example(name: str, dest: Path, fmt: str, force: bool) -> None:
    """Copy the example NAME into DEST (a folder, default '.', or a file name)."""
    example = _resolve(name, find_examples())
    target = dest / f"{example.name}.{fmt}" if dest.is_dir() or not dest.suffix else dest
    if target.exists() and not force:
        raise KbError(f"{target} already exists; pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "py":
        shutil.copyfile(example.path, target)
    else:
        _notebook(example.path, target)
    click.echo(str(target))
    click.echo(f"Copied {example.name} ({example.title}) to {target}", err=True)
