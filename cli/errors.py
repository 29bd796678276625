"""Errors the CLI reports as one sentence on stderr with exit code 1."""

from __future__ import annotations

__all__ = ["KbError"]


class KbError(Exception):
    """An expected problem: bad input, missing file, unknown id. The message says what to do."""
