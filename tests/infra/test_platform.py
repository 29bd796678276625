"""The team platform on loopback, through its one proxy: login, routes, MLflow, browsers.

Real nginx with the project's template, real PostgreSQL, real ``mlflow server``,
optuna-dashboard and ``kb serve`` standing in for Meilisearch's search routes (no
Meilisearch server installs here), all started by ``make platform``'s code
(``infra.localstack``) once per session: the ``platform`` fixture.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import textwrap
import threading
from base64 import b64encode
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from infra.localstack.stack import (
    StackError,
    nginx_command,
    unavailable_reason,
    write_nginx_config,
)
from tests import _browser

pytestmark = pytest.mark.slow

COMPONENT = "/components/anomaly.isolation-forest.html"
SEARCH = b'{"q": "isolation forest", "limit": 3}'
# Every route a person or a program uses, each behind the login.
ROUTES = [
    ("GET", "/", None),
    ("GET", COMPONENT, None),
    ("GET", "/_kb/search.js", None),
    ("GET", "/_kb/config.json", None),
    ("GET", "/mlflow/", None),
    ("GET", "/mlflow/api/2.0/mlflow/experiments/search?max_results=5", None),
    ("GET", "/dashboard", None),
    ("GET", "/api/studies", None),
    ("POST", "/search/indexes/atomkb/search", SEARCH),
    ("GET", "/search/indexes/atomkb/search?q=arima", None),
    ("POST", "/search/multi-search", b'{"queries": [{"indexUid": "atomkb", "q": "arima"}]}'),
    ("POST", "/search/indexes/atomkb/facet-search", b'{"facetName": "tasks"}'),
]


def call(stack, method, path, body=None, auth=True, password=None, headers=None):
    """``(status, headers, body)`` of one request to the proxy, sent as written."""
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    sent = dict(headers or {})
    if auth:
        secret = f"{stack.user}:{password or stack.password}".encode()
        sent["Authorization"] = "Basic " + b64encode(secret).decode()
    if body is not None:
        sent["Content-Type"] = "application/json"
    connection.request(method, path, body, sent)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), payload


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[r[1] for r in ROUTES])
def test_every_route_wants_the_login(platform, method, path, body):
    status, headers, _ = call(platform, method, path, body, auth=False)
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Basic")
    assert call(platform, method, path, body, password="wrong")[0] == 401
    status, _, payload = call(platform, method, path, body)
    assert status == 200, payload[:300]


def test_redirects_come_only_after_the_login(platform):
    for path in ("/mlflow", "/automl", "/automl/"):
        assert call(platform, "GET", path, auth=False)[0] == 401
        status, headers, _ = call(platform, "GET", path)
        assert status == 301 and headers["Location"].endswith(("/mlflow/", "/dashboard"))


def test_health_is_open_to_the_orchestrator_only(platform):
    status, _, payload = call(platform, "GET", "/health", auth=False)
    assert status == 200 and json.loads(payload)["status"] == "available"


def test_pages_carry_the_search_box_and_security_headers(platform):
    status, headers, payload = call(platform, "GET", COMPONENT)
    assert status == 200
    assert b'<script src="/_kb/search.js" defer></script></body>' in payload
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "nginx/" not in headers.get("Server", "")  # no version
    config = json.loads(call(platform, "GET", "/_kb/config.json")[2])
    assert config == {"indexUid": "atomkb", "host": "/search", "apiKey": ""}  # no key, ever


def test_search_through_the_proxy_finds_the_component(platform):
    status, _, payload = call(platform, "POST", "/search/indexes/atomkb/search", SEARCH)
    assert status == 200
    assert json.loads(payload)["hits"][0]["id"] == "component-anomaly_isolation-forest"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/search/indexes/atomkb/documents"),
        ("POST", "/search/indexes/atomkb/documents"),
        ("DELETE", "/search/indexes/atomkb"),
        ("GET", "/search/indexes/atomkb/settings"),
        ("PATCH", "/search/indexes/atomkb/settings"),
        ("GET", "/search/keys"),
        ("POST", "/search/keys"),
        ("GET", "/search/tasks"),
        ("POST", "/search/dumps"),
        ("POST", "/search/swap-indexes"),
        ("GET", "/search/indexes"),
        ("DELETE", "/search/indexes/atomkb/search"),
        ("PUT", "/search/multi-search"),
    ],
)
def test_meilisearch_admin_routes_are_403(platform, method, path):
    status, _, payload = call(platform, method, path, b"{}")
    assert status == 403, payload[:200]
    assert json.loads(payload)["code"] == "forbidden"


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/_kb/..%2f..%2f..%2fetc%2fpasswd",
        "/_kb/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/search/indexes/atomkb/search/../../keys",
        "/search/%2e%2e/search/keys",
        "/mlflow/../search/keys",
        "/search/indexes%2fatomkb%2fdocuments",
        "/.git/config",
        "/_static/",
    ],
)
def test_traversal_encoded_paths_and_listings_are_refused(platform, path):
    status, _, payload = call(platform, "GET", path)
    assert status in (400, 403, 404), (status, payload[:200])
    assert b"root:" not in payload and b"Index of" not in payload


def test_the_mlflow_client_logs_and_reads_back_through_the_proxy(platform, tmp_path):
    script = textwrap.dedent(
        """
        import json, pathlib, sys
        import mlflow
        from mlflow import MlflowClient

        folder = pathlib.Path(sys.argv[1])
        (folder / "note.txt").write_text("logged through the proxy")
        mlflow.set_experiment("platform-check")
        with mlflow.start_run() as run:
            mlflow.log_param("alpha", 0.5)
            mlflow.log_metric("mase", 0.75)
            mlflow.log_artifact(str(folder / "note.txt"))
        client = MlflowClient()
        back = client.get_run(run.info.run_id)
        path = client.download_artifacts(run.info.run_id, "note.txt", str(folder / "back"))
        print(json.dumps({
            "metric": back.data.metrics["mase"],
            "param": back.data.params["alpha"],
            "artifact": pathlib.Path(path).read_text(),
            "uri": back.info.artifact_uri,
        }))
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "MLFLOW_TRACKING_URI": f"{platform.url}/mlflow",
        "MLFLOW_TRACKING_USERNAME": platform.user,
        "MLFLOW_TRACKING_PASSWORD": platform.password,
    }
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {
        "metric": 0.75,
        "param": "0.5",
        "artifact": "logged through the proxy",
        "uri": answer["uri"],
    }
    assert answer["uri"].startswith("mlflow-artifacts:")  # stored by the server, not locally
    stored = list(platform.artifacts.rglob("note.txt"))
    assert stored and stored[0].read_text() == "logged through the proxy"
    refused = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env={**env, "MLFLOW_TRACKING_PASSWORD": "wrong", "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode != 0 and "401" in refused.stderr


# -- the rendered configuration itself ------------------------------------------------


def _variables(folder: Path, **changes: str) -> dict[str, str]:
    values = {
        "KB_LISTEN_PORT": "127.0.0.1:1",
        "KB_SERVER_NAME": "localhost",
        "KB_SITE_ROOT": str(folder / "site"),
        "KB_WEB_ROOT": str(folder / "web"),
        "KB_CONF_DIR": str(folder / "conf.d"),
        "KB_AUTH": "htpasswd",
        "KB_LISTEN": "http",
        "KB_HTPASSWD_FILE": str(folder / "htpasswd"),
        "KB_INDEX_UID": "atomkb",
        "KB_MEILI_SEARCH_KEY": "search-key",
        "KB_SEARCH_UPSTREAM": "127.0.0.1:2",
        "KB_MLFLOW_UPSTREAM": "127.0.0.1:3",
        "KB_DASHBOARD_UPSTREAM": "127.0.0.1:4",
        "KB_OAUTH2_UPSTREAM": "127.0.0.1:5",
        "KB_HEALTH_ALLOW": "172.16.0.0/12",
        "KB_MAX_UPLOAD": "2g",
        "KB_TLS_CERT": str(folder / "cert.pem"),
        "KB_TLS_KEY": str(folder / "key.pem"),
    }
    values.update(changes)
    return values


@pytest.fixture
def nginx_available():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)


@pytest.mark.parametrize(
    ("auth", "listen"), [("htpasswd", "http"), ("sso", "http"), ("htpasswd", "https")]
)
def test_nginx_accepts_every_variant_of_the_template(nginx_available, tmp_path, auth, listen):
    if listen == "https":
        if not shutil.which("openssl"):
            pytest.skip("openssl makes the test certificate")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=localhost", "-keyout", str(tmp_path / "key.pem"),
             "-out", str(tmp_path / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
    (tmp_path / "htpasswd").write_text("")
    main = write_nginx_config(_variables(tmp_path, KB_AUTH=auth, KB_LISTEN=listen), tmp_path)
    assert main.exists()  # write_nginx_config ran `nginx -t` and raised if it failed


def test_a_template_variable_left_unset_is_an_error(nginx_available, tmp_path):
    variables = _variables(tmp_path)
    del variables["KB_MLFLOW_UPSTREAM"]
    with pytest.raises(StackError, match="KB_MLFLOW_UPSTREAM"):
        write_nginx_config(variables, tmp_path)


class _OAuth2(BaseHTTPRequestHandler):
    """Stands for oauth2-proxy: a session cookie ``kb=ok`` is signed in, nothing else."""

    def do_GET(self) -> None:
        if self.path.startswith("/oauth2/auth"):
            status = 202 if "kb=ok" in (self.headers.get("Cookie") or "") else 401
        else:
            status = 200  # the sign-in page
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def test_sso_sends_a_browser_without_a_session_to_sign_in(nginx_available, tmp_path):
    oauth2 = ThreadingHTTPServer(("127.0.0.1", 0), _OAuth2)
    threading.Thread(target=oauth2.serve_forever, daemon=True).start()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><body>kb home</body></html>")
    from tests._serve import free_port

    port = free_port()
    variables = _variables(
        tmp_path,
        KB_AUTH="sso",
        KB_LISTEN_PORT=f"127.0.0.1:{port}",
        KB_OAUTH2_UPSTREAM=f"127.0.0.1:{oauth2.server_address[1]}",
    )
    nginx = subprocess.Popen(nginx_command(write_nginx_config(variables, tmp_path)))
    try:
        import time

        deadline = time.monotonic() + 20
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/index.html")
                response = connection.getresponse()
                response.read()
                break
            except OSError:
                assert time.monotonic() < deadline and nginx.poll() is None
                time.sleep(0.1)
        assert response.status == 302
        assert response.getheader("Location").startswith(
            "http://127.0.0.1/oauth2/sign_in?rd=http://127.0.0.1/index.html"
        ) or "/oauth2/sign_in?rd=" in response.getheader("Location")
        connection.request("GET", "/index.html", headers={"Cookie": "kb=ok"})
        signed_in = connection.getresponse()
        assert signed_in.status == 200 and b"kb home" in signed_in.read()
        connection.request("GET", "/oauth2/sign_in")
        page = connection.getresponse()
        page.read()
        assert page.status == 200  # the sign-in page itself needs no session
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        oauth2.shutdown()


# -- in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    pytest.importorskip("selenium.webdriver", reason="selenium drives the browser")
    if not _browser.available():
        pytest.skip(_browser.REASON)
    driver = _browser.chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _sign_in(browser, platform, path: str) -> None:
    """Open ``path`` as a signed-in person: the login once, then the plain URL.

    (A page opened at ``http://user:password@host/`` may not fetch anything: Chrome refuses
    requests whose URL, relative to the page, carries credentials. It keeps the login for
    the site once given, as after a login prompt.)
    """
    browser.get(
        f"http://{platform.user}:{platform.password}@127.0.0.1:{platform.port}/_kb/config.json"
    )
    browser.get(f"http://127.0.0.1:{platform.port}{path}")


def test_the_knowledge_base_and_its_search_box_work_through_the_proxy(platform, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 20)
    _sign_in(browser, platform, "/")
    button = wait.until(
        lambda b: next(
            (e for e in b.find_elements(By.CSS_SELECTOR, ".search-button__button")
             if e.is_displayed()),
            None,
        )
    )  # fmt: skip
    button.click()
    box = wait.until(
        ready.visibility_of_element_located((By.CSS_SELECTOR, 'form.bd-search input[name="q"]'))
    )
    box.send_keys("isolation forest")
    hits = "form.bd-search + .kb-search-panel a.kb-hit"
    first = wait.until(
        lambda b: (
            (found := b.find_elements(By.CSS_SELECTOR, hits))
            and found[0].get_attribute("data-id") == "component-anomaly_isolation-forest"
        )
    )
    assert first


def test_the_mlflow_ui_renders_through_the_proxy(platform, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    _sign_in(browser, platform, "/mlflow/")
    WebDriverWait(browser, 60).until(
        lambda b: "Experiments" in b.find_element("tag name", "body").text
    )
    assert "MLflow" in browser.title


def test_make_platform_prints_the_login_and_stops_everything_on_ctrl_c(built_site, tmp_path):
    import signal
    import time

    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    from tests._serve import children, free_port, running

    html, index = built_site
    port = free_port()
    command = [sys.executable, "-m", "infra.localstack", "--port", str(port), "--site",
               str(html), "--index-file", str(index)]  # fmt: skip
    stack = subprocess.Popen(
        command, cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True
    )
    try:
        first = stack.stdout.readline()
        assert first.startswith(f"atomkb platform at http://127.0.0.1:{port}/"), first
        login = stack.stdout.readline().split()
        user, password = login[1], login[3]
        secret = b64encode(f"{user}:{password}".encode()).decode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/mlflow/", headers={"Authorization": f"Basic {secret}"})
        assert connection.getresponse().status == 200
        connection.close()
        started = children(stack.pid)
        assert len(started) >= 4, started  # mlflow, kb serve, dashboard, nginx (pg_ctl detaches)
        stack.send_signal(signal.SIGINT)
        assert stack.wait(timeout=60) == 0
        time.sleep(1)
        with pytest.raises(OSError):
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/health")
        assert not {pid for pid in started if running(pid)}, "services left running"
    finally:
        if stack.poll() is None:
            stack.kill()


def test_the_guides_diagram_matches_the_configuration():
    """The team guide's picture names the template's routes and Compose's upstreams."""
    import re

    import yaml

    root = Path(__file__).resolve().parents[2]
    guide = (root / "kb" / "guides" / "team-platform.md").read_text()
    diagram = guide.split("```text", 1)[1].split("```", 1)[0]
    templates = "\n".join(
        p.read_text() for p in (root / "infra" / "nginx" / "templates").rglob("*.template")
    )
    drawn = set(re.findall(r"^  \| (/\S*)", diagram, flags=re.M))
    assert drawn == {"/", "/search/...", "/mlflow/", "/automl/", "/oauth2/", "/health"}
    for route in drawn:
        prefix = route.removesuffix("...").rstrip("/") or "/"
        assert re.search(rf"location [=~^ ]*\^?{re.escape(prefix)}", templates), route
    proxy = yaml.safe_load((root / "infra" / "compose.yaml").read_text())["services"]["proxy"]
    for name in ("SEARCH", "MLFLOW", "DASHBOARD", "OAUTH2"):
        upstream = str(proxy["environment"][f"KB_{name}_UPSTREAM"])
        assert upstream in diagram, (name, upstream)
