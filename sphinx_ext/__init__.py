"""atomkb's Sphinx extension: the knowledge-base pages generated from the catalog.

Add ``"sphinx_ext"`` to ``extensions`` in ``conf.py``. It

* writes one page per component and dataset and the catalog overview pages
  (:mod:`sphinx_ext.pages`), only when their text changed;
* turns every catalog problem into a warning located at the component's ``file:line``;
* registers the ``:component:`` role and the ``component-card``, ``catalog-table``,
  ``catalog-schema``, ``catalog-vocabulary`` and ``kb-dataset-summary`` directives
  (:mod:`sphinx_ext.directives`);
* writes the search records at the end of the build (:mod:`sphinx_ext.search`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

__all__ = ["setup"]

__version__ = "0.1.0"


def _add_static(app: Sphinx) -> None:
    static = str(Path(__file__).parent / "_static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict[str, Any]:
    from sphinx_ext import datasets, directives, pages, search

    app.add_config_value("kb_search_records", "", "env", types=[str])
    directives.register(app)
    app.add_directive("kb-dataset-summary", datasets.DatasetSummary)
    # Before sphinx-gallery (priority 500) so the pages exist when the gallery scans them.
    app.connect("builder-inited", pages.on_builder_inited, priority=400)
    app.connect("builder-inited", _add_static)
    app.connect("build-finished", search.write_search_records)
    app.add_js_file("catalog-filter.js", loading_method="defer")
    app.add_css_file("catalog.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
