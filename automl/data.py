"""The data a search runs on: a catalog dataset or a user's file, split into search and test.

The search only ever sees ``train``; ``test`` (when there is one) is scored once, by the
winner, at the end. How each source is split:

- **forecasting**: the last ``holdout`` points are the test part (one horizon by
  default); the backtest folds of the search lie inside the rest;
- **classification**: a dataset's own train/test split when it has one (the UCR
  archive's), otherwise a stratified 25% test part drawn with the seed;
- **anomaly detection**: a dataset's own normal training part when it has one (the UCR
  anomaly archive's), otherwise the first half of the series; labels of the training
  part, when the data has any, are used for validation, test labels never.
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from automl.errors import AutoMLError

__all__ = ["TaskData", "load_task_data"]

TEST_SHARE = 0.25  # classification without a split of its own
ANOMALY_TRAIN_SHARE = 0.5  # anomaly series without a normal training part of their own


@dataclass
class TaskData:
    """A task's data, split into the part the search sees and the part it never sees.

    ``train`` and ``test`` hold the task's convention: ``(y, X)`` for forecasting (``X``
    the known drivers or ``None``), ``(X, y)`` for classification, ``(series, labels)``
    for anomaly detection (``labels`` ``None`` when the data has none). ``source`` says
    how to load the same data again (a worker on another machine does), ``digest`` is the
    SHA-256 of its content.
    """

    task: str
    name: str
    digest: str
    train: tuple[Any, Any]
    test: tuple[Any, Any] | None
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def n_train(self) -> int:
        return len(self.train[0])


def load_task_data(task: str, source: dict[str, Any]) -> TaskData:
    """The data of ``source``: ``{"dataset": id, "params": {...}}`` (params optional) or
    ``{"path": file, ...columns}``.

    A file's columns are found as ``kb scaffold`` finds them: ``time_column`` defaults to
    a column named ``time`` (else the first column), ``target`` to a column named
    ``value`` (else the one column left). ``holdout`` (forecasting) is the number of
    points kept out of the search, ``seed`` draws the classification test part.
    """
    if "dataset" in source:
        return _from_catalog(task, source)
    return _from_file(task, source)


def _from_catalog(task: str, source: dict[str, Any]) -> TaskData:
    import catalog

    dataset_id = str(source["dataset"])
    records, _ = catalog.load_records()
    ids = sorted(r.id for r in records if r.meta.kind == "dataset" and task in r.meta.tasks)
    if dataset_id not in ids:
        known = [r.id for r in records if r.id == dataset_id]
        what = "is a dataset for another task" if known else "is not a catalog dataset"
        raise AutoMLError(
            f"--dataset {dataset_id} {what}: pass one of {', '.join(ids)} or the path of a "
            "CSV/Parquet file"
        )
    cls = catalog.get_component(dataset_id)
    params = dict(source.get("params") or {})  # a project's data.params
    has_split = "split" in inspect.signature(cls).parameters and "split" not in params
    if task == "forecasting":
        y = cls(**params).load()
        return _forecasting(dataset_id, _digest_of(y), y, None, source)
    if task == "classification":
        if has_split:
            train = cls(split="train", **params).load()
            test = cls(split="test", **params).load()
        else:
            train, test = _stratified_holdout(
                *cls(**params).load(), seed=int(source.get("seed", 0))
            )
        digest = _digest_of(train[0], train[1], test[0], test[1])
        return TaskData(task, dataset_id, digest, train, test, dict(source))
    if has_split:
        train = cls(split="train", **params).load()
        test = cls(split="test", **params).load()
        if not np.asarray(train[1]).any():
            train = (train[0], None)
        digest = _digest_of(train[0], test[0], test[1])
        return TaskData(task, dataset_id, digest, train, test, dict(source))
    series, labels = cls(**params).load()
    return _anomaly(dataset_id, _digest_of(series, labels), series, labels, source)


def _from_file(task: str, source: dict[str, Any]) -> TaskData:
    from catalog.datasets.user_file import load_panel, load_table

    path = Path(str(source["path"])).expanduser()
    if not path.is_file():
        raise AutoMLError(
            f"--dataset {path}: no such file; pass a catalog dataset id or the path of a "
            "CSV/Parquet file"
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    columns = _columns(path)
    time_column = source.get("time_column") or ("time" if "time" in columns else columns[0])
    try:
        if task == "classification":
            case = source.get("case_column") or "case"
            label = source.get("label_column") or "label"
            values = source.get("target") or [
                c for c in columns if c not in (case, time_column, label)
            ]
            X, y = load_panel(path, case, time_column, values, label)
            train, test = _stratified_holdout(X, y, seed=int(source.get("seed", 0)))
            return TaskData(task, path.name, digest, train, test, dict(source))
        label = source.get("label_column") or ("label" if "label" in columns else None)
        exog = list(source.get("exog_columns") or [])
        target = source.get("target") or _only_target(path, columns, time_column, label, exog)
        table = load_table(path, time_column, [target, *exog, *([label] if label else [])])
    except (ValueError, ImportError) as error:
        raise AutoMLError(str(error)) from None
    if task == "forecasting":
        y = table[target]
        X = table[exog] if exog else None
        return _forecasting(path.name, digest, y, X, source)
    labels = table[label].to_numpy(dtype=int) if label else None
    series = table[target]
    return _anomaly(path.name, digest, series, labels, source)


def _columns(path: Path) -> list[str]:
    try:
        if path.suffix in (".parquet", ".pq"):
            head = pd.read_parquet(path)
        else:
            head = pd.read_csv(path, nrows=5)
    except (ValueError, OSError, UnicodeDecodeError, ImportError) as error:
        first = str(error).strip().splitlines()[0][:120] if str(error).strip() else "unreadable"
        raise AutoMLError(
            f"{path.name} is not a CSV or Parquet file pandas reads ({first})"
        ) from None
    if head.shape[1] < 2:
        raise AutoMLError(
            f"{path.name} has {head.shape[1]} column; it needs a time column and a value column"
        )
    return [str(c) for c in head.columns]


def _only_target(
    path: Path, columns: list[str], time_column: str, label: str | None, exog: list[str]
) -> str:
    if "value" in columns:
        return "value"
    rest = [c for c in columns if c not in (time_column, label, *exog)]
    if len(rest) != 1:
        raise AutoMLError(
            f"{path.name} has {len(rest)} columns besides the time column {time_column!r} "
            f"({', '.join(rest)}); name the series with --target"
        )
    return rest[0]


def _forecasting(
    name: str, digest: str, y: pd.Series, X: pd.DataFrame | None, source: dict[str, Any]
) -> TaskData:
    from automl.evaluation import default_horizon

    given = source.get("holdout")
    holdout = default_horizon(y) if given is None else int(given)  # 0: search on all of it
    if holdout < 0 or holdout >= len(y) - 10:
        raise AutoMLError(
            f"--holdout {holdout} leaves {len(y) - holdout} of {len(y)} points to search on; "
            "keep at least 10 (or pass --holdout 0 to search on all of them)"
        )
    cut = len(y) - holdout
    train = (y.iloc[:cut], None if X is None else X.iloc[:cut])
    test = (y.iloc[cut:], None if X is None else X.iloc[cut:]) if holdout else None
    return TaskData("forecasting", name, digest, train, test, dict(source))


def _anomaly(name: str, digest: str, series: Any, labels: Any, source: dict[str, Any]) -> TaskData:
    cut = int(len(series) * ANOMALY_TRAIN_SHARE)
    train_labels = None if labels is None else np.asarray(labels)[:cut]
    if train_labels is not None and not train_labels.any():
        train_labels = None
    test_labels = None if labels is None else np.asarray(labels)[cut:]
    train = (series.iloc[:cut], train_labels)
    test = (series.iloc[cut:], test_labels)
    return TaskData("anomaly-detection", name, digest, train, test, dict(source))


def _stratified_holdout(X: Any, y: Any, seed: int) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    from sklearn.model_selection import train_test_split

    y = np.asarray(y)
    _, counts = np.unique(y, return_counts=True)
    if len(counts) < 2:
        raise AutoMLError("the data has a single class; classification needs at least two")
    stratify = y if counts.min() >= 2 else None
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SHARE, random_state=seed, stratify=stratify
    )
    return (X_train, y_train), (X_test, y_test)


def _digest_of(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if part is None:
            continue
        if isinstance(part, pd.Series | pd.DataFrame):
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        else:
            array = np.asarray(part)
            digest.update(array.astype(str).tobytes() if array.dtype == object else array.tobytes())
    return digest.hexdigest()
