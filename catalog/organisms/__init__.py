"""Organisms: end-to-end pipelines, one per task at least."""
