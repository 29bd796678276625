"""Input validation shared by components: one clear ``ValueError`` per kind of bad input.

Messages name the argument, what was expected and what was found, so a user knows what
to change without reading the component's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check_labels", "check_panel", "check_series", "series_values"]


def check_series(
    y: Any, *, name: str = "y", allow_nan: bool = False, min_length: int = 2
) -> pd.Series | pd.DataFrame:
    """Validate a series (1-D) or a multivariate series (2-D: time x channels).

    Returns a pandas object: a ``Series`` or ``DataFrame`` is returned as is, a NumPy
    array is wrapped with a ``RangeIndex``.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D or 2-D, is shorter than ``min_length``, is not numeric, or
        holds NaN while ``allow_nan`` is false.

    Examples
    --------
    >>> check_series([1.0, 2.0, 3.0]).tolist()
    [1.0, 2.0, 3.0]
    >>> check_series([[[1.0]]])
    Traceback (most recent call last):
    ...
    ValueError: y must be a series (1-D) or a multivariate series (2-D: ...), found a 3-D input ...
    """
    if isinstance(y, pd.Series | pd.DataFrame):
        data = y
    else:
        array = np.asarray(y)
        if array.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be a series (1-D) or a multivariate series (2-D: time x "
                f"channels), found a {array.ndim}-D input of shape {array.shape}"
            )
        data = pd.Series(array) if array.ndim == 1 else pd.DataFrame(array)
    values = data.to_numpy()
    if not np.issubdtype(values.dtype, np.number) and not np.issubdtype(values.dtype, np.bool_):
        raise ValueError(f"{name} must hold numbers, found dtype {values.dtype}")
    if len(data) < min_length:
        raise ValueError(f"{name} needs at least {min_length} time points, found {len(data)}")
    if not allow_nan and np.isnan(values.astype(float)).any():
        raise ValueError(
            f"{name} contains NaN at {int(np.isnan(values.astype(float)).sum())} points and this "
            "component does not handle missing values; impute them first "
            "(e.g. with preprocessing.forward-fill)"
        )
    return data


def series_values(y: pd.Series | pd.DataFrame) -> np.ndarray:
    """The values of a validated series as a float array of shape (time, channels)."""
    values = y.to_numpy(dtype=float)
    return values.reshape(-1, 1) if values.ndim == 1 else values


def check_panel(X: Any, *, name: str = "X", allow_nan: bool = False) -> np.ndarray:
    """Validate a panel of series: a 3-D array ``(n_cases, n_channels, n_timepoints)``.

    A 2-D array is *not* accepted silently, because it is ambiguous (cases x time or
    time x channels); reshape it with ``X[:, np.newaxis, :]`` for univariate cases.

    Examples
    --------
    >>> check_panel(np.zeros((4, 1, 10))).shape
    (4, 1, 10)
    """
    array = np.asarray(X)
    if array.ndim != 3:
        hint = " (for univariate cases use X[:, np.newaxis, :])" if array.ndim == 2 else ""
        raise ValueError(
            f"{name} must be a 3-D array (n_cases, n_channels, n_timepoints), found a "
            f"{array.ndim}-D input of shape {array.shape}{hint}"
        )
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must hold numbers, found dtype {array.dtype}")
    if not allow_nan and np.isnan(array.astype(float)).any():
        raise ValueError(
            f"{name} contains NaN and this component does not handle missing values; "
            "impute them first"
        )
    return array.astype(float, copy=False)


def check_labels(y: Any, n_cases: int, *, name: str = "y") -> np.ndarray:
    """Validate class labels: 1-D, one per case."""
    labels = np.asarray(y)
    if labels.ndim != 1 or len(labels) != n_cases:
        raise ValueError(
            f"{name} must be 1-D with one label per case ({n_cases}), found shape {labels.shape}"
        )
    return labels
