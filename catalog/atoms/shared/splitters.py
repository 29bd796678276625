"""Time-ordered splitters: a train/test split and backtest folds (expanding, sliding)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from catalog import component
from catalog.base import BaseSplitter
from catalog.validation import check_series

__all__ = ["ExpandingWindowSplitter", "SlidingWindowSplitter", "TemporalTrainTestSplitter"]


def _n_points(y: Any) -> int:
    if y is None:
        raise ValueError("y is required: the number of folds depends on the series length")
    return len(check_series(y, allow_nan=True, min_length=2))


def _check_positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive int, found {value!r}")


@component(
    id="splitter.temporal-train-test",
    name="Temporal train/test splitter",
    level="atom",
    kind="splitter",
    tasks=["forecasting", "anomaly-detection"],
    summary="One split: the last points of a series are the test part, all earlier ones train.",
    tags=["evaluation", "fast"],
    capabilities=["univariate", "multivariate", "missing-values"],
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class TemporalTrainTestSplitter(BaseSplitter):
    """Split a series once in time: train on the past, test on the last points.

    Unlike a shuffled split, no test point ever precedes a training point, so nothing
    from the future leaks into training.

    Parameters
    ----------
    test_size : int or float, default=0.25
        An int is the number of test points; a float in (0, 1) is their fraction of the
        series, rounded up (as in :func:`sklearn.model_selection.train_test_split`).

    Returns
    -------
    TemporalTrainTestSplitter
        ``split(y)`` yields one ``(train_positions, test_positions)`` pair of integer
        arrays; ``get_n_splits`` returns 1.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.shared.splitters import TemporalTrainTestSplitter
    >>> [(train, test)] = TemporalTrainTestSplitter(test_size=2).split(np.arange(6.0))
    >>> train.tolist(), test.tolist()
    ([0, 1, 2, 3], [4, 5])
    """

    def __init__(self, test_size: int | float = 0.25) -> None:
        self.test_size = test_size

    def split(self, y: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n = _n_points(y)
        n_test = self._n_test(n)
        yield np.arange(n - n_test), np.arange(n - n_test, n)

    def get_n_splits(self, y: Any = None) -> int:
        return 1

    def _n_test(self, n: int) -> int:
        size = self.test_size
        if isinstance(size, bool) or not isinstance(size, int | float | np.number):
            raise ValueError(f"test_size must be an int or a float in (0, 1), found {size!r}")
        if isinstance(size, float | np.floating):
            if not 0 < size < 1:
                raise ValueError(f"a float test_size must lie in (0, 1), found {size!r}")
            n_test = math.ceil(n * size)
        else:
            n_test = int(size)
        if not 1 <= n_test < n:
            raise ValueError(
                f"test_size={size!r} gives {n_test} test points out of {n}; both parts need "
                "at least one point, so pass a smaller test_size or a longer series"
            )
        return n_test


class _WindowSplitter(BaseSplitter):
    """Backtest folds: a training window, then ``horizon`` test points, moved by ``step``."""

    def split(self, y: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        n = _n_points(y)
        for cutoff in self._cutoffs(n):
            start = 0 if self._expanding else cutoff - self._window()
            yield np.arange(start, cutoff), np.arange(cutoff, cutoff + self.horizon)

    def get_n_splits(self, y: Any = None) -> int:
        return len(self._cutoffs(_n_points(y)))

    def _cutoffs(self, n: int) -> range:
        """Positions of the first test point of every fold."""
        for name in (self._window_name, "step", "horizon"):
            _check_positive_int(name, getattr(self, name))
        first = self._window()
        if first + self.horizon > n:
            raise ValueError(
                f"{self._window_name}={first} plus horizon={self.horizon} needs at least "
                f"{first + self.horizon} points, found {n}; pass a smaller window or horizon"
            )
        return range(first, n - self.horizon + 1, self.step)

    _expanding: bool = True
    _window_name: str = "initial_window"

    def _window(self) -> int:
        return getattr(self, self._window_name)


@component(
    id="splitter.expanding-window",
    name="Expanding-window backtest splitter",
    level="atom",
    kind="splitter",
    tasks=["forecasting"],
    summary="Backtest folds whose training part grows from the start of the series.",
    tags=["backtesting", "evaluation", "fast"],
    capabilities=["univariate", "multivariate", "missing-values"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/tscv.html"],
    since="0.1.0",
)
class ExpandingWindowSplitter(_WindowSplitter):
    """Backtest folds that always train from the first point (time-series cross-validation).

    Fold ``k`` trains on points ``[0, initial_window + k * step)`` and tests on the
    ``horizon`` points that follow. Folds are added while the test part fits inside the
    series; the last fold may end before the series does.

    Parameters
    ----------
    initial_window : int, default=24
        Number of training points of the first fold.
    step : int, default=12
        Points added to the training part from one fold to the next.
    horizon : int, default=12
        Number of test points of every fold.

    Returns
    -------
    ExpandingWindowSplitter
        ``split(y)`` yields ``(train_positions, test_positions)`` pairs of integer arrays;
        ``get_n_splits(y)`` counts them.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.10. https://otexts.com/fpp3/tscv.html

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.shared.splitters import ExpandingWindowSplitter
    >>> splitter = ExpandingWindowSplitter(initial_window=4, step=2, horizon=2)
    >>> [(len(train), test.tolist()) for train, test in splitter.split(np.arange(10.0))]
    [(4, [4, 5]), (6, [6, 7]), (8, [8, 9])]
    """

    def __init__(self, initial_window: int = 24, step: int = 12, horizon: int = 12) -> None:
        self.initial_window = initial_window
        self.step = step
        self.horizon = horizon


@component(
    id="splitter.sliding-window",
    name="Sliding-window backtest splitter",
    level="atom",
    kind="splitter",
    tasks=["forecasting"],
    summary="Backtest folds with a fixed-length training window that slides forward in time.",
    tags=["backtesting", "evaluation", "window", "fast"],
    capabilities=["univariate", "multivariate", "missing-values"],
    maturity="stable",
    owner="atomkb",
    references=["https://otexts.com/fpp3/tscv.html"],
    since="0.1.0",
)
class SlidingWindowSplitter(_WindowSplitter):
    """Backtest folds that train on the last ``window`` points before each cutoff.

    Fold ``k`` trains on points ``[k * step, k * step + window)`` and tests on the
    ``horizon`` points that follow. A fixed window forgets old behaviour, which suits
    series whose dynamics drift; all folds train on the same amount of data.

    Parameters
    ----------
    window : int, default=24
        Number of training points of every fold.
    step : int, default=12
        Points the window moves from one fold to the next.
    horizon : int, default=12
        Number of test points of every fold.

    Returns
    -------
    SlidingWindowSplitter
        ``split(y)`` yields ``(train_positions, test_positions)`` pairs of integer arrays;
        ``get_n_splits(y)`` counts them.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 5.10. https://otexts.com/fpp3/tscv.html

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.shared.splitters import SlidingWindowSplitter
    >>> splitter = SlidingWindowSplitter(window=4, step=3, horizon=2)
    >>> [(train.tolist(), test.tolist()) for train, test in splitter.split(np.arange(10.0))]
    [([0, 1, 2, 3], [4, 5]), ([3, 4, 5, 6], [7, 8])]
    """

    _expanding = False
    _window_name = "window"

    def __init__(self, window: int = 24, step: int = 12, horizon: int = 12) -> None:
        self.window = window
        self.step = step
        self.horizon = horizon
