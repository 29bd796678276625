"""Datasets: real data shipped inside installed packages, with loaders and metadata.

Each dataset is a catalog entry (``kind="dataset"``) in a module per task; a user's own
CSV or Parquet file is read with :func:`load_table` (a series) or :func:`load_panel` (a
labelled panel in long format, for classification).
"""

from catalog.datasets.user_file import load_panel, load_table

__all__ = ["load_panel", "load_table"]
