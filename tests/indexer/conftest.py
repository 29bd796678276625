"""Fixtures of the search tests: the real catalog's search records, and both backends."""

from __future__ import annotations

import os

import pytest

from indexer.records import SearchRecord, catalog_search_records


@pytest.fixture(scope="session")
def catalog_records() -> list[SearchRecord]:
    from catalog import load_records

    components, _ = load_records()
    return catalog_search_records(components)


@pytest.fixture(scope="session")
def corpus(catalog_records: list[SearchRecord]) -> list[SearchRecord]:
    """The catalog plus one record of each other kind, shaped as the docs build writes them."""
    return [
        *catalog_records,
        SearchRecord(
            id="example-anomaly-plot_isolation_forest",
            kind="example",
            title="Detecting anomalies with an isolation forest",
            summary="Score a real series with the isolation-forest detector and threshold it.",
            content="Load the series, fit the detector, plot the anomaly scores.",
            url="auto_examples/anomaly-detection/plot_isolation_forest.html",
            hierarchy_lvl0="Examples",
            hierarchy_lvl1="Detecting anomalies with an isolation forest",
            tasks=["anomaly-detection"],
            page_rank=5,
        ),
        SearchRecord(
            id="guide-choosing-a-forecaster-seasonality",
            kind="guide",
            title="Seasonality",
            summary="",
            content="A series with yearly seasonality needs a seasonal period: sp=12 for "
            "monthly data. Start from the seasonal naive baseline.",
            url="guides/choosing-a-forecaster.html",
            anchor="seasonality",
            hierarchy_lvl0="Guides",
            hierarchy_lvl1="Choosing a forecaster",
            hierarchy_lvl2="Seasonality",
            tasks=["forecasting"],
        ),
    ]


def _embedded(tmp_path_factory: pytest.TempPathFactory, records: list[SearchRecord]):
    from indexer.embedded import EmbeddedBackend

    backend = EmbeddedBackend(tmp_path_factory.mktemp("search") / "index.sqlite")
    backend.replace_all(records)
    return backend


def _meilisearch(records: list[SearchRecord]):
    url = os.environ.get("KB_MEILI_URL")
    if not url:
        pytest.skip("KB_MEILI_URL is not set: no Meilisearch server to run the contract against")
    from indexer.meili import MeilisearchBackend

    backend = MeilisearchBackend(
        url, os.environ.get("KB_MEILI_API_KEY"), index_uid=f"atomkb_test_{os.getpid()}"
    )
    backend.replace_all(records)
    return backend


@pytest.fixture(scope="session", params=["embedded", "meilisearch"])
def backend(request: pytest.FixtureRequest, tmp_path_factory, corpus):
    """Each backend, filled with the same corpus: the contract suite runs on both."""
    if request.param == "embedded":
        return _embedded(tmp_path_factory, corpus)
    return _meilisearch(corpus)


@pytest.fixture(scope="session")
def meili_server(tmp_path_factory, corpus):
    """``(url, api_key, index_uid)`` of a server speaking Meilisearch's API, holding ``corpus``.

    A real Meilisearch when ``KB_MEILI_URL`` is set (the corpus indexed there through the
    Meilisearch backend), otherwise ``kb serve`` started as a subprocess on a free loopback
    port over an embedded index of the corpus. The client suites (Python, JavaScript,
    InstantSearch) run against it unchanged.
    """
    url = os.environ.get("KB_MEILI_URL")
    if url:
        backend = _meilisearch(corpus)
        yield url.rstrip("/"), os.environ.get("KB_MEILI_API_KEY") or "", backend.index_uid
        return
    from indexer.embedded import EmbeddedBackend
    from tests._serve import kb_serve

    index = tmp_path_factory.mktemp("served") / "index.sqlite"
    EmbeddedBackend(index).replace_all(corpus)
    site = str(index.parent / "no-site")
    with kb_serve("--index-file", str(index), "--site", site) as (base, _):
        yield base, "", "atomkb"
