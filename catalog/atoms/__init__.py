"""Atoms: single, indivisible components, grouped by the task they serve."""
