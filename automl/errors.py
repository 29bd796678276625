"""The one error AutoML raises for bad input: its message is one sentence for the user."""

from __future__ import annotations

__all__ = ["AutoMLError"]


class AutoMLError(ValueError):
    """Bad input to a search (task, data, budget, metric, storage): what was wrong and
    what to do, in one sentence. Nothing has been written when it is raised."""
