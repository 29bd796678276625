"""Window embeddings of a series and the way back from window scores to point scores."""

from __future__ import annotations

import numpy as np

from catalog.atoms.shared.seasonality import dominant_period

__all__ = ["point_scores", "resolve_window", "sliding_windows"]


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


def resolve_window(
    window: int | str, values: np.ndarray, *, fallback: int, minimum: int = 1
) -> int:
    """The window length to use: ``window`` itself, or the series' period when ``"auto"``.

    ``"auto"`` takes the dominant cycle of ``values`` from
    :func:`catalog.atoms.shared.seasonality.dominant_period` (the highest autocorrelation
    peak up to lag 400, as in TSB-AD, that white noise and random walks do not reach);
    when there is none it uses ``fallback``. The result is at
    least ``minimum`` and at most a quarter of the series, so that the training series
    gives several windows.

    Parameters
    ----------
    window : int or "auto"
        A fixed window length (>= ``minimum``) or ``"auto"``.
    values : numpy.ndarray
        The training series, shape (time,) or (time, channels).
    fallback : int
        Window used with ``"auto"`` when the series has no dominant period.
    minimum : int, default=1
        Smallest window the detector accepts.

    Raises
    ------
    ValueError
        When ``window`` is neither ``"auto"`` nor an int >= ``minimum``, or not shorter
        than the series.

    Returns
    -------
    int
        The window length.

    Examples
    --------
    >>> t = np.arange(1000)
    >>> resolve_window("auto", np.sin(2 * np.pi * t / 50), fallback=16)
    50
    >>> resolve_window("auto", np.random.default_rng(0).normal(size=1000), fallback=16)
    16
    >>> resolve_window(8, np.zeros(100), fallback=16)
    8
    """
    if isinstance(window, str):
        if window != "auto":
            raise ValueError(f"window must be 'auto' or an int >= {minimum}, found {window!r}")
        period = dominant_period(np.asarray(values, dtype=float), max_period=_MAX_PERIOD)
        chosen = period if period is not None else fallback
        return int(max(minimum, min(chosen, len(values) // 4)))
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < minimum:
        raise ValueError(f"window must be 'auto' or an int >= {minimum}, found {window!r}")
    if len(values) <= window:
        raise ValueError(
            f"y has {len(values)} points, not more than window={window}; pass a longer "
            "series or a smaller window"
        )
    return int(window)


_MAX_PERIOD = 400
