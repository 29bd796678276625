"""infra/deploy.sh against the platform on loopback: releases, atomic switches, rollbacks.

One stack for the module (``infra.localstack.Stack``: Debian's nginx with the project's
template, PostgreSQL, mlflow server, kb serve, optuna-dashboard) whose site root is the
deploy root's ``current`` symlink, as in Compose, so nginx follows every switch. Each test
starts from an empty deploy root. Docker is not available here, so the script's "up"
command is ``true`` (the stack is already up); its health check goes through the real
proxy with the real login.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.client
import os
import re
import shutil
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from infra.localstack import Stack, unavailable_reason
from tests.conftest import ROOT, _run_kb

DEPLOY = ROOT / "infra" / "deploy.sh"
RELEASE_NAME = re.compile(r"^\d{8}T\d{6}\.\d{3}Z-[A-Za-z0-9]+$")
HEALTH_TIMEOUT_S = 3


def _stack_unavailable() -> str | None:
    """The platform's own reason, then the tools the deploy script needs besides it."""
    reason = unavailable_reason()
    if reason:
        return reason
    for tool in ("curl", "flock"):
        if not shutil.which(tool):
            return f"{tool} is not installed (Debian's curl, util-linux)"
    return None


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    reason = _stack_unavailable()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("deploy")
    index = folder / "index.sqlite"
    done = _run_kb("index", "--index-file", str(index), "--records", str(folder / "none.json"))
    assert done.returncode == 0, done.stderr
    (folder / "srv").mkdir()
    with Stack(site=folder / "srv" / "current", index_file=index) as started:
        yield started


@pytest.fixture
def deploy_root(stack: Stack) -> Path:
    """The stack's deploy root, emptied: no release, no ``current``."""
    root = stack.site.parent
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return root


# -- releases and the script ------------------------------------------------------------


def _page(label: str) -> str:
    """A page big enough that half of one and half of another would show."""
    filler = f"<p>{label} " + "lorem ipsum " * 40 + "</p>\n"
    return (
        f"<!doctype html>\n<html><head><title>release {label}</title></head>\n"
        f"<body>\n<h1>release {label}</h1>\n{filler * 150}</body>\n</html>\n"
    )


def _archive(folder: Path, label: str, extra: dict[str, str] | None = None) -> Path:
    """A site archive as the CI build job makes it: the site's files at its top."""
    html = folder / f"html-{label}"
    html.mkdir(parents=True)
    for name, text in {"index.html": _page(label), **(extra or {})}.items():
        (html / name).parent.mkdir(parents=True, exist_ok=True)
        (html / name).write_text(text)
    archive = folder / f"site-{label}.tar.gz"
    subprocess.run(["tar", "-C", str(html), "-czf", str(archive), "."], check=True)
    return archive


def _env(stack: Stack, root: Path | None, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "CI_"))}
    env.update(
        KB_DEPLOY_UP="true",  # no Docker here: the stack is already up
        KB_HEALTH_URL=f"{stack.url}/index.html",
        KB_HEALTH_USER=stack.user,
        KB_HEALTH_PASSWORD=stack.password,
        KB_HEALTH_TIMEOUT=str(HEALTH_TIMEOUT_S),
    )
    if root is not None:
        env["KB_DEPLOY_ROOT"] = str(root)
    env.update(settings)
    return env


def _run(
    stack: Stack, root: Path | None, *args: str, **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(DEPLOY), *args],
        capture_output=True,
        text=True,
        env=_env(stack, root, **settings),
        timeout=120,
    )


def _deploy(stack: Stack, root: Path, archive: Path, **settings: str) -> str:
    """Deploy and return the new current release's name."""
    done = _run(stack, root, "deploy", str(archive), **settings)
    assert done.returncode == 0, done.stdout + done.stderr
    return _current(root)


def _current(root: Path) -> str:
    return Path(os.readlink(root / "current")).name


def _releases(root: Path) -> list[str]:
    return sorted(entry.name for entry in (root / "releases").iterdir())


def _one_sentence(text: str) -> bool:
    lines = text.strip().splitlines()
    return len(lines) == 1 and lines[0].endswith(".")


# -- the proxy, as a client sees it ------------------------------------------------------


def _auth(stack: Stack) -> dict[str, str]:
    token = base64.b64encode(f"{stack.user}:{stack.password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _get(stack: Stack, path: str = "/index.html", login: bool = True) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    try:
        connection.request("GET", path, headers=_auth(stack) if login else {})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


class _Poller(threading.Thread):
    """Asks the proxy for the site's front page as fast as it can, until stopped.

    Keeps every distinct (status, body) answer once and the order they came in, runs
    collapsed, so a test can say "A then B" and "every answer was a whole page".
    """

    def __init__(self, stack: Stack, keep_alive: bool) -> None:
        super().__init__(daemon=True)
        self.port = stack.port
        self.path = "/index.html" if keep_alive else "/"
        self.headers = _auth(stack) if keep_alive else {**_auth(stack), "Connection": "close"}
        self.keep_alive = keep_alive
        self.answers: dict[tuple[int, bytes], int] = {}
        self.order: list[tuple[int, bytes]] = []
        self.errors: list[str] = []
        self.count = 0
        self.longest_wait = 0.0  # seconds between two answers
        self._stopping = threading.Event()

    def run(self) -> None:
        connection = None
        last = time.monotonic()
        while not self._stopping.is_set():
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", self.path, headers=self.headers)
                answer = connection.getresponse()
                key = (answer.status, answer.read())
                if not self.keep_alive or answer.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(repr(error))
                if connection is not None:
                    connection.close()
                connection = None
                continue
            self.answers[key] = self.answers.get(key, 0) + 1
            if not self.order or self.order[-1] != key:
                self.order.append(key)
            self.count += 1
            now = time.monotonic()
            self.longest_wait = max(self.longest_wait, now - last)
            last = now

    def wait_for(self, answers: int) -> None:
        deadline = time.monotonic() + 30
        target = self.count + answers
        while self.count < target and time.monotonic() < deadline and self.is_alive():
            time.sleep(0.01)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=30)


StartPollers = Callable[[], list[_Poller]]


@pytest.fixture
def pollers(stack: Stack) -> Iterator[StartPollers]:
    """Start one keep-alive and one connection-per-request poller; stopped at the end."""
    started: list[_Poller] = []

    def start() -> list[_Poller]:
        for keep_alive in (True, False):
            poller = _Poller(stack, keep_alive)
            poller.start()
            started.append(poller)
        for poller in started:
            poller.wait_for(20)
        return started

    yield start
    for poller in started:
        poller.stop()


def _stop_and_check(pollers: list[_Poller], pages: dict[bytes, str]) -> list[list[str]]:
    """Stop the pollers; every answer must be 200 and one of ``pages``, whole.

    Returns the order of pages each poller saw (runs collapsed).
    """
    for poller in pollers:
        poller.wait_for(20)
        poller.stop()
    orders = []
    for poller in pollers:
        assert poller.errors == [], poller.errors[:5]
        bad = {status: body[:200] for (status, body) in poller.answers if body not in pages}
        assert bad == {}, f"answers that are not a whole release page: {bad}"
        assert {status for status, _ in poller.answers} == {200}
        orders.append([pages[body] for _, body in poller.order])
    return orders


def _served(stack: Stack) -> bytes:
    status, body = _get(stack)
    assert status == 200
    return body


def _as_served(label: str, served_a: bytes) -> bytes:
    """Release ``label``'s page as the proxy serves it, with what the proxy adds at
    ``</body>`` (kb's search box) learned from release A's page as it was served."""
    head, _, tail = _page("A").encode().partition(b"</body>")
    added = served_a[len(head) : len(served_a) - len(tail)]
    head, _, tail = _page(label).encode().partition(b"</body>")
    return head + added + tail


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# -- tests ------------------------------------------------------------------------------


@pytest.mark.slow
def test_deploy_switches_current_to_the_new_release_and_keeps_the_old(
    stack: Stack, deploy_root: Path, tmp_path: Path
) -> None:
    archive_a = _archive(tmp_path, "A")
    a = _deploy(stack, deploy_root, archive_a)
    b = _deploy(stack, deploy_root, _archive(tmp_path, "B"), CI_COMMIT_SHORT_SHA="b1c2d3e")

    assert RELEASE_NAME.match(a) and RELEASE_NAME.match(b)
    assert a.endswith("-" + hashlib.sha256(archive_a.read_bytes()).hexdigest()[:8])
    assert b.endswith("-b1c2d3e")
    assert _releases(deploy_root) == [a, b]
    assert os.readlink(deploy_root / "current") == f"releases/{b}"
    assert stat.S_IMODE((deploy_root / "releases" / b).stat().st_mode) == 0o755
    status, body = _get(stack)
    assert status == 200 and b"<h1>release B</h1>" in body
    assert _get(stack, login=False)[0] == 401

    shown = _run(stack, deploy_root, "status")
    assert shown.returncode == 0, shown.stderr
    assert f"current:  {b}" in shown.stdout and f"previous: {a}" in shown.stdout
    assert shown.stdout.index(b) < shown.stdout.rindex(a)


@pytest.mark.slow
def test_no_request_fails_while_deploys_switch_releases(
    stack: Stack, deploy_root: Path, tmp_path: Path, pollers: StartPollers
) -> None:
    _deploy(stack, deploy_root, _archive(tmp_path, "A"))
    page_a = _served(stack)
    labels = "BCDE"
    running = pollers()
    before = [poller.count for poller in running]
    for label in labels:
        _deploy(stack, deploy_root, _archive(tmp_path, label))
    during = [poller.count - n for poller, n in zip(running, before, strict=True)]
    assert _served(stack) == _as_served(labels[-1], page_a)

    pages = {page_a: "A", **{_as_served(label, page_a): label for label in labels}}
    orders = _stop_and_check(running, pages)

    # Each poller saw every release in turn, whole, and never an old one again.
    assert orders == [list("A" + labels)] * 2
    # ...and kept asking throughout: no switch fell between two far-apart requests.
    waits = [round(poller.longest_wait, 3) for poller in running]
    print(f"answers while deploy.sh ran: {during}; longest waits: {waits} s")
    assert min(during) > 0 and max(waits) < 1
    assert len(_releases(deploy_root)) == 5  # KB_KEEP_RELEASES' default


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["stale proxy", "proxy down", "up command fails"])
def test_deploy_failing_its_check_goes_back_to_the_previous_release(
    stack: Stack, deploy_root: Path, tmp_path: Path, pollers: StartPollers, failure: str
) -> None:
    a = _deploy(stack, deploy_root, _archive(tmp_path, "A"))
    page_a = _served(stack)
    settings: dict[str, str] = {}
    stale = None
    reason = {
        "stale proxy": "answered 200 with another page than",
        "proxy down": "Failed to connect",
        "up command fails": "the up command failed (exit 3)",
    }[failure]
    if failure == "stale proxy":
        # A server still serving release A's folder (as a proxy that resolved the
        # symlink once would): it answers 200, but not with the new release's page.
        handler = functools.partial(_QuietFiles, directory=str(deploy_root / "releases" / a))
        stale = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=stale.serve_forever, daemon=True).start()
        settings["KB_HEALTH_URL"] = f"http://127.0.0.1:{stale.server_port}/index.html"
    elif failure == "proxy down":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        settings["KB_HEALTH_URL"] = f"http://127.0.0.1:{port}/index.html"
    else:
        settings["KB_DEPLOY_UP"] = "exit 3"
    running = pollers()
    try:
        done = _run(stack, deploy_root, "deploy", str(_archive(tmp_path, "C")), **settings)
    finally:
        if stale is not None:
            stale.shutdown()
            stale.server_close()

    orders = _stop_and_check(running, {page_a: "A", _as_served("C", page_a): "C"})

    assert done.returncode != 0
    assert reason in done.stderr
    assert f"SWITCHED BACK: current is {a} again" in done.stderr
    assert _current(deploy_root) == a
    assert _releases(deploy_root) == [a]  # the failed release is deleted
    assert _served(stack) == page_a
    # Whole pages throughout: A, then C while it was checked, then A again.
    if failure == "up command fails":  # switched back at once: C may go unseen
        assert all(order in (["A"], ["A", "C", "A"]) for order in orders), orders
    else:
        assert orders == [["A", "C", "A"]] * 2


@pytest.mark.slow
def test_a_first_deploy_failing_its_check_stays_and_says_so(
    stack: Stack, deploy_root: Path, tmp_path: Path
) -> None:
    down = f"{stack.url}/index.html".replace(f":{stack.port}/", ":9/")
    done = _run(stack, deploy_root, "deploy", str(_archive(tmp_path, "A")), KB_HEALTH_URL=down)

    assert done.returncode != 0
    assert "HEALTH CHECK FAILED" in done.stderr
    assert "no earlier release to go back to" in done.stderr
    assert _releases(deploy_root) == [_current(deploy_root)]


@pytest.mark.slow
def test_rollback_returns_to_the_release_before_and_then_refuses(
    stack: Stack, deploy_root: Path, tmp_path: Path, pollers: StartPollers
) -> None:
    a = _deploy(stack, deploy_root, _archive(tmp_path, "A"))
    page_a = _served(stack)
    b = _deploy(stack, deploy_root, _archive(tmp_path, "B"))
    running = pollers()

    done = _run(stack, deploy_root, "rollback")

    orders = _stop_and_check(running, {page_a: "A", _as_served("B", page_a): "B"})
    assert done.returncode == 0, done.stderr
    assert orders == [["B", "A"], ["B", "A"]]
    assert _current(deploy_root) == a
    assert _releases(deploy_root) == [a]  # B is gone: a second rollback goes further back
    assert b in done.stdout

    again = _run(stack, deploy_root, "rollback")
    assert again.returncode != 0
    assert _one_sentence(again.stderr), again.stderr
    assert "no release before" in again.stderr
    assert _current(deploy_root) == a


@pytest.mark.slow
def test_rollback_failing_its_check_stays_on_the_current_release(
    stack: Stack, deploy_root: Path, tmp_path: Path
) -> None:
    a = _deploy(stack, deploy_root, _archive(tmp_path, "A"))
    b = _deploy(stack, deploy_root, _archive(tmp_path, "B"))

    done = _run(stack, deploy_root, "rollback", KB_DEPLOY_UP="exit 1")

    assert done.returncode != 0
    assert f"SWITCHED BACK: current is {b} again" in done.stderr
    assert _current(deploy_root) == b
    assert _releases(deploy_root) == [a, b]


@pytest.mark.slow
def test_only_the_newest_releases_are_kept_and_never_current_or_previous(
    stack: Stack, deploy_root: Path, tmp_path: Path
) -> None:
    names = [
        _deploy(stack, deploy_root, _archive(tmp_path, label), KB_KEEP_RELEASES="3")
        for label in "ABCD"
    ]
    assert _releases(deploy_root) == names[1:]

    e = _deploy(stack, deploy_root, _archive(tmp_path, "E"), KB_KEEP_RELEASES="1")
    assert _releases(deploy_root) == [names[-1], e]


def _html_folder_archive(tmp_path: Path) -> Path:
    archive = _archive(tmp_path, "nested")
    subprocess.run(["tar", "-C", str(tmp_path), "-czf", str(archive), "html-nested"], check=True)
    return archive


def _archive_with_link(tmp_path: Path) -> Path:
    html = tmp_path / "linked"
    html.mkdir()
    (html / "index.html").write_text(_page("L"))
    (html / "passwd.html").symlink_to("/etc/passwd")
    archive = tmp_path / "linked.tar.gz"
    subprocess.run(["tar", "-C", str(html), "-czf", str(archive), "."], check=True)
    return archive


def _not_gzip(tmp_path: Path) -> Path:
    archive = tmp_path / "site.tar.gz"
    archive.write_text("not an archive")
    return archive


BAD_INPUTS = {
    "missing archive": (lambda tmp: tmp / "absent.tar.gz", {}, "does not exist"),
    "the html folder archived": (_html_folder_archive, {}, "no index.html at its top"),
    "not a gzip": (_not_gzip, {}, "not a readable .tar.gz"),
    "a symlink in the archive": (_archive_with_link, {}, "neither a file nor a folder"),
    "deploy root unset": (
        lambda tmp: _archive(tmp, "B"),
        {"KB_DEPLOY_ROOT": None},
        "KB_DEPLOY_ROOT is not set",
    ),
    "health page not in the release": (
        lambda tmp: _archive(tmp, "B"),
        {"KB_HEALTH_URL": "{url}/only-in-new.html"},
        "has no only-in-new.html",
    ),
    "keep zero releases": (
        lambda tmp: _archive(tmp, "B"),
        {"KB_KEEP_RELEASES": "0"},
        "KB_KEEP_RELEASES=0 is not a positive whole number",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_one_sentence_and_leaves_nothing_behind(
    stack: Stack, deploy_root: Path, tmp_path: Path, case: str
) -> None:
    make_archive, settings, expected = BAD_INPUTS[case]
    a = _deploy(stack, deploy_root, _archive(tmp_path, "A"))
    before = sorted(p.name for p in deploy_root.rglob("*"))
    env = {k: v.format(url=stack.url) for k, v in settings.items() if v is not None}
    root = None if "KB_DEPLOY_ROOT" in settings else deploy_root

    done = _run(stack, root, "deploy", str(make_archive(tmp_path)), **env)

    assert done.returncode != 0
    assert _one_sentence(done.stderr), done.stderr
    assert expected in done.stderr
    assert sorted(p.name for p in deploy_root.rglob("*")) == before
    assert _current(deploy_root) == a


@pytest.mark.slow
def test_two_deploys_at_once_take_turns(stack: Stack, deploy_root: Path, tmp_path: Path) -> None:
    log = tmp_path / "up.log"
    up = f"echo start >> {log}; sleep 1; echo end >> {log}"
    runs = [
        subprocess.Popen(
            ["bash", str(DEPLOY), "deploy", str(_archive(tmp_path, label))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(stack, deploy_root, KB_DEPLOY_UP=up),
        )
        for label in "AB"
    ]
    outputs = [run.communicate(timeout=60) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    assert log.read_text().split() == ["start", "end", "start", "end"]
    assert len(_releases(deploy_root)) == 2


def test_deploy_script_passes_shellcheck() -> None:
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed: apt-get install shellcheck")
    done = subprocess.run(["shellcheck", str(DEPLOY)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
