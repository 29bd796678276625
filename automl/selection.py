"""Which trial wins: the best, unless it is not clearly better than the organism's defaults.

A search scores many candidates on the same few folds; the best mean among many is
partly luck (the more candidates, the more it is). So the winner is chosen with the
one-standard-error rule (Hastie, Tibshirani & Friedman, *The Elements of Statistical
Learning*, 2nd ed., section 7.10): the best trial wins only when its advantage over the
defaults (trial 0), fold by fold on the very same folds, exceeds one standard error of
those paired differences; otherwise the defaults stay. With a single fold, or without a
complete trial 0, the best trial wins.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["select"]


def select(ranked: list[Any], default: Any | None, greater_is_better: bool) -> tuple[Any, str]:
    """The winning trial among ``ranked`` (best first) and why, in a few words."""
    if not ranked:
        raise ValueError("no complete trial to select from")
    best = ranked[0]
    if default is None or best.number == default.number:
        return best, "the best score"
    ours = best.user_attrs.get("fold_scores") or []
    theirs = default.user_attrs.get("fold_scores") or []
    if len(ours) != len(theirs) or len(ours) < 2:
        return best, "the best score"
    sign = 1.0 if greater_is_better else -1.0
    gains = [sign * (a - b) for a, b in zip(ours, theirs, strict=True)]
    mean = sum(gains) / len(gains)
    spread = math.sqrt(sum((g - mean) ** 2 for g in gains) / (len(gains) - 1))
    error = spread / math.sqrt(len(gains))
    if mean > error * (1 + 1e-9) + 1e-12:  # equal (to rounding) is not more
        return best, (
            f"the best score, better than the defaults by {mean:.4g} per fold "
            f"(one standard error: {error:.4g})"
        )
    return default, (
        f"the defaults: trial {best.number} scored better by {mean:.4g} per fold, within "
        f"one standard error ({error:.4g}) of the fold differences"
    )
