"""Shared test set-up: an isolated cache folder, the project root, the kb runner, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.localstack import postgres as _postgres

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Fixture packages are data for the checker, not tests to collect or import.
collect_ignore = ["fixtures"]

# The throwaway PostgreSQL cluster lives with the local platform stack (infra/localstack);
# tests import it as `_postgres`.
sys.modules["_postgres"] = _postgres


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


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a throwaway PostgreSQL server shared by the session.

    ``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``; skips, saying why, where
    PostgreSQL cannot run. A test that writes makes its own database:
    ``import _postgres; url = _postgres.create_database(postgres_url, "my_test")``.
    """
    reason = _postgres.unavailable_reason()
    if reason:
        pytest.skip(reason)
    with _postgres.throwaway_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``(html folder, index file)`` of one ``kb build --no-examples`` + ``kb index``.

    Shared by every test that serves the real site (kb serve, the platform, browsers).
    """
    build = tmp_path_factory.mktemp("site") / "build"
    done = _run_kb("build", "--no-examples", "-q", "--out", str(build))
    assert done.returncode == 0, done.stderr[-2000:]
    index = build / "search" / "index.sqlite"
    records = build / "search" / "records.json"
    done = _run_kb("index", "--records", str(records), "--index-file", str(index))
    assert done.returncode == 0, done.stderr
    return build / "html", index


@pytest.fixture(scope="session")
def platform(built_site: tuple[Path, Path]) -> Iterator[object]:
    """The team platform on loopback (``infra.localstack.Stack``) over the built site.

    One per session: nginx with the real template, PostgreSQL, mlflow server, kb serve
    for the search routes, optuna-dashboard. Skips, saying why, where one is missing.
    """
    from infra.localstack import Stack, unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    html, index = built_site
    with Stack(site=html, index_file=index) as stack:
        yield stack
