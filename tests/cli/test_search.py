"""``kb index`` and ``kb search`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def index_file(tmp_path_factory):
    from tests.conftest import _run_kb

    path = tmp_path_factory.mktemp("kb-search") / "index.sqlite"
    missing = tmp_path_factory.mktemp("no-build") / "records.json"
    done = _run_kb("index", "--index-file", str(path), "--records", str(missing))
    assert done.returncode == 0, done.stderr
    assert "`kb build` adds guides" in done.stderr
    return path


def test_search_json_answers_like_meilisearch(run_kb, index_file):
    done = run_kb("search", "anomaly isolation forest", "--json", "--index-file", str(index_file))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert {"hits", "estimatedTotalHits", "facetDistribution", "processingTimeMs"} <= set(answer)
    assert answer["hits"][0]["url"] == "components/anomaly.isolation-forest.html"
    for hit in answer["hits"]:
        assert {"id", "kind", "title", "url", "tasks", "level"} <= set(hit)


def test_options_become_filters(run_kb, index_file):
    done = run_kb(
        "search",
        "",
        "--task",
        "forecasting",
        "--level",
        "atom",
        "--json",
        "--limit",
        "1000",
        "--index-file",
        str(index_file),
    )
    hits = json.loads(done.stdout)["hits"]
    assert hits
    assert all("forecasting" in h["tasks"] and h["level"] == "atom" for h in hits)


def test_terminal_output_lists_ranked_hits_with_their_page(run_kb, index_file):
    done = run_kb("search", "isolaton forest", "--index-file", str(index_file))
    assert done.returncode == 0
    first = done.stdout.splitlines()[0]
    assert first.startswith("  1. [component]")
    assert "components/anomaly.isolation-forest.html" in first


def test_a_bad_filter_is_a_usage_error_naming_the_attribute(run_kb, index_file):
    done = run_kb("search", "x", "--filter", "colour = red", "--index-file", str(index_file))
    assert done.returncode == 2
    assert "'colour' is not filterable" in done.stderr


def test_a_missing_index_says_to_run_kb_index(run_kb, tmp_path):
    done = run_kb("search", "x", "--index-file", str(tmp_path / "none.sqlite"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: no search index at")
    assert "kb index" in done.stderr


def test_meilisearch_backend_without_url_says_what_to_set(run_kb):
    done = run_kb("search", "x", "--backend", "meilisearch", env={"KB_MEILI_URL": ""})
    assert done.returncode == 1
    assert "KB_MEILI_URL" in done.stderr


def test_an_unreachable_meilisearch_is_one_sentence_without_the_key(run_kb):
    done = run_kb(
        "search",
        "forest",
        "--backend",
        "meilisearch",
        "--url",
        f"http://127.0.0.1:{_free_port()}",
        "--api-key",
        "very-secret-key",
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot reach Meilisearch")
    assert "very-secret-key" not in done.stdout + done.stderr


def test_search_commands_do_not_import_heavy_libraries():
    code = (
        "import sys, cli.search, indexer.embedded; "
        "print(sorted(m for m in ('meilisearch', 'sphinx', 'sklearn', 'jsonschema', 'griffe') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_as_you_type_search_in_headless_chromium(run_kb, tmp_path):
    """Build the site, index it, serve it, and use its search box like a person would."""
    import shutil
    import socket
    import time

    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium drives the browser")
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install them)")
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    build = tmp_path / "build"
    done = run_kb("build", "--no-examples", "-q", "--out", str(build))
    assert done.returncode == 0, done.stderr[-2000:]
    index = build / "search" / "index.sqlite"
    done = run_kb(
        "index", "--records", str(build / "search" / "records.json"), "--index-file", str(index)
    )
    assert done.returncode == 0, done.stderr
    port = _free_port()
    kb = Path(sys.executable).with_name("kb")
    server = subprocess.Popen(
        [
            str(kb),
            "serve",
            "--port",
            str(port),
            "--site",
            str(build / "html"),
            "--index-file",
            str(index),
        ],
        stderr=subprocess.PIPE,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]:
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    browser = None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "kb serve failed"
                time.sleep(0.1)
        browser = webdriver.Chrome(options=options, service=service)
        # The panel is re-rendered on every answer (as a person types), so an element
        # found a moment ago may be gone: every wait looks the elements up afresh and
        # retries on a stale reference instead of failing on the race.
        wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))
        browser.get(f"http://127.0.0.1:{port}/")
        button = wait.until(
            lambda b: next(
                (
                    e
                    for e in b.find_elements(By.CSS_SELECTOR, ".search-button__button")
                    if e.is_displayed()
                ),
                None,
            )
        )
        button.click()
        box = wait.until(
            ready.visibility_of_element_located((By.CSS_SELECTOR, 'form.bd-search input[name="q"]'))
        )
        box.send_keys("isolaton forest")
        first = "form.bd-search + .kb-search-panel a.kb-hit"

        def first_hit(b):
            hits = b.find_elements(By.CSS_SELECTOR, first)
            if hits and hits[0].get_attribute("data-id") == "component-anomaly_isolation-forest":
                return hits[0].get_attribute("innerHTML")
            return None

        assert "<mark>" in wait.until(first_hit)
        chip = 'form.bd-search + .kb-search-panel .kb-chip[data-task="anomaly-detection"]'

        def click_chip(b):
            b.find_element(By.CSS_SELECTOR, chip).click()
            return True

        wait.until(click_chip)
        wait.until(
            lambda b: "kb-on" in b.find_element(By.CSS_SELECTOR, chip).get_attribute("class")
        )
        groups = "form.bd-search + .kb-search-panel .kb-group"
        assert wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, groups))
        box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)  # keyboard: first result, open it
        wait.until(lambda b: b.current_url.endswith("components/anomaly.isolation-forest.html"))
        assert "Isolation forest" in browser.title
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        server.wait(timeout=10)
