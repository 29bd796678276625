"""Start the platform's services as processes on loopback, behind the real nginx template.

:class:`Stack` owns one folder: the PostgreSQL cluster (databases ``mlflow`` and
``automl``), MLflow's artifacts, the rendered nginx configuration, an htpasswd file and
every service's log. Each service gets a free port; nginx alone faces the user.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from infra.localstack import postgres

__all__ = [
    "TEMPLATES",
    "Stack",
    "StackError",
    "nginx_command",
    "render_templates",
    "unavailable_reason",
    "write_nginx_config",
]

INFRA = Path(__file__).resolve().parents[1]
ROOT = INFRA.parent
TEMPLATES = INFRA / "nginx" / "templates"
WEB = ROOT / "indexer" / "web"
_VARIABLE = re.compile(r"\$\{(KB_[A-Z0-9_]+)\}")
START_TIMEOUT_S = 120
_CREATE_OPTUNA_TABLES = "import optuna, sys; optuna.storages.RDBStorage(sys.argv[1])"


def _die_with_parent() -> None:
    """In a child: ask Linux to end it when the stack's process dies, even by SIGKILL."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class StackError(RuntimeError):
    """A service did not start; the message names it and ends with its log."""


def unavailable_reason() -> str | None:
    """Why the stack cannot start here (a missing program), or ``None`` when it can."""
    reason = postgres.unavailable_reason()
    if reason:
        return reason
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return "nginx is not installed: run `make nginx` (Debian's nginx)"
    if not shutil.which("htpasswd"):
        return "htpasswd is not installed: run `make nginx` (Debian's apache2-utils)"
    for tool in ("mlflow", "kb", "optuna-dashboard"):
        if not (Path(sys.executable).with_name(tool).exists() or shutil.which(tool)):
            return f"{tool} is not installed: pip install 'atomkb[platform]'"
    return None


def render_templates(
    variables: Mapping[str, str], out_dir: Path, templates: Path = TEMPLATES
) -> list[Path]:
    """Render ``templates/**/*.template`` into ``out_dir`` as the nginx image does.

    Only ``${KB_...}`` variables are replaced (the image's ``NGINX_ENVSUBST_FILTER=^KB_``),
    so nginx's own ``$variables`` stay. A variable the template uses and ``variables``
    lacks is an error, not an empty string.
    """
    written = []
    for template in sorted(templates.rglob("*.template")):
        text = template.read_text()
        missing = sorted(set(_VARIABLE.findall(text)) - set(variables))
        if missing:
            raise StackError(
                f"{template.relative_to(templates)} uses {', '.join(missing)}, which are not set"
            )
        target = out_dir / template.relative_to(templates).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_VARIABLE.sub(lambda m: variables[m.group(1)], text))
        written.append(target)
    return written


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tool(name: str) -> str:
    """A program of this Python's environment (mlflow, kb, optuna-dashboard), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise StackError(f"{name} is not installed; run `make install`")
    return found


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise StackError("nginx is not installed; run `make nginx` (Debian's nginx)")
    return found


def _htpasswd_line(user: str, password: str) -> str:
    """One bcrypt htpasswd line, made by Apache's ``htpasswd -B`` (Debian's apache2-utils)."""
    tool = shutil.which("htpasswd")
    if not tool:
        raise StackError("htpasswd is not installed; run `make nginx` (Debian's apache2-utils)")
    done = subprocess.run(
        [tool, "-niB", user], input=password, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise StackError(f"htpasswd failed: {done.stderr.strip()}")
    return done.stdout.strip()


_NGINX_MAIN = """\
# The local stack's main nginx configuration (the official image brings its own).
{user}
worker_processes 2;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {conf}/*.conf;
}}
"""


def write_nginx_config(variables: Mapping[str, str], folder: Path) -> Path:
    """Render the templates and a main ``nginx.conf`` into ``folder``; check them (``nginx -t``).

    Returns the main configuration's path; its run files (pid, logs, temporary bodies)
    go to ``folder/run``. Raises :class:`StackError` with nginx's words when it refuses.
    """
    run = folder / "run"
    run.mkdir(parents=True, exist_ok=True)
    render_templates(variables, Path(variables["KB_CONF_DIR"]))
    # As root the workers would run as nobody and could not read a private site
    # folder; this stack is a trial on loopback, so they run as the caller.
    user = "user root;" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(_NGINX_MAIN.format(user=user, run=run, conf=variables["KB_CONF_DIR"]))
    check = subprocess.run(
        [_nginx(), "-t", "-q", "-c", str(main), "-e", str(run / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if check.returncode != 0:
        raise StackError(f"nginx -t refused the rendered configuration:\n{check.stderr}")
    return main


def nginx_command(main: Path) -> list[str]:
    """The command that runs nginx in the foreground on a configuration of
    :func:`write_nginx_config`."""
    return [
        _nginx(),
        "-c",
        str(main),
        "-e",
        str(main.parent / "run" / "error.log"),
        "-g",
        "daemon off;",
    ]


class Stack:
    """The platform on loopback: ``with Stack(site=..., index_file=...) as stack: stack.url``.

    Parameters
    ----------
    site : Path
        The site nginx serves (``kb build``'s ``html`` folder, or a release symlink).
    index_file : Path
        The embedded search index ``kb serve`` answers the search routes from.
    root : Path, optional
        Where the stack keeps its state (a fresh temporary folder by default, removed on
        stop; a given folder is kept).
    port : int
        The proxy's port (0: a free one).
    password : str, optional
        The login's password (user ``kb``); generated when not given.
    extra : mapping, optional
        Template variables to override (e.g. ``KB_AUTH``).
    """

    def __init__(
        self,
        site: Path,
        index_file: Path,
        root: Path | None = None,
        port: int = 0,
        user: str = "kb",
        password: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self.site = Path(site).absolute()
        self.index_file = Path(index_file).resolve()
        self._keep = root is not None
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="atomkb-platform-"))
        self.port = port or _free_port()
        self.user = user
        self.password = password or secrets.token_urlsafe(12)
        self.extra = dict(extra or {})
        self.url = f"http://127.0.0.1:{self.port}"
        self.postgres_url = ""
        self.seconds_to_healthy = 0.0
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._exit = ExitStack()

    # -- paths -------------------------------------------------------------------------

    @property
    def artifacts(self) -> Path:
        return self.root / "mlartifacts"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def database_url(self, name: str) -> str:
        """SQLAlchemy URL of one of the stack's databases (``mlflow``, ``automl``)."""
        return self.postgres_url.rsplit("/", 1)[0] + f"/{name}"

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Stack:
        """Start every service; return once each answers its health check."""
        started = time.monotonic()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError:
                raise StackError(
                    f"port {self.port} is in use (another platform?); choose another --port"
                ) from None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.logs.mkdir(exist_ok=True)
            self.postgres_url = self._exit.enter_context(postgres.throwaway_cluster())
            for name in ("mlflow", "automl"):
                postgres.create_database(self.postgres_url, name)
            ports = {name: _free_port() for name in ("mlflow", "search", "dashboard")}
            self._spawn("mlflow", [
                _tool("mlflow"), "server",
                "--backend-store-uri", self.database_url("mlflow"),
                "--artifacts-destination", str(self.artifacts),
                "--serve-artifacts", "--static-prefix", "/mlflow",
                "--host", "127.0.0.1", "--port", str(ports["mlflow"]), "--workers", "2",
            ], MLFLOW_SERVER_ENABLE_JOB_EXECUTION="false")  # fmt: skip
            # (server-side jobs start consumers in sessions of their own; none are used here)
            self._spawn("search", [
                _tool("kb"), "serve", "--port", str(ports["search"]),
                "--index-file", str(self.index_file), "--site", str(self.root / "no-site"),
            ])  # fmt: skip
            # optuna-dashboard opens the studies database without creating Optuna's
            # tables; AutoML creates them on its first study, the stack at once.
            create = subprocess.run(
                [sys.executable, "-c", _CREATE_OPTUNA_TABLES, self.database_url("automl")],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if create.returncode != 0:
                raise StackError(f"cannot create Optuna's tables:\n{create.stderr[-2000:]}")
            self._spawn("dashboard", [
                _tool("optuna-dashboard"), self.database_url("automl"),
                "--host", "127.0.0.1", "--port", str(ports["dashboard"]), "--quiet",
            ])  # fmt: skip
            self._nginx_start(ports)
            self._wait_healthy(ports)
        except BaseException:
            self.stop()
            raise
        self.seconds_to_healthy = time.monotonic() - started
        return self

    def variables(self, ports: Mapping[str, int]) -> dict[str, str]:
        """The template's variables for this stack (``extra`` wins)."""
        return {
            "KB_LISTEN_PORT": f"127.0.0.1:{self.port}",
            "KB_SERVER_NAME": "localhost",
            "KB_SITE_ROOT": str(self.site),
            "KB_WEB_ROOT": str(WEB),
            "KB_CONF_DIR": str(self.root / "nginx" / "conf.d"),
            "KB_AUTH": "htpasswd",
            "KB_LISTEN": "http",
            "KB_HTPASSWD_FILE": str(self.root / "nginx" / "htpasswd"),
            "KB_INDEX_UID": "atomkb",
            "KB_MEILI_SEARCH_KEY": "kb-serve-ignores-keys",
            "KB_SEARCH_UPSTREAM": f"127.0.0.1:{ports['search']}",
            "KB_MLFLOW_UPSTREAM": f"127.0.0.1:{ports['mlflow']}",
            "KB_DASHBOARD_UPSTREAM": f"127.0.0.1:{ports['dashboard']}",
            "KB_OAUTH2_UPSTREAM": "127.0.0.1:9",
            "KB_HEALTH_ALLOW": "127.0.0.1",
            "KB_MAX_UPLOAD": "2g",
            "KB_TLS_CERT": "",
            "KB_TLS_KEY": "",
            **self.extra,
        }

    def _nginx_start(self, ports: Mapping[str, int]) -> None:
        variables = self.variables(ports)
        htpasswd = Path(variables["KB_HTPASSWD_FILE"])
        htpasswd.parent.mkdir(parents=True, exist_ok=True)
        htpasswd.write_text(_htpasswd_line(self.user, self.password) + "\n")
        htpasswd.chmod(0o600)
        self.nginx_conf = write_nginx_config(variables, self.root / "nginx")
        self._spawn("nginx", nginx_command(self.nginx_conf))

    def reload(self) -> None:
        """Re-render nothing; ask nginx to re-read its configuration (``nginx -s reload``)."""
        self._processes["nginx"].send_signal(signal.SIGHUP)

    def _spawn(self, name: str, command: list[str], **env: str) -> None:
        log = open(self.logs / f"{name}.log", "wb")
        self._exit.callback(log.close)
        self._processes[name] = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )

    def _wait_healthy(self, ports: Mapping[str, int]) -> None:
        checks = {
            "mlflow": f"http://127.0.0.1:{ports['mlflow']}/mlflow/health",
            "search": f"http://127.0.0.1:{ports['search']}/health",
            "dashboard": f"http://127.0.0.1:{ports['dashboard']}/api/meta",
            "nginx": f"{self.url}/health",
        }
        deadline = time.monotonic() + START_TIMEOUT_S
        waiting = dict(checks)
        while waiting:
            for name, url in list(waiting.items()):
                process = self._processes[name]
                if process.poll() is not None:
                    raise StackError(f"{name} exited ({process.returncode}):\n{self.log(name)}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as answer:
                        if answer.status == 200:
                            del waiting[name]
                except (urllib.error.URLError, OSError):
                    pass
            if waiting and time.monotonic() > deadline:
                name = next(iter(waiting))
                raise StackError(
                    f"{name} did not answer {waiting[name]} in {START_TIMEOUT_S} s:\n"
                    f"{self.log(name)}"
                )
            time.sleep(0.2)

    def log(self, name: str, lines: int = 30) -> str:
        """The last lines of a service's log."""
        path = self.root / "nginx" / "run" / "error.log" if name == "nginx" else None
        path = path if path and path.exists() else self.logs / f"{name}.log"
        try:
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop every service (SIGTERM, then SIGKILL after 10 s) and the database."""
        for process in reversed(list(self._processes.values())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self._processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        self._processes.clear()
        self._exit.close()
        if not self._keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def describe(self) -> dict[str, Any]:
        """Where everything is, for the command line and the tests."""
        return {
            "url": self.url,
            "user": self.user,
            "password": self.password,
            "mlflow": f"{self.url}/mlflow/",
            "dashboard": f"{self.url}/automl/",
            "postgres": self.postgres_url,
            "root": str(self.root),
        }
