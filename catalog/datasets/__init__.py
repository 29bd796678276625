"""Datasets: real data shipped inside installed packages, with loaders and metadata.

Each dataset is a catalog entry (``kind="dataset"``) in a module per task; a user's own
CSV or Parquet file is read with :func:`load_table`.
"""

from catalog.datasets.user_file import load_table

__all__ = ["load_table"]
