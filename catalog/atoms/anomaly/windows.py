"""Window embeddings of a series and the way back from window scores to point scores."""

from __future__ import annotations

import numpy as np

__all__ = ["point_scores", "sliding_windows"]


def sliding_windows(values: np.ndarray, window: int) -> np.ndarray:
    """All windows of ``window`` consecutive points, channels concatenated.

    ``values`` has shape (time, channels); the result has shape
    (time - window + 1, window * channels).

    Examples
    --------
    >>> sliding_windows(np.arange(4.0).reshape(-1, 1), 2).tolist()
    [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
    """
    if not isinstance(window, int | np.integer) or window < 1:
        raise ValueError(f"window must be a positive int, found {window!r}")
    if len(values) < window:
        raise ValueError(f"the series has {len(values)} points, fewer than window={window}")
    views = np.lib.stride_tricks.sliding_window_view(values, window, axis=0)
    return views.reshape(views.shape[0], -1)


def point_scores(window_scores: np.ndarray, n_points: int, window: int) -> np.ndarray:
    """Score of each point: the mean score of the windows that contain it.

    Examples
    --------
    >>> point_scores(np.array([1.0, 3.0]), 3, 2).tolist()
    [1.0, 2.0, 3.0]
    """
    totals = np.zeros(n_points)
    counts = np.zeros(n_points)
    for offset in range(window):
        totals[offset : offset + len(window_scores)] += window_scores
        counts[offset : offset + len(window_scores)] += 1
    return totals / counts
