"""load_table: real CSV and Parquet files written in tmp_path, every error with its message."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from catalog.datasets.user_file import load_table

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def sales_csv(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "sales.csv",
        "date,sales,price,store\n"
        "2024-01-03,30,1.5,a\n"
        "2024-01-01,10,1.0,a\n"
        "2024-01-02,20,1.25,a\n"
        "2024-01-04,40,1.75,a\n",
    )


# --- what a good file gives ------------------------------------------------------------


def test_one_target_gives_a_sorted_series_with_an_inferred_frequency(sales_csv: Path) -> None:
    y = load_table(sales_csv, "date", "sales")
    assert isinstance(y, pd.Series) and y.name == "sales"
    assert y.tolist() == [10, 20, 30, 40]
    assert isinstance(y.index, pd.DatetimeIndex) and y.index.freqstr == "D"
    assert y.index.name == "date"


def test_a_list_of_targets_gives_a_frame_in_that_order(sales_csv: Path) -> None:
    frame = load_table(sales_csv, "date", ["price", "sales"])
    assert list(frame.columns) == ["price", "sales"]
    assert frame["price"].tolist() == [1.0, 1.25, 1.5, 1.75]


def test_no_targets_takes_every_other_column(tmp_path: Path) -> None:
    path = write(tmp_path, "two.csv", "t,a,b\n2024-01-01,1,2\n2024-01-02,3,4\n")
    assert list(load_table(path, "t").columns) == ["a", "b"]


def test_frequency_inserts_missing_time_points_as_nan(tmp_path: Path) -> None:
    path = write(tmp_path, "gap.csv", "t,v\n2024-01-01 00:00,1\n2024-01-01 03:00,4\n")
    y = load_table(path, "t", "v", frequency="h")
    assert y.index.freqstr == "h" and len(y) == 4
    assert y.iloc[[0, 3]].tolist() == [1.0, 4.0] and y.iloc[1:3].isna().all()


def test_integer_time_column_becomes_an_integer_index(tmp_path: Path) -> None:
    path = write(tmp_path, "years.csv", "year,flow\n1872,2\n1871,1\n1873,3\n")
    y = load_table(path, "year", "flow")
    assert y.index.tolist() == [1871, 1872, 1873] and y.tolist() == [1, 2, 3]


def test_compressed_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv.gz"
    pd.DataFrame({"t": ["2024-01-01", "2024-01-02"], "v": [1.0, 2.0]}).to_csv(path, index=False)
    assert load_table(path, "t", "v").tolist() == [1.0, 2.0]


@pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow is not installed; Parquet cannot be read")
@pytest.mark.parametrize("keep_index", [False, True])
def test_parquet_is_read_with_or_without_a_saved_index(tmp_path: Path, keep_index: bool) -> None:
    stamps = pd.date_range("2024-01-01", periods=5, freq="h", name="t")
    frame = pd.DataFrame({"t": stamps, "v": np.arange(5.0)})
    path = tmp_path / "data.parquet"
    (frame.set_index("t") if keep_index else frame).to_parquet(path)
    y = load_table(path, "t", "v")
    assert y.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0] and y.index.freqstr == "h"


@pytest.mark.skipif(
    HAS_PYARROW, reason="pyarrow is installed here, so its absence cannot be observed"
)
def test_parquet_without_pyarrow_says_to_install_it(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(ImportError, match="pip install pyarrow"):
        load_table(path, "t")


# --- every error, one sentence ---------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no file at .*nope\.csv"):
        load_table(tmp_path / "nope.csv", "t")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "data.xlsx", "t,v\n")
    with pytest.raises(ValueError, match=r"unsupported extension; expected one of \.csv"):
        load_table(path, "t")


def test_missing_time_column_lists_the_columns(sales_csv: Path) -> None:
    with pytest.raises(ValueError, match="no time column 'day'; its columns are 'date', 'sales'"):
        load_table(sales_csv, "day")


def test_unparseable_timestamp_names_the_row_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "t,v\n2024-01-01,1\n2024-01-02,2\nsoon,3\n")
    with pytest.raises(ValueError, match=r"holds 'soon', which is not a date at data row 3"):
        load_table(path, "t")


def test_empty_timestamp_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.csv", "t,v\n2024-01-01,1\n,2\n")
    with pytest.raises(ValueError, match="is empty at data row 2"):
        load_table(path, "t")


def test_fractional_number_is_not_a_timestamp(tmp_path: Path) -> None:
    path = write(tmp_path, "frac.csv", "t,v\n1.0,1\n1.5,2\n")
    with pytest.raises(ValueError, match=r"holds 1\.5, which is not a date at data row 2"):
        load_table(path, "t")


def test_missing_target_column_lists_the_columns(sales_csv: Path) -> None:
    with pytest.raises(ValueError, match="no target column 'revenue'; its columns are"):
        load_table(sales_csv, "date", ["sales", "revenue"])


def test_text_target_column_is_refused(sales_csv: Path) -> None:
    with pytest.raises(ValueError, match=r"target column 'store' holds .* not numbers"):
        load_table(sales_csv, "date")


def test_duplicate_timestamps_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.csv", "t,v\n2024-01-02,1\n2024-01-01,2\n2024-01-02,3\n")
    with pytest.raises(ValueError, match="1 duplicate time stamps, first 2024-01-02"):
        load_table(path, "t")


def test_time_stamp_off_the_frequency_grid_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.csv", "t,v\n2024-01-01,1\n2024-01-03,2\n2024-01-04,3\n")
    with pytest.raises(ValueError, match="2024-01-04 00:00:00 is not on the '2D' grid"):
        load_table(path, "t", frequency="2D")


def test_unknown_frequency_is_refused(sales_csv: Path) -> None:
    with pytest.raises(ValueError, match="frequency must be a pandas frequency alias"):
        load_table(sales_csv, "date", "sales", frequency="fortnightly")
