"""Where a generated project installs atomkb from: the ``atomkb_source`` answer.

atomkb is not on a public package index, so a project must say where its atomkb comes
from, and its README, Makefile, ``pyproject.toml`` and CI must all say the same. One of:

* a team's package index (GitLab's package registry, where atomkb's CI publishes a wheel
  on each tag, or any PEP 503 index): ``https://.../simple`` -- pip searches it besides
  PyPI (``--extra-index-url``) and the project pins ``atomkb[components]==VERSION``;
* a git URL pinned to a tag, or the URL of a wheel: ``git+https://...@v0.1.0`` -- a direct
  reference in ``pyproject.toml``, no pip option;
* a local wheel or atomkb source folder -- kb copies (or builds) the wheel into the
  project's ``wheels/`` folder, committed with it, and pip finds it there
  (``--find-links wheels``). The default: the very atomkb this ``kb`` runs from.

The answer recorded in ``.copier-answers.yml`` is the canonical form above; the templates
(``_shared/atomkb.jinja``) read it with the same three rules as :func:`kind`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from cli._scaffolding.repository import cache_dir, locked
from cli.errors import KbError

__all__ = ["PROJECT_WHEELS", "AtomkbSource", "atomkb_version", "kind", "resolve_source"]

PROJECT_WHEELS = "wheels"  # the project's folder of wheels, relative to its root
# Characters of a URL that are safe in a shell command, a Makefile and YAML unquoted.
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9._~:/?@&+,=%-]+$")
# What is not copied when a wheel is built from an atomkb source folder.
NOT_SOURCE = {".git", ".venv", "venv", "_build", "build", "dist", "tests", "bench", "kb"}


@dataclass(frozen=True)
class AtomkbSource:
    """The canonical ``atomkb_source`` answer, and the wheel to copy into the project."""

    answer: str
    wheel: Path | None = None

    @property
    def version(self) -> str:
        """The atomkb release the project pins: the wheel's, else the one kb runs from."""
        return self.wheel.name.split("-")[1] if self.wheel is not None else atomkb_version()


def kind(answer: str) -> str:
    """``"direct"`` (git or wheel URL), ``"index"`` (package index URL) or ``"wheels"``."""
    if answer.startswith("git+") or answer.endswith(".whl"):
        return "direct"
    return "index" if "://" in answer else "wheels"


def atomkb_version() -> str:
    """The version of the atomkb kb runs from: what a project pins.

    From an editable install, the source folder's ``pyproject.toml`` says it (the installed
    metadata keeps the version of the last install).
    """
    source = _editable_source()
    if source is not None:
        project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
        return str(project["project"]["version"])
    return metadata.version("atomkb")


def _origin() -> dict:
    """pip's record of where the running atomkb was installed from (PEP 610)."""
    # the first record that has it: a stale atomkb.egg-info in the current folder has none
    for distribution in metadata.distributions(name="atomkb"):
        try:
            text = distribution.read_text("direct_url.json")
            if text:
                return json.loads(text)
        except ValueError:
            continue
    return {}


def _editable_source() -> Path | None:
    origin = _origin()
    url = str(origin.get("url") or "")
    if url.startswith("file://") and "dir_info" in origin:
        folder = Path(url.removeprefix("file://"))
        if _is_atomkb_source(folder):
            return folder
    return None


def resolve_source(value: str | None) -> AtomkbSource:
    """Check an ``atomkb_source`` answer; a local one (or none) becomes a wheel to copy."""
    value = (value or "").strip()
    if value in {"", "local", PROJECT_WHEELS}:
        return AtomkbSource(PROJECT_WHEELS, running_wheel())
    if "://" in value and not value.startswith("file://"):
        if not URL.match(value):
            raise KbError(
                f"atomkb_source '{value}' is not a plain URL (letters, digits and "
                "._~:/?@&+,=%- only); give a package index URL, a git URL pinned to a tag "
                "(git+https://host/atomkb.git@v0.1.0) or the path of a wheel"
            )
        if value.startswith("git+") and not re.search(r"@[^/@]+$", value):
            raise KbError(
                f"atomkb_source '{value}' names no tag: pin it, as in {value}@v{atomkb_version()}, "
                "so every clone installs the same atomkb"
            )
        return AtomkbSource(value)
    path = Path(value.removeprefix("file://")).expanduser().resolve()
    if path.is_file() and path.name.startswith("atomkb-") and path.suffix == ".whl":
        return AtomkbSource(PROJECT_WHEELS, path)
    if path.is_dir() and _is_atomkb_source(path):
        return AtomkbSource(PROJECT_WHEELS, build_wheel(path))
    raise KbError(
        f"atomkb_source '{value}' is neither an atomkb wheel (atomkb-*.whl), an atomkb "
        "source folder, a package index URL nor a git URL; give one of those, or leave it "
        "out to use the atomkb kb runs from"
    )


def running_wheel() -> Path:
    """A wheel of the atomkb this kb runs from: its source folder built, or its own wheel."""
    source = _editable_source()
    if source is not None:
        return build_wheel(source)
    url = str(_origin().get("url") or "")
    local = Path(url.removeprefix("file://")) if url.startswith("file://") else None
    if local is not None and local.is_file() and local.suffix == ".whl":
        return local
    raise KbError(
        "kb cannot tell which wheel its own atomkb was installed from; set atomkb_source in "
        "--data answers.yml to your team's package index URL, a git URL pinned to a tag, or "
        "the path of an atomkb wheel"
    )


def _is_atomkb_source(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    return (
        pyproject.is_file()
        and re.search(r'^name\s*=\s*"atomkb"', pyproject.read_text(encoding="utf-8"), re.MULTILINE)
        is not None
    )


def build_wheel(source: Path) -> Path:
    """Build (once per content) the wheel of an atomkb source folder into kb's cache.

    The folder is copied first, so the build leaves nothing (``build/``) in it.
    """
    digest = _source_digest(source)
    folder = cache_dir() / "wheels" / digest[:16]
    with locked(cache_dir() / "wheels.lock"):
        built = sorted(folder.glob("atomkb-*.whl"))
        if built:
            return built[0]
        with tempfile.TemporaryDirectory(prefix="atomkb-build-") as scratch:
            copy = Path(scratch) / "atomkb"
            shutil.copytree(source, copy, ignore=_not_source(source))
            out = Path(scratch) / "out"
            command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
            done = subprocess.run(
                [*command, "--no-build-isolation", "--wheel-dir", str(out), str(copy)],
                capture_output=True,
                text=True,
                check=False,
            )
            wheels = sorted((Path(scratch) / "out").glob("atomkb-*.whl"))
            if done.returncode != 0 or not wheels:
                detail = (done.stderr or done.stdout).strip().splitlines()
                raise KbError(
                    f"building the atomkb wheel from {source} failed "
                    f"({detail[-1] if detail else 'no output'}); set atomkb_source instead"
                )
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / (wheels[0].name + ".part")
            shutil.copy2(wheels[0], partial)
            partial.rename(folder / wheels[0].name)
        return folder / wheels[0].name


def _not_source(root: Path) -> Callable[[str, list[str]], list[str]]:
    """The names in a folder of ``root`` that are not atomkb's source (to copy and to hash)."""

    def ignored(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == root
        return [
            n
            for n in names
            if (top and n in NOT_SOURCE)
            or n == "__pycache__"
            or n.endswith((".pyc", ".pyo", ".egg-info"))
            or (n.startswith(".") and Path(folder, n).is_dir())
        ]

    return ignored


def _source_digest(source: Path) -> str:
    digest = hashlib.sha256()
    ignored = _not_source(source)
    for folder, dirs, files in os.walk(source):
        skipped = set(ignored(folder, dirs + files))
        dirs[:] = sorted(d for d in dirs if d not in skipped)
        for name in sorted(f for f in files if f not in skipped):
            path = Path(folder, name)
            digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
