"""Load a time series from a CSV or Parquet file the user points at.

``load_table`` turns a table with a time column into the catalog's forecasting
convention: a ``Series`` or ``DataFrame`` indexed by sorted, unique time stamps, with a
frequency when one is given or can be inferred. Every problem with the file gets one
sentence that says what was found and what to do.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SUPPORTED_SUFFIXES", "load_table"]

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
