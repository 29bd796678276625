"""Sphinx configuration of the atomkb knowledge base.

Sources live under ``kb/``; build with ``kb build`` (or
``sphinx-build -c . kb _build/html``). Component, dataset and catalog pages are
generated from the catalog by ``sphinx_ext``; gallery examples under
``kb/examples/<task>/`` are run by sphinx-gallery.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # catalog, indexer and sphinx_ext, even when not installed

project = "atomkb"
author = "the atomkb team"
copyright = "2026, the atomkb team"
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinx_ext",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["README.md", "**/README.txt", "**/README.rst", "**.ipynb_checkpoints"]
templates_path: list[str] = []
html_static_path: list[str] = []

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

sphinx_gallery_conf = {
    "examples_dirs": ["examples"],
    "gallery_dirs": ["auto_examples"],
    # The component pages list their examples with `minigallery` by file path.
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": (),
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "show_memory": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
    "first_notebook_cell": None,
}

html_theme = "pydata_sphinx_theme"
html_title = "atomkb"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 5,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
