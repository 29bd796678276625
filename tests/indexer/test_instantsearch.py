"""An InstantSearch.js page on ``@meilisearch/instant-meilisearch``, in headless chromium.

``tests/clients/instantsearch.html`` (search box, hits, a refinement list on ``tasks``,
pagination) is served from a temporary folder beside the packages' dist files by a
throwaway static server; its searches go cross-origin to ``meili_server`` (``kb serve``, or
a real Meilisearch under ``KB_MEILI_URL``), as a team's own search page would. The
browser is Debian's chromium driven by selenium, started as in
``tests/cli/test_site_in_browser.py``.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections import Counter
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlencode

import pytest

from tests import _browser
from tests._browser import chromium

pytestmark = pytest.mark.slow

CLIENTS = Path(__file__).resolve().parents[1] / "clients"
PAGE_FILES = ("instantsearch.html", "instantsearch_page.js")
# Where the page's import map and script tag expect each package (vendor/NAME) and the
# dist file of tests/clients/node_modules it is.
VENDORED = {
    "instantsearch.production.min.js": "instantsearch.js/dist/instantsearch.production.min.js",
    "meilisearch.js": "meilisearch/dist/index.js",
    "instant-meilisearch.js": "@meilisearch/instant-meilisearch/dist/index.js",
}

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium drives the browser")
if not _browser.available():
    pytest.skip(_browser.REASON, allow_module_level=True)
if not all((CLIENTS / "node_modules" / source).is_file() for source in VENDORED.values()):
    pytest.skip(
        "needs the npm packages of tests/clients (InstantSearch.js, instant-meilisearch): "
        "run `make npm`",
        allow_module_level=True,
    )

from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ISOLATION_FOREST = "component-anomaly_isolation-forest"
HITS_PER_PAGE = 6  # the page's configure widget


class _StaticFiles(SimpleHTTPRequestHandler):
    # Module scripts load only with a JavaScript type, whatever the system's mime.types.
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
    }

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def page(tmp_path_factory, meili_server) -> str:
    """The page's URL, its query string naming ``meili_server``."""
    root = tmp_path_factory.mktemp("instantsearch")
    for name in PAGE_FILES:
        shutil.copy(CLIENTS / name, root / name)
    (root / "vendor").mkdir()
    for name, source in VENDORED.items():
        shutil.copy(CLIENTS / "node_modules" / source, root / "vendor" / name)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_StaticFiles, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url, api_key, index_uid = meili_server
    query = urlencode({"host": url, "apiKey": api_key, "indexUid": index_uid})
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/instantsearch.html?{query}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _until(browser, condition, what: str):
    """Wait for ``condition``; on a timeout, fail with what the page and console said."""
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))
    try:
        return wait.until(condition)
    except TimeoutException:
        status = browser.find_element(By.ID, "status").text
        console = [entry["message"] for entry in browser.get_log("browser")]
        pytest.fail(
            f"timed out waiting for {what}; the page says {status!r}; hits now "
            f"{_hits(browser)}; console: {json.dumps(console, indent=1)[-4000:]}"
        )


def _hits(browser) -> list[tuple[str, list[str]]]:
    """``(id, tasks)`` of each hit shown, read in one go (InstantSearch re-renders)."""
    rows = browser.execute_script(
        "return [...document.querySelectorAll('#hits article.hit')]"
        ".map(e => [e.dataset.id, e.dataset.tasks])"
    )
    return [(hit_id, tasks.split()) for hit_id, tasks in rows]


def _facet_counts(browser) -> dict[str, int]:
    rows = browser.execute_script(
        "return [...document.querySelectorAll('#tasks .ais-RefinementList-item')].map(e => ["
        "e.querySelector('.ais-RefinementList-checkbox').value,"
        "e.querySelector('.ais-RefinementList-count').textContent])"
    )
    return {value: int(count.replace(",", "")) for value, count in rows}


def _page_numbers(browser) -> list[int]:
    return [
        int(link.text)
        for link in browser.find_elements(
            By.CSS_SELECTOR, "#pagination .ais-Pagination-item--page .ais-Pagination-link"
        )
    ]


@pytest.mark.parametrize("finite", [False, True], ids=["limit-offset", "hitsPerPage-page"])
def test_search_box_refinement_list_and_pagination(page, browser, corpus, finite):
    """Use the page like a person: type a query, clear it, refine on a task, turn a page.

    instant-meilisearch pages either way: by ``limit``/``offset`` (its default; the
    pagination shows the pages up to the next one) or by ``hitsPerPage``/``page`` (every
    page, from ``totalPages``).
    """
    browser.get(f"{page}&finitePagination={'true' if finite else 'false'}")
    everything = Counter(task for record in corpus for task in record.tasks)
    _until(browser, lambda b: _facet_counts(b) == dict(everything), "the tasks facet counts")
    assert len(_hits(browser)) == HITS_PER_PAGE

    box = browser.find_element(By.CSS_SELECTOR, "#searchbox input.ais-SearchBox-input")
    box.send_keys("isolation forest")
    _until(
        browser,
        lambda b: [hit_id for hit_id, _ in _hits(b)][:1] == [ISOLATION_FOREST],
        "the isolation-forest component as the first hit",
    )
    title = browser.find_element(By.CSS_SELECTOR, "#hits article.hit h2")
    marked = [
        m.text for m in title.find_elements(By.CSS_SELECTOR, "mark.ais-Highlight-highlighted")
    ]
    assert [word.casefold() for word in marked] == ["isolation", "forest"], title.text

    browser.find_element(By.CSS_SELECTOR, "#searchbox .ais-SearchBox-reset").click()
    _until(browser, lambda b: _facet_counts(b) == dict(everything), "the placeholder search")
    unrefined = [hit_id for hit_id, _ in _hits(browser)]

    task = "classification"
    browser.find_element(
        By.CSS_SELECTOR, f'#tasks .ais-RefinementList-checkbox[value="{task}"]'
    ).click()

    def refined(b):
        shown = _hits(b)
        if shown and [hit_id for hit_id, _ in shown] != unrefined:
            return shown
        return None

    first_page = _until(browser, refined, f"hits refined on tasks = {task}")
    assert all(task in tasks for _, tasks in first_page), first_page
    assert len(first_page) == HITS_PER_PAGE
    pages = -(-everything[task] // HITS_PER_PAGE) if finite else 2
    _until(browser, lambda b: _page_numbers(b) == list(range(1, pages + 1)), f"{pages} pages")

    browser.find_element(
        By.CSS_SELECTOR, '#pagination .ais-Pagination-link[aria-label="Page 2"]'
    ).click()
    first_ids = {hit_id for hit_id, _ in first_page}

    def turned(b):
        shown = _hits(b)
        if shown and not {hit_id for hit_id, _ in shown} & first_ids:
            return shown
        return None

    second_page = _until(browser, turned, "page 2 with other hits")
    assert all(task in tasks for _, tasks in second_page), second_page
    selected = browser.find_element(By.CSS_SELECTOR, ".ais-Pagination-item--selected").text
    assert selected == "2"
    pages = pages if finite else 3  # limit/offset: one page more is known now
    assert _page_numbers(browser) == list(range(1, pages + 1))
    expected = {record.id for record in corpus if task in record.tasks}
    assert first_ids | {hit_id for hit_id, _ in second_page} <= expected
