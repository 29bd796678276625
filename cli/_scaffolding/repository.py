"""kb's local git repository of template versions, which copier copies and updates from.

The templates ship inside the ``catalog`` package (``catalog/templates/``), a plain folder.
Copier can only *update* a project from a git repository with tagged versions, so kb keeps
one in its cache folder: :func:`publish` copies the templates into it, commits them and
tags the commit ``v<VERSION>`` when their content changed. Projects are copied from that
repository, so their ``.copier-answers.yml`` records the tag and ``copier.run_update`` can
3-way merge a newer one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli._scaffolding.recipes import templates_source
from cli.errors import KbError

__all__ = ["Published", "cache_dir", "git", "leftover_markers", "locked", "publish"]

ANSWERS_FILE = ".copier-answers.yml"
GIT_IDENTITY = ["-c", "user.name=atomkb", "-c", "user.email=atomkb@localhost"]
GIT_QUIET = [
    "-c",
    "commit.gpgsign=false",
    "-c",
    "tag.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
]


@dataclass(frozen=True)
class Published:
    """A template version in kb's local repository: where it is and its tag."""

    repo: Path
    tag: str


def git(*args: str, cwd: Path, identity: list[str] | None = None) -> str:
    """Run git quietly; a failure becomes a KbError with git's own message."""
    command = ["git", *GIT_QUIET, *(identity or []), *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise KbError(f"git {args[0]} failed in {cwd}: {detail[-1] if detail else 'no output'}")
    return done.stdout


def cache_dir() -> Path:
    base = os.environ.get("KB_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "atomkb"
    )
    return Path(base)


def publish(source: Path | None = None) -> Published:
    """Make the templates in ``source`` a tagged version of kb's local template repository.

    Nothing is written when the repository already holds exactly this content. A changed
    content gets the tag ``v<VERSION>`` from ``source/VERSION``, or ``v<VERSION>.postN``
    when that tag already names other content (templates edited without a new VERSION).
    """
    source = source or templates_source()
    if not (source / "copier.yml").is_file():
        raise KbError(
            f"{source} holds no copier.yml; KB_TEMPLATES_SOURCE must be a templates folder"
        )
    version = (source / "VERSION").read_text(encoding="utf-8").strip()
    digest = _digest(source)
    repo = cache_dir() / "templates-repo"
    with locked(cache_dir() / "templates-repo.lock"):
        stamp = repo / ".git" / "kb-source-digest"
        if stamp.is_file() and stamp.read_text() == digest:
            return Published(repo, git("describe", "--tags", "--exact-match", cwd=repo).strip())
        if not (repo / ".git").is_dir():
            repo.mkdir(parents=True, exist_ok=True)
            git("init", "-q", cwd=repo)
        for entry in repo.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.copytree(source, repo, dirs_exist_ok=True, ignore=_ignored)
        git("add", "-A", cwd=repo)
        if git("status", "--porcelain", cwd=repo).strip():
            git("commit", "-q", "-m", f"templates {version}", cwd=repo, identity=GIT_IDENTITY)
            tags = set(git("tag", "--list", f"v{version}*", cwd=repo).split())
            tag = f"v{version}"
            number = 1
            while tag in tags:
                tag, number = f"v{version}.post{number}", number + 1
            git("tag", tag, cwd=repo)
        tag = git("describe", "--tags", "--exact-match", cwd=repo).strip()
        stamp.write_text(digest)
    return Published(repo, tag)


def _ignored(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in {"__pycache__", ".git"} or n.endswith((".pyc", ".pyo"))]


def _digest(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*")):
        if path.is_file() and not _ignored("", list(path.relative_to(source).parts)):
            digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def leftover_markers(root: Path, answers: dict[str, Any] | None = None) -> list[str]:
    """Files of a rendered project that still hold Jinja markers (``{{`` or ``{%``).

    Markers inside an answer (a description that reads ``{{ 7*7 }}``) are the user's
    text, not a template bug: every answer, raw and quoted, is taken out before looking.
    """
    fragments = sorted(_answer_fragments(answers or {}), key=len, reverse=True)
    found = []
    for path in sorted(root.rglob("*")):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        if path.name == ANSWERS_FILE:  # the answers themselves, as copier records them
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for fragment in fragments:
            text = text.replace(fragment, "")
        if re.search(r"\{\{|\{%", text) or re.search(r"\{\{|\{%", str(path.relative_to(root))):
            found.append(str(path.relative_to(root)))
    return found


def _answer_fragments(answers: dict[str, Any]) -> set[str]:
    fragments = set()
    for value in answers.values():
        if not (isinstance(value, str) and "{" in value):
            continue
        for variant in (value, " ".join(value.split())):  # as written, and on one line
            fragments.add(variant)
            for ascii_only in (True, False):
                fragments.add(json.dumps(variant, ensure_ascii=ascii_only)[1:-1])
            fragments.update(variant.splitlines())
    return {f for f in fragments if f}
