"""Benchmark of ``kb build``: full build, no-change rebuild and ``--no-examples`` build.

Each build runs ``kb build`` in a fresh process on a fresh copy of ``kb/`` in a
temporary folder (generated pages and gallery outputs left out), so nothing cached in
the working tree helps. Prints wall-clock seconds; the target for a no-change rebuild
is under 10 s.

Run: ``.venv/bin/python bench/docs_build.py``
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = (
    "components",
    "datasets",
    "catalog",
    "auto_examples",
    "gen_modules",
    "sg_execution_times.rst",
)


def timed_build(source: Path, out: Path, *options: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cli.main import main; main()",
            "build",
            "-q",
            "--source",
            str(source),
            "--out",
            str(out),
            *options,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"kb build {' '.join(options)} failed:\n{result.stderr}")
    return elapsed


def fresh_copy(folder: Path) -> Path:
    source = folder / "kb"
    shutil.copytree(ROOT / "kb", source, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"))
    return source


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        figures = {}
        source = fresh_copy(base / "full")
        figures["full build (examples run)"] = timed_build(source, base / "full" / "_build")
        figures["no-change rebuild"] = timed_build(source, base / "full" / "_build")
        source = fresh_copy(base / "fast")
        figures["--no-examples build (fresh)"] = timed_build(
            source, base / "fast" / "_build", "--no-examples"
        )
        figures["--no-examples no-change rebuild"] = timed_build(
            source, base / "fast" / "_build", "--no-examples"
        )
    examples = len(list((ROOT / "kb" / "examples").glob("*/plot_*.py")))
    pages = len(list((ROOT / "kb").rglob("*.md")))
    print(f"kb build on {examples} gallery examples and {pages} hand-written pages:")
    for name, seconds in figures.items():
        print(f"  {name:<34} {seconds:6.1f} s")
    verdict = "met" if figures["no-change rebuild"] < 10 else "missed"
    print(f"target: no-change rebuild under 10 s ({verdict})")


if __name__ == "__main__":
    main()
