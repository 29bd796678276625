"""Atoms shared by every task: preprocessing, transformations, splitters."""
