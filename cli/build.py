"""``kb build``: the knowledge-base site and its search records, with Sphinx.

Sphinx, sphinx-gallery and matplotlib are imported only when the command runs.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from cli.errors import KbError

__all__ = ["ROOT", "build", "run_build"]

# The checkout that holds conf.py, kb/ and the catalog (editable install).
ROOT = Path(__file__).resolve().parent.parent


def run_build(
    source: Path,
    out: Path,
    *,
    examples: bool = True,
    strict: bool = False,
    quiet: bool = False,
    jobs: str = "1",
) -> int:
    """Build the HTML site of ``source`` into ``out/html``; return Sphinx's exit code."""
    from sphinx.cmd.build import build_main

    args = ["-b", "html", "-c", str(ROOT), "-d", str(out / "doctrees"), "-j", jobs]
    args += ["-D", f"kb_search_records={out / 'search' / 'records.json'}"]
    if not examples:
        args += ["-D", "plot_gallery=0"]
    if strict:
        args += ["-W", "--keep-going"]
    if quiet:
        args.append("-q")
    return build_main([*args, str(source), str(out / "html")])


@click.command("build")
@click.option("--no-examples", is_flag=True, help="Do not run the gallery examples (fast).")
@click.option("-W", "strict", is_flag=True, help="Fail on any warning (after reporting all).")
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    default=ROOT / "kb",
    show_default="kb/ of the checkout",
    help="Folder with the knowledge-base sources.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=ROOT / "_build",
    show_default="_build/ of the checkout",
    help="Build folder: html/, doctrees/ and search/records.json go there.",
)
@click.option("-j", "--jobs", default="1", show_default=True, help="Parallel jobs, or 'auto'.")
@click.option("-q", "--quiet", is_flag=True, help="Show only warnings and the summary.")
def build(no_examples: bool, strict: bool, source: Path, out: Path, jobs: str, quiet: bool) -> None:
    """Build the knowledge-base site and the search records.

    Pages for every component and dataset are generated from the catalog; the gallery
    examples run unless --no-examples (unchanged examples never run twice).
    """
    if not (ROOT / "conf.py").is_file():
        raise KbError(f"no conf.py in {ROOT}; `kb build` needs a checkout of atomkb")
    if not source.is_dir():
        raise KbError(f"--source {source} is not a folder; pass the folder holding index.md")
    try:
        import sphinx  # noqa: F401
    except ImportError:
        raise KbError(
            "Sphinx is not installed; install the docs extra: pip install 'atomkb[docs]'"
        ) from None
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".kb-write-test"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise KbError(
            f"cannot write the site to --out {out} ({error.strerror or error}); choose a folder "
            "you can write to"
        ) from None
    started = time.perf_counter()
    click.echo(
        f"Building the knowledge base from {source} into {out / 'html'} "
        f"({'without running' if no_examples else 'running'} the gallery examples)",
        err=True,
    )
    code = run_build(source, out, examples=not no_examples, strict=strict, quiet=quiet, jobs=jobs)
    elapsed = time.perf_counter() - started
    if code != 0:
        hint = "fix the warnings above (each names its file:line)" if strict else "see above"
        raise KbError(f"the docs build failed after {elapsed:.1f} s; {hint}")
    records = out / "search" / "records.json"
    count = len(json.loads(records.read_text(encoding="utf-8"))) if records.is_file() else 0
    click.echo(
        f"Built in {elapsed:.1f} s: {out / 'html' / 'index.html'}; "
        f"{count} search records in {records}",
        err=True,
    )
