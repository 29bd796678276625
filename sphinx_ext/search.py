"""Search records at the end of a build: the catalog's, plus examples, templates, guides.

Catalog records come from :func:`indexer.records.catalog_search_records`; the others are
read from the doctrees (titles, sections, text), never scraped from HTML. The file goes
to ``<build>/search/records.json`` (``kb_search_records`` overrides it) and is rewritten
only when a record changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from indexer.records import SearchRecord, catalog_search_records, make_record_id, write_records
from sphinx_ext._catalog import catalog_view

__all__ = ["doc_records", "records_path", "write_search_records"]

logger = logging.getLogger(__name__)

CONTENT_MAX = 4000


def _own_text(section: nodes.Element) -> str:
    """Text of a section without its title and its subsections."""
    parts = [
        child.astext()
        for child in section.children
        if not isinstance(child, nodes.section | nodes.title | nodes.comment)
    ]
    return " ".join(" ".join(parts).split())[:CONTENT_MAX]


def _first_paragraph(section: nodes.Element) -> str:
    for child in section.findall(nodes.paragraph):
        return " ".join(child.astext().split())[:300]
    return ""


def doc_records(docname: str, doctree: nodes.document) -> list[SearchRecord]:
    """Records of one document: a guide gives one per section, an example or template one."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return []
    title = top[0].astext()
    url = f"{docname}.html"
    if docname.startswith("auto_examples/"):
        task = docname.split("/")[1]
        text = " ".join(" ".join(top.astext().split()).split())[:CONTENT_MAX]
        return [
            SearchRecord(
                id=make_record_id("example", Path(docname).name),
                kind="example",
                title=title,
                summary=_first_paragraph(top),
                content=text,
                url=url,
                hierarchy_lvl0="Examples",
                hierarchy_lvl1=task.replace("-", " ").capitalize(),
                hierarchy_lvl2=title,
                tasks=[task] if task in _TASKS else [],
                page_rank=5,
            )
        ]
    if docname.startswith("templates/"):
        return [
            SearchRecord(
                id=make_record_id("template", Path(docname).name),
                kind="template",
                title=title,
                summary=_first_paragraph(top),
                content=_own_text(top),
                url=url,
                hierarchy_lvl0="Templates",
                hierarchy_lvl1=title,
                page_rank=10,
            )
        ]
    records = []
    for section in doctree.findall(nodes.section):
        chain = []
        parent: nodes.Node | None = section
        while isinstance(parent, nodes.section):
            chain.insert(0, parent[0].astext())
            parent = parent.parent
        anchor = section["ids"][0] if section is not top and section["ids"] else None
        levels = [*chain, None, None, None][:3]
        records.append(
            SearchRecord(
                id=make_record_id("guide", docname.replace("/", "_"), anchor or ""),
                kind="guide",
                title=chain[-1],
                summary=_first_paragraph(section),
                content=_own_text(section),
                url=url,
                anchor=anchor,
                hierarchy_lvl0="Guides",
                hierarchy_lvl1=levels[0],
                hierarchy_lvl2=levels[1],
                hierarchy_lvl3=levels[2],
                page_rank=3 if anchor else 4,
            )
        )
    return records


_TASKS = ("forecasting", "classification", "anomaly-detection")


def records_path(app: Sphinx) -> Path:
    configured = app.config.kb_search_records
    return Path(configured) if configured else Path(app.outdir).parent / "search" / "records.json"


def write_search_records(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    records = catalog_search_records(catalog_view().records)
    for docname in sorted(app.env.found_docs):
        wanted = docname.startswith(("guides/", "templates/")) or (
            docname.startswith("auto_examples/") and Path(docname).name.startswith("plot_")
        )
        if wanted:
            records += doc_records(docname, app.env.get_doctree(docname))
    path = records_path(app)
    new = [r.model_dump(mode="json") for r in records]
    if path.is_file() and json.loads(path.read_text(encoding="utf-8")) == new:
        logger.info(f"[atomkb] search records unchanged: {path}")
        return
    write_records(path, records)
    logger.info(f"[atomkb] {len(records)} search records written to {path}")
