"""`kb serve` as a user runs it: worker processes, Ctrl+C, a port already taken."""

from __future__ import annotations

import json
import signal
import socket
import time
import urllib.request

import pytest

from tests._serve import children, kb_serve, running


@pytest.fixture
def index_file(run_kb, tmp_path):
    path = tmp_path / "index.sqlite"
    done = run_kb("index", "--index-file", str(path), "--records", str(tmp_path / "none.json"))
    assert done.returncode == 0, done.stderr
    return path


def test_workers_answer_and_all_stop_on_sigterm(index_file, tmp_path):
    site = str(tmp_path / "no-site")
    with kb_serve("--index-file", str(index_file), "--site", site, "--workers", "2") as (
        base,
        server,
    ):
        workers = children(server.pid)
        assert len(workers) >= 2, workers
        body = json.dumps({"q": "arima", "limit": 1}).encode()
        for _ in range(6):
            request = urllib.request.Request(
                f"{base}/indexes/atomkb/search", body, {"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert json.load(response)["hits"][0]["id"] == "component-forecasting_arima"
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while (alive := {p for p in workers if running(p)}) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive, f"workers left running: {alive}"


def test_a_port_in_use_is_one_sentence(run_kb, index_file):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_kb("serve", "--port", str(port), "--index-file", str(index_file))
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
