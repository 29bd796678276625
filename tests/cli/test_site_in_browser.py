"""The built site in a real browser (Debian's chromium, driven by selenium).

One module-scoped site: ``kb build --no-examples``, ``kb index``, ``kb serve`` on a free
loopback port; each test opens its own page in one headless chromium.
"""

from __future__ import annotations

import pytest

from tests import _browser
from tests._browser import chromium
from tests._serve import kb_serve

pytestmark = pytest.mark.slow

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium drives the browser")
if not _browser.available():
    pytest.skip(_browser.REASON, allow_module_level=True)

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as ready  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site(built_site) -> str:
    """The URL of ``kb serve`` over the session's build of the knowledge base."""
    html, index = built_site
    with kb_serve("--site", str(html), "--index-file", str(index)) as (base, _):
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _wait(browser) -> WebDriverWait:
    # Pages re-render parts of themselves (the search panel on every answer), so an
    # element found a moment ago may be gone: every wait looks elements up afresh and
    # retries on a stale reference instead of failing on the race.
    return WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))


def test_as_you_type_search(site, browser):
    """Use the search box like a person: a typo, a facet, the keyboard to open the hit."""
    wait = _wait(browser)
    browser.get(f"{site}/")
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
    wait.until(lambda b: "kb-on" in b.find_element(By.CSS_SELECTOR, chip).get_attribute("class"))
    groups = "form.bd-search + .kb-search-panel .kb-group"
    assert wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, groups))
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)  # keyboard: first result, open it
    wait.until(lambda b: b.current_url.endswith("components/anomaly.isolation-forest.html"))
    assert "Isolation forest" in browser.title


def test_catalog_table_filter_bar(site, browser):
    """The catalog overview's filter bar hides the rows that do not match, and counts."""
    wait = _wait(browser)
    browser.get(f"{site}/catalog/index.html")
    bar = wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".kb-filter-bar")))
    table = browser.find_element(By.CSS_SELECTOR, "table.kb-filterable")
    headers = [th.text.strip().lower() for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    count = bar.find_element(By.CSS_SELECTOR, ".kb-filter-count")
    assert count.text == f"{len(rows)} of {len(rows)}"

    def visible_rows() -> list:
        return [row for row in rows if row.is_displayed()]

    kind = Select(bar.find_element(By.CSS_SELECTOR, 'select[aria-label="Filter by kind"]'))
    kind.select_by_value("metric")
    column = headers.index("kind")
    shown = visible_rows()
    expected = [r for r in rows if r.find_elements(By.TAG_NAME, "td")[column].text == "metric"]
    assert 0 < len(shown) == len(expected) < len(rows)
    assert count.text == f"{len(expected)} of {len(rows)}"

    text = bar.find_element(By.CSS_SELECTOR, 'input[type="search"]')
    text.send_keys("vus")  # a metric whose row mentions VUS
    wait.until(lambda b: len(visible_rows()) < len(expected))
    assert visible_rows() and all("vus" in r.text.lower() for r in visible_rows())

    text.clear()
    text.send_keys(Keys.SPACE, Keys.BACK_SPACE)  # clear() fires no input event
    kind.select_by_value("")
    wait.until(lambda b: len(visible_rows()) == len(rows))
