"""Start the real ``kb serve`` as a subprocess on a free loopback port, for the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["children", "free_port", "kb_serve", "running"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def kb_serve(*args: str, timeout: float = 60) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``(base URL, process)`` of ``kb serve ARGS`` once its ``/health`` answers.

    Fails with kb's own error output when it exits or does not answer in ``timeout``
    seconds; the server is terminated (killed if it must be) on leaving.
    """
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    server = subprocess.Popen(
        [str(kb), "serve", "--port", str(port), *args], stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    raise AssertionError(
                        f"kb serve did not start: {server.communicate()[1][-2000:]}"
                    ) from None
                time.sleep(0.1)
        yield base, server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


def children(pid: int) -> set[int]:
    """Pids of the living processes whose parent is ``pid``."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
