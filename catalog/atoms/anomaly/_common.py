"""Validation shared by the anomaly atoms: series, scores, 0/1 labels, fitted channels."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog.validation import check_series, series_values

__all__ = [
    "check_binary_labels",
    "check_channels",
    "check_positive_int",
    "check_scores",
    "check_univariate",
]


def check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` as an int, or a ``ValueError`` saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, found {value!r}")
    return int(value)


def check_scores(scores: Any, *, name: str = "scores", min_length: int = 1) -> np.ndarray:
    """Validate anomaly scores: 1-D, numeric, finite; returned as a float array.

    Examples
    --------
    >>> check_scores([0.1, 2.0]).tolist()
    [0.1, 2.0]
    >>> check_scores([[0.1, 2.0], [0.3, 0.4]])
    Traceback (most recent call last):
    ...
    ValueError: scores must be 1-D (one score per point), found shape (2, 2); ...
    """
    values = series_values(check_series(scores, name=name, min_length=min_length))
    if values.shape[1] != 1:
        raise ValueError(
            f"{name} must be 1-D (one score per point), found shape {np.shape(scores)}; "
            "pass the output of a detector's anomaly_score"
        )
    values = values[:, 0]
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must be finite, found {int((~np.isfinite(values)).sum())} inf")
    return values


def check_binary_labels(labels: Any, *, name: str = "y_true", min_length: int = 1) -> np.ndarray:
    """Validate 0/1 anomaly labels (1-D, one per point); returned as an int array.

    Examples
    --------
    >>> check_binary_labels([0, 1, 1]).tolist()
    [0, 1, 1]
    >>> check_binary_labels([0, 2])
    Traceback (most recent call last):
    ...
    ValueError: y_true must hold 0/1 anomaly labels, found the values [0, 2]; ...
    """
    values = check_scores(labels, name=name, min_length=min_length)
    found = np.unique(values)
    if not set(found.tolist()) <= {0.0, 1.0}:
        shown = [int(v) if float(v).is_integer() else float(v) for v in found[:5]]
        raise ValueError(
            f"{name} must hold 0/1 anomaly labels, found the values {shown}; threshold scores "
            "first (e.g. with threshold.quantile)"
        )
    return values.astype(int)


def check_univariate(y: Any, *, min_length: int = 2) -> np.ndarray:
    """A univariate series as a 1-D float array, or a ``ValueError`` naming the fix."""
    values = series_values(check_series(y, min_length=min_length))
    if values.shape[1] != 1:
        raise ValueError(
            f"y must be univariate (one channel), found {values.shape[1]} channels; score each "
            "channel separately or pick a multivariate detector such as anomaly.isolation-forest"
        )
    return values[:, 0]


def check_channels(values: np.ndarray, n_channels: int) -> None:
    """Refuse a series whose number of channels differs from the fitted one."""
    if values.shape[1] != n_channels:
        raise ValueError(
            f"y has {values.shape[1]} channels, the detector was fitted on {n_channels}; "
            "score a series with the same channels"
        )
