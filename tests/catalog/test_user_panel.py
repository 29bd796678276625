"""load_panel: a labelled panel in long format, from real files written in tmp_path."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from catalog.datasets.user_file import load_panel

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None


def long_table(X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """The long format of a 3-D panel: one row per case and time point."""
    rows = [
        {"case": f"c{i}", "t": t, **{f"x{c}": X[i, c, t] for c in range(X.shape[1])}, "label": y[i]}
        for i in range(X.shape[0])
        for t in range(X.shape[2])
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def panel() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(6, 2, 9)), np.array(["a", "b", "a", "b", "b", "a"])


def test_a_shuffled_long_table_gives_the_panel_back(tmp_path: Path, panel) -> None:
    X, y = panel
    path = tmp_path / "cases.csv"
    table = long_table(X, y)
    # rows in random order: time points are sorted, cases keep their first appearance
    table.sample(frac=1.0, random_state=1).sort_values("case", kind="stable").to_csv(
        path, index=False
    )
    got_X, got_y = load_panel(path, "case", "t", ["x0", "x1"], "label")
    assert got_X.shape == (6, 2, 9)
    np.testing.assert_allclose(got_X, X)
    assert got_y.tolist() == y.tolist()


def test_one_value_column_gives_one_channel_and_the_catalog_accepts_it(tmp_path, panel) -> None:
    from catalog import get_component

    X, y = panel
    path = tmp_path / "cases.csv"
    long_table(X, y).to_csv(path, index=False)
    got_X, got_y = load_panel(path, "case", "t", "x1", "label")
    np.testing.assert_allclose(got_X[:, 0, :], X[:, 1, :])
    model = get_component("classification.rocket")(n_kernels=100, random_state=0)
    assert model.fit(got_X, got_y).predict(got_X).shape == (6,)


def test_dates_order_the_time_points(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "id,day,v,cls\np,2024-01-02,2,1\np,2024-01-01,1,1\nq,2024-01-01,5,0\nq,2024-01-02,6,0\n"
    )
    X, y = load_panel(path, "id", "day", "v", "cls")
    assert X[:, 0, :].tolist() == [[1.0, 2.0], [5.0, 6.0]]
    assert y.tolist() == [1, 0]


@pytest.mark.skipif(not HAS_PYARROW, reason="reading Parquet needs pyarrow")
def test_parquet_reads_like_csv(tmp_path: Path, panel) -> None:
    X, y = panel
    path = tmp_path / "cases.parquet"
    long_table(X, y).to_parquet(path)
    got_X, got_y = load_panel(path, "case", "t", ["x0", "x1"], "label")
    np.testing.assert_allclose(got_X, X)
    assert got_y.tolist() == y.tolist()


@pytest.mark.parametrize(
    ("text", "columns", "message"),
    [
        ("case,t,v,label\na,0,1,x\n", ("case", "t", "w", "label"), "has no column 'w' for value"),
        ("case,t,v,label\na,0,1,x\n", ("id", "t", "v", "label"), "for case_column"),
        ("case,t,v,label\na,0,one,x\n", ("case", "t", "v", "label"), "not numbers"),
        ("case,t,v,label\na,0,1,x\na,1,2,y\n", ("case", "t", "v", "label"), "2 different labels"),
        ("case,t,v,label\na,0,1,x\na,0,2,x\n", ("case", "t", "v", "label"), "two rows at time 0"),
        (
            "case,t,v,label\na,0,1,x\na,1,2,x\nb,0,1,y\n",
            ("case", "t", "v", "label"),
            "cases have different lengths ('b' has 1 time point, 'a' has 2)",
        ),
        ("case,t,v,label\na,0,1,\n", ("case", "t", "v", "label"), "'label' is empty at data row 1"),
        ("case,t,v,label\na,soon,1,x\n", ("case", "t", "v", "label"), "not a date"),
    ],
)
def test_bad_files_get_one_sentence(tmp_path: Path, text, columns, message) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(text)
    with pytest.raises(ValueError) as raised:
        load_panel(path, *columns)
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_file_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no file at"):
        load_panel(tmp_path / "nope.csv", "case", "t", "v", "label")
