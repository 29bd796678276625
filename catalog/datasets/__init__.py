"""Datasets: real data shipped inside installed packages, with loaders and metadata."""
