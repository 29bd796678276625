"""Input validation shared by components: one clear ``ValueError`` per kind of bad input.

Messages name the argument, what was expected and what was found, so a user knows what
to change without reading the component's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "check_exogenous",
    "check_future_exogenous",
    "check_labels",
    "check_panel",
    "check_series",
    "series_values",
]


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


def _exogenous_frame(X: Any, name: str) -> pd.DataFrame:
    """``X`` as a DataFrame of numeric columns (a Series or 1-D array is one column)."""
    if isinstance(X, pd.DataFrame):
        frame = X
    elif isinstance(X, pd.Series):
        frame = X.to_frame()
    else:
        array = np.asarray(X)
        if array.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be a DataFrame or a 2-D array (time x variables), found a "
                f"{array.ndim}-D input of shape {array.shape}"
            )
        frame = pd.DataFrame(array.reshape(len(array), -1))
    if frame.shape[1] == 0:
        raise ValueError(f"{name} must have at least one column, found none")
    for column, dtype in frame.dtypes.items():
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            raise ValueError(
                f"{name} must hold numbers, found column {column!r} of dtype {dtype}; "
                "encode categories as numbers first (e.g. one-hot)"
            )
    return frame.astype(float)


def _is_positional(index: pd.Index) -> bool:
    """True for the default index 0..n-1 (a NumPy input), which aligns by position."""
    return index.equals(pd.RangeIndex(len(index)))


def _aligns_by_label(a: pd.Index, b: pd.Index) -> bool:
    """True when both indexes are real time indexes of one kind, so they must be equal."""
    return not (_is_positional(a) or _is_positional(b)) and a.inferred_type == b.inferred_type


def _check_no_nan(frame: pd.DataFrame, name: str) -> None:
    missing = [str(c) for c in frame.columns[frame.isna().any().to_numpy()]]
    if missing:
        raise ValueError(
            f"{name} contains NaN in columns {', '.join(missing)} and this forecaster does "
            "not handle missing values in X; impute them first"
        )


def _names(columns: Any) -> str:
    return ", ".join(str(c) for c in columns)


def check_exogenous(X: Any, index: pd.Index, *, name: str = "X") -> pd.DataFrame | None:
    """Validate the exogenous variables given to a forecaster's ``fit``.

    ``X`` is a numeric ``DataFrame`` (or a 2-D array) with one row per time point of
    ``y``, whose index is ``index``. When both have an index of one kind (dates,
    periods or integers other than the default ``0..n-1``) they must be equal;
    otherwise the rows align by position.

    Parameters
    ----------
    X : DataFrame, 2-D array or None
        Exogenous variables at the time points of ``y``.
    index : pandas.Index
        The index of the validated ``y``.
    name : str, default="X"
        Name of the argument in messages.

    Returns
    -------
    pandas.DataFrame or None
        ``None`` when ``X`` is ``None``; otherwise the float values of ``X`` on
        ``index``, with ``X``'s columns.

    Raises
    ------
    ValueError
        If ``X`` is not 1-D or 2-D, has a non-numeric column, holds NaN, has another
        number of rows than ``y`` or another index.

    Examples
    --------
    >>> y_index = pd.RangeIndex(3)
    >>> check_exogenous(pd.DataFrame({"price": [1, 2, 3]}), y_index)["price"].tolist()
    [1.0, 2.0, 3.0]
    >>> check_exogenous([[1.0], [2.0]], y_index)
    Traceback (most recent call last):
    ...
    ValueError: X must have one row per time point of y (3), found 2 rows
    """
    if X is None:
        return None
    frame = _exogenous_frame(X, name)
    if len(frame) != len(index):
        raise ValueError(
            f"{name} must have one row per time point of y ({len(index)}), found {len(frame)} rows"
        )
    if _aligns_by_label(frame.index, index) and not frame.index.equals(index):
        raise ValueError(
            f"{name} must have the index of y (from {index[0]} to {index[-1]}), found one "
            f"from {frame.index[0]} to {frame.index[-1]}; align X with y, or pass its "
            "values without an index"
        )
    _check_no_nan(frame, name)
    return frame.set_axis(index)


def check_future_exogenous(
    X: Any, future: pd.Index, columns: list[Any] | None, *, owner: str, name: str = "X"
) -> pd.DataFrame | None:
    """Validate the exogenous variables given to a forecaster's ``predict``.

    ``X`` holds one row per future step ``1..h`` (``future`` is their index, ``h`` its
    length); rows beyond are ignored. When ``X`` and ``future`` have an index of one kind
    (dates, periods or integers other than the default ``0..n-1``) the first ``h`` rows
    of ``X`` must be on ``future``; otherwise the rows align by position. The columns
    must be those seen at ``fit`` (in any order; an array needs as many columns).

    Parameters
    ----------
    X : DataFrame, 2-D array or None
        Exogenous variables of the future time points.
    future : pandas.Index
        The time points of steps ``1..h``.
    columns : list or None
        Columns of ``X`` at fit; ``None`` when the forecaster was fitted without ``X``.
    owner : str
        Name of the forecaster, for messages.
    name : str, default="X"
        Name of the argument in messages.

    Returns
    -------
    pandas.DataFrame or None
        ``None`` when fitted without ``X``; otherwise ``h`` float rows on ``future`` with
        the columns of fit, in their order.

    Raises
    ------
    ValueError
        If ``X`` is missing while fit had one (or the reverse), has fewer than ``h``
        rows, other columns, another index, a non-numeric column or NaN.

    Examples
    --------
    >>> future = pd.RangeIndex(10, 12)
    >>> check_future_exogenous([[5.0], [6.0], [7.0]], future, ["price"], owner="F")
         price
    10    5.0
    11    6.0
    >>> check_future_exogenous(None, future, ["price"], owner="F")
    Traceback (most recent call last):
    ...
    ValueError: F was fitted with exogenous X (columns price); pass X with the 2 future ...
    """
    horizon = len(future)
    if columns is None:
        if X is not None:
            raise ValueError(
                f"{owner} was fitted without exogenous X, but X was given to predict; "
                "fit it with X to use X, or leave X out"
            )
        return None
    if X is None:
        raise ValueError(
            f"{owner} was fitted with exogenous X (columns {_names(columns)}); pass X with "
            f"the {horizon} future rows to predict"
        )
    frame = _exogenous_frame(X, name)
    if len(frame) < horizon:
        raise ValueError(
            f"{name} must have one row per future step 1..{horizon} ({horizon} rows), found "
            f"{len(frame)} rows"
        )
    fit_names = pd.Index(columns)
    if len(frame.columns) == len(fit_names) and (
        _is_positional(frame.columns) or _is_positional(fit_names)
    ):
        frame = frame.set_axis(fit_names, axis=1)
    elif set(frame.columns) == set(fit_names) and len(frame.columns) == len(fit_names):
        frame = frame[list(fit_names)]
    else:
        raise ValueError(
            f"{name} must have the columns seen at fit ({_names(fit_names)}), found "
            f"({_names(frame.columns)})"
        )
    frame = frame.iloc[:horizon]
    if _aligns_by_label(frame.index, future) and not frame.index.equals(future):
        raise ValueError(
            f"{name} must start at the first future time point: rows on {future[0]} to "
            f"{future[-1]} expected, found {frame.index[0]} to {frame.index[-1]}; pass "
            "only the future rows, or their values without an index"
        )
    _check_no_nan(frame, name)
    return frame.set_axis(future)
