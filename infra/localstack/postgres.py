"""A throwaway PostgreSQL server: a fresh cluster on loopback, removed afterwards.

Used by `make platform` (the local stack) and by the tests.

PostgreSQL refuses to run as root, and CI runs as root: there the cluster's folder is
given to ``nobody`` and ``initdb``/``pg_ctl`` run through ``runuser -u nobody --``.
Elsewhere they run as the current user. The binaries are Debian's ``postgresql``
(``make postgres`` installs it when missing).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "PostgresStartError",
    "create_database",
    "libpq_url",
    "throwaway_cluster",
    "unavailable_reason",
]

START_TIMEOUT_S = 60
SERVICE_USER = "nobody"
SUPERUSER = "postgres"
URL_SCHEME = "postgresql+psycopg"


class PostgresStartError(RuntimeError):
    """The throwaway cluster could not be created or started; the message holds the log."""


def _bin_dir() -> Path | None:
    """Folder holding ``initdb`` and ``pg_ctl``: on PATH, else the newest Debian install."""
    found = shutil.which("initdb")
    if found:
        folder = Path(found).resolve().parent
        if (folder / "pg_ctl").exists():
            return folder
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(key=lambda path: _version_key(Path(path).parents[1].name))
    for initdb in reversed(candidates):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists():
            return folder
    return None


def _version_key(version: str) -> tuple[int, ...]:
    """``"15"`` → ``(15,)``, ``"9.6"`` → ``(9, 6)``; a non-numeric folder name sorts first."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (-1,)


def _as_root() -> bool:
    return os.geteuid() == 0


def unavailable_reason() -> str | None:
    """Why a throwaway PostgreSQL server cannot run here, or ``None`` when it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed: pip install 'psycopg[binary]'"
    if _bin_dir() is None:
        return (
            "PostgreSQL's initdb and pg_ctl are neither on PATH nor in "
            "/usr/lib/postgresql/*/bin: run `make postgres` (Debian's postgresql)"
        )
    if _as_root():
        if shutil.which("runuser") is None:
            return "running as root, and runuser is missing to start PostgreSQL as a non-root user"
        try:
            pwd.getpwnam(SERVICE_USER)
        except KeyError:
            return f"running as root, and there is no user {SERVICE_USER!r} to run PostgreSQL as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], folder: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool in ``folder``, as ``nobody`` when we are root."""
    if _as_root():
        command = ["runuser", "-u", SERVICE_USER, "--", *command]
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=timeout, check=False
    )


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no server log: {error})"


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a fresh PostgreSQL cluster on 127.0.0.1 and yield its SQLAlchemy URL.

    The URL is ``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres`` (trust
    authentication, no password). The server is stopped and its folder removed on exit,
    also when the body raises. Raises `PostgresStartError` with the tool's output or the
    tail of the server log when the cluster cannot be created or started.
    """
    reason = unavailable_reason()
    if reason:
        raise PostgresStartError(reason)
    bin_dir = _bin_dir()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="atomkb-pg-"))
    data, log = folder / "data", folder / "log"
    started = False
    try:
        if _as_root():
            user = pwd.getpwnam(SERVICE_USER)
            os.chown(folder, user.pw_uid, user.pw_gid)
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER]
        init = _run(
            [*initdb, "--no-locale", "--encoding=UTF8", "--no-sync"],
            folder,
            timeout=START_TIMEOUT_S,
        )
        if init.returncode != 0:
            raise PostgresStartError(f"initdb failed:\n{init.stdout}{init.stderr}")
        port = _free_port()
        # fsync off: a test cluster never needs to survive a crash.
        options = f"-k {folder} -p {port} -h 127.0.0.1 -c fsync=off"
        started = True  # from here on, a server may be running even if pg_ctl fails
        pg_ctl_start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log)]
        start = _run(
            [*pg_ctl_start, "-w", "-t", str(START_TIMEOUT_S), "start"],
            folder,
            timeout=START_TIMEOUT_S + 10,
        )
        if start.returncode != 0:
            raise PostgresStartError(
                f"pg_ctl start failed on port {port}:\n{start.stdout}{start.stderr}\n"
                f"server log ({log}):\n{_tail(log)}"
            )
        yield f"{URL_SCHEME}://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        try:
            if started:
                _run(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                    folder,
                    timeout=START_TIMEOUT_S,
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def libpq_url(url: str) -> str:
    """The libpq form of a SQLAlchemy URL, for ``psycopg.connect``: drops ``+psycopg``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


def create_database(url: str, name: str) -> str:
    """Create database ``name`` on the server of ``url``; return the new database's URL.

    The returned URL has the same form as ``url`` (SQLAlchemy's, with ``+psycopg``).
    Names are quoted as identifiers; PostgreSQL keeps at most 63 bytes of them.
    """
    import psycopg
    from psycopg import sql

    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
