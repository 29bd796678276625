"""Shared test set-up: an isolated cache folder, the project root, the kb runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Fixture packages are data for the checker, not tests to collect or import.
collect_ignore = ["fixtures"]


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["KB_CACHE_DIR"] = str(tmp_path_factory.mktemp("kb-cache"))


def _run_kb(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    kb = Path(sys.executable).with_name("kb")
    return subprocess.run(
        [str(kb), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture
def run_kb():
    """Run the real ``kb`` console script in a subprocess: ``run_kb("catalog", "list")``."""
    return _run_kb
