"""Load a time series, or a labelled panel of them, from a CSV or Parquet file.

``load_table`` turns a table with a time column into the catalog's forecasting and
anomaly-detection convention: a ``Series`` or ``DataFrame`` indexed by sorted, unique
time stamps, with a frequency when one is given or can be inferred. ``load_panel`` turns
a table in long format (one row per case and time point, as sktime and tsfresh read it)
into the classification convention: a 3-D array ``(n_cases, n_channels, n_timepoints)``
and one label per case. Every problem with the file gets one sentence that says what was
found and what to do.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SUPPORTED_SUFFIXES", "load_panel", "load_table"]

_CSV = (".csv", ".csv.gz", ".csv.bz2", ".csv.zip", ".csv.xz", ".csv.zst")
_PARQUET = (".parquet", ".pq")
SUPPORTED_SUFFIXES = _CSV + _PARQUET


def load_table(
    path: str | Path,
    time_column: str,
    target_columns: str | list[str] | None = None,
    *,
    frequency: str | None = None,
) -> pd.DataFrame | pd.Series:
    """Read a CSV or Parquet file into a series indexed by its time column.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` file (optionally compressed: ``.csv.gz``, ``.csv.zip``, ...) or a
        ``.parquet`` / ``.pq`` file. Parquet needs ``pyarrow``.
    time_column : str
        Column holding the time stamps. Text and dates are parsed as dates; a column of
        whole numbers (a year, a step number) becomes an integer index.
    target_columns : str, list of str or None, default=None
        A column name gives a ``Series``; a list gives a ``DataFrame`` of those columns;
        ``None`` gives a ``DataFrame`` of every other column. Targets must be numeric.
    frequency : str or None, default=None
        Pandas frequency of the time stamps (``"D"``, ``"h"``, ``"MS"``, ...). Missing
        time points become NaN rows (impute them next); a time stamp off that grid is
        an error. ``None`` infers the frequency when the stamps are regular.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The target column(s), indexed by the sorted time stamps.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ImportError
        If the file is Parquet and ``pyarrow`` is not installed.
    ValueError
        On an unsupported extension, a missing time or target column, a time stamp that
        cannot be parsed, duplicate time stamps, non-numeric targets or a time stamp off
        the given frequency.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from catalog.datasets.user_file import load_table
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "day,sales\\n2024-01-02,5\\n2024-01-01,3\\n2024-01-03,4\\n"
    >>> _ = (folder / "sales.csv").write_text(text)
    >>> y = load_table(folder / "sales.csv", "day", "sales")
    >>> y.tolist(), y.index.freqstr
    ([3, 5, 4], 'D')
    """
    table = _read(Path(path))
    columns = [str(c) for c in table.columns]
    table.columns = columns
    if time_column not in columns:
        raise ValueError(
            f"{path} has no time column {time_column!r}; its columns are "
            f"{', '.join(repr(c) for c in columns)}; pass one of them as time_column"
        )
    names = [target_columns] if isinstance(target_columns, str) else target_columns
    if names is None:
        names = [c for c in columns if c != time_column]
    missing = [c for c in names if c not in columns]
    if missing or not names:
        raise ValueError(
            f"{path} has no target column {', '.join(repr(c) for c in missing) or '(none left)'}; "
            f"its columns are {', '.join(repr(c) for c in columns)}; pass target_columns "
            "among them"
        )
    for name in names:
        if not pd.api.types.is_numeric_dtype(table[name]):
            raise ValueError(
                f"{path}: target column {name!r} holds {table[name].dtype} values, not "
                "numbers; clean it or leave it out of target_columns"
            )
    index = _time_index(table[time_column], path, time_column)
    data = table[names].set_axis(index).sort_index()
    duplicated = data.index.duplicated()
    if duplicated.any():
        raise ValueError(
            f"{path}: time column {time_column!r} holds {int(duplicated.sum())} duplicate "
            f"time stamps, first {data.index[duplicated][0]}; aggregate them first "
            "(e.g. with preprocessing.resample) or drop the duplicates"
        )
    data = _with_frequency(data, frequency, path)
    return data[names[0]] if isinstance(target_columns, str) else data


def load_panel(
    path: str | Path,
    case_column: str,
    time_column: str,
    value_columns: str | list[str],
    label_column: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Read a labelled panel in long format: one row per case and time point.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` file (optionally compressed) or a ``.parquet`` / ``.pq`` file.
    case_column : str
        Column naming the case (the series) each row belongs to.
    time_column : str
        Column ordering the rows of a case: dates, or whole numbers such as a step.
    value_columns : str or list of str
        The channel(s): one numeric column per channel, in this order.
    label_column : str
        Column holding the class of the case; it must be the same on every row of a case.

    Returns
    -------
    X : numpy.ndarray
        ``(n_cases, n_channels, n_timepoints)`` floats, cases in their order of first
        appearance in the file, time points sorted.
    y : numpy.ndarray
        ``(n_cases,)`` labels as written in the file.

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        On a missing column, a non-numeric value column, an unparseable or duplicate time
        stamp within a case, a case with two labels, or cases of different lengths (the
        catalog's classifiers need equal-length series).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from catalog.datasets.user_file import load_panel
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "case,t,x,label\\na,1,0.5,up\\na,0,0.1,up\\nb,0,0.9,down\\nb,1,0.2,down\\n"
    >>> _ = (folder / "cases.csv").write_text(text)
    >>> X, y = load_panel(folder / "cases.csv", "case", "t", "x", "label")
    >>> X.shape, X[0, 0].tolist(), y.tolist()
    ((2, 1, 2), [0.1, 0.5], ['up', 'down'])
    """
    table = _read(Path(path))
    table.columns = [str(c) for c in table.columns]
    channels = [value_columns] if isinstance(value_columns, str) else list(value_columns)
    wanted = {
        "case_column": [case_column],
        "time_column": [time_column],
        "value_columns": channels,
        "label_column": [label_column],
    }
    for argument, names in wanted.items():
        missing = [name for name in names if name not in table.columns]
        if missing or not names:
            raise ValueError(
                f"{path} has no column {', '.join(repr(c) for c in missing) or '(none given)'} "
                f"for {argument}; its columns are "
                f"{', '.join(repr(c) for c in table.columns)}; pass one of them"
            )
    for name in channels:
        if not pd.api.types.is_numeric_dtype(table[name]):
            raise ValueError(
                f"{path}: value column {name!r} holds {table[name].dtype} values, not "
                "numbers; clean it or leave it out of value_columns"
            )
    if table[case_column].isna().any() or table[label_column].isna().any():
        column = case_column if table[case_column].isna().any() else label_column
        row = int(np.argmax(table[column].isna().to_numpy()))
        raise ValueError(
            f"{path}: column {column!r} is empty at data row {row + 1}; every row needs "
            "its case and its label"
        )
    table[time_column] = _time_index(table[time_column], path, time_column)
    labels = table.groupby(case_column, sort=False)[label_column].nunique()
    if (labels > 1).any():
        case = labels.index[np.argmax(labels.to_numpy() > 1)]
        raise ValueError(
            f"{path}: case {case!r} has {int(labels[case])} different labels in "
            f"{label_column!r}; a case has one class, so give all its rows the same label"
        )
    duplicated = table.duplicated([case_column, time_column])
    if duplicated.any():
        row = table[duplicated].iloc[0]
        raise ValueError(
            f"{path}: case {row[case_column]!r} has two rows at time {row[time_column]}; "
            "drop or aggregate the duplicates"
        )
    lengths = table.groupby(case_column, sort=False).size()
    if lengths.nunique() > 1:
        short, long = lengths.idxmin(), lengths.idxmax()

        def points(n: int) -> str:
            return f"{n} time point{'' if n == 1 else 's'}"

        raise ValueError(
            f"{path}: cases have different lengths ({short!r} has {points(lengths[short])}, "
            f"{long!r} has {lengths[long]}); the catalog's classifiers need "
            "equal-length series: resample, pad or truncate them first"
        )
    order = pd.Index(table[case_column].drop_duplicates())
    table = table.assign(_case=order.get_indexer(table[case_column]))
    table = table.sort_values(["_case", time_column], kind="stable")
    n_cases, n_timepoints = len(order), int(lengths.iloc[0])
    values = table[channels].to_numpy(dtype=float)
    X = values.reshape(n_cases, n_timepoints, len(channels)).transpose(0, 2, 1)
    y = table.groupby("_case", sort=True)[label_column].first().to_numpy()
    return np.ascontiguousarray(X), y


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise FileNotFoundError(
            f"no file at {path} (relative paths start at {Path.cwd()}); check the path"
        )
    name = path.name.lower()
    if name.endswith(_CSV):
        return pd.read_csv(path)
    if name.endswith(_PARQUET):
        if importlib.util.find_spec("pyarrow") is None:
            raise ImportError(
                f"reading {path} (Parquet) needs pyarrow, which is not installed; "
                "install it with `pip install pyarrow`"
            )
        table = pd.read_parquet(path, engine="pyarrow")
        # a DataFrame saved with to_parquet keeps its index: make it a column again
        return table if isinstance(table.index, pd.RangeIndex) else table.reset_index()
    raise ValueError(
        f"{path} has an unsupported extension; expected one of "
        f"{', '.join(SUPPORTED_SUFFIXES)}; convert the file to CSV or Parquet"
    )


def _time_index(column: pd.Series, path: str | Path, time_column: str) -> pd.Index:
    """Time stamps of a column: integers stay integers, anything else is parsed as dates."""
    if pd.api.types.is_integer_dtype(column):
        return pd.Index(column.to_numpy(), name=time_column)
    if pd.api.types.is_float_dtype(column):
        # a number is a step or a year, never nanoseconds since 1970 as to_datetime reads it
        values = column.to_numpy()
        bad = np.isnan(values) | (values != np.round(values))
        if not bad.any():
            return pd.Index(values.astype("int64"), name=time_column)
        stamps = None
    elif pd.api.types.is_datetime64_any_dtype(column):
        stamps = pd.to_datetime(column)
        bad = stamps.isna().to_numpy()
    else:
        stamps = pd.to_datetime(column, errors="coerce")
        bad = stamps.isna().to_numpy()
    if bad.any() or stamps is None:
        row = int(np.argmax(bad))
        value = column.tolist()[row]
        what = "is empty" if pd.isna(value) else f"holds {value!r}, which is not a date"
        raise ValueError(
            f"{path}: time column {time_column!r} {what} at data row {row + 1} (file line "
            f"{row + 2} of a CSV with a header); fix that value or drop the row"
        )
    return pd.DatetimeIndex(stamps, name=time_column)


def _with_frequency(data: pd.DataFrame, frequency: str | None, path: str | Path) -> pd.DataFrame:
    if not isinstance(data.index, pd.DatetimeIndex):
        if frequency is not None:
            raise ValueError(
                f"{path}: frequency={frequency!r} needs date time stamps, found an integer "
                "time column; leave frequency out"
            )
        return data
    if frequency is None:
        inferred = pd.infer_freq(data.index) if len(data) >= 3 else None
        return data.asfreq(inferred) if inferred else data
    try:
        grid = pd.date_range(data.index[0], data.index[-1], freq=frequency)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"frequency must be a pandas frequency alias such as 'D', 'h' or 'MS', found "
            f"{frequency!r} ({error})"
        ) from None
    off_grid = ~data.index.isin(grid)
    if off_grid.any():
        raise ValueError(
            f"{path}: time stamp {data.index[off_grid][0]} is not on the {frequency!r} grid "
            f"that starts at {data.index[0]}; pick the right frequency, or resample the "
            "series (preprocessing.resample) instead of passing frequency"
        )
    return data.reindex(grid).rename_axis(data.index.name)
