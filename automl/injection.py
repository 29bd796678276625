"""Seeded synthetic anomalies, so detectors can be tuned without the user's labels.

When no labelled validation data exists, AutoML scores candidate detectors on anomalies
injected into the training part. :func:`inject_anomalies` adds spikes, level shifts,
noise bursts and flat (stuck-sensor) segments whose size comes from the series' own
robust spread, and returns the point labels that mark them.

May import: numpy, pandas and the standard library.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = ["KINDS", "inject_anomalies"]

_Series = TypeVar("_Series", pd.Series, pd.DataFrame, np.ndarray)
_NORMAL_MAD = 1.4826  # makes the median absolute deviation estimate a normal's std


def _robust_scale(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return 1.0
    mad = _NORMAL_MAD * float(np.median(np.abs(x - np.median(x))))
    if mad > 0:
        return mad
    std = float(x.std())
    return std if std > 0 else 1.0


def _held(x: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(x), x[np.isfinite(x)][0], x)


@dataclass(frozen=True)
class _Kind:
    point: bool  # one point wide, else ``length`` points wide
    inject: Callable[[np.ndarray, float, float, np.random.Generator], np.ndarray]


_KINDS: dict[str, _Kind] = {  # injectors take (segment, s_v, s_d, rng), see inject_anomalies
    "spike": _Kind(
        True, lambda x, s_v, s_d, rng: x + rng.choice((-1, 1)) * rng.uniform(4, 8) * s_v
    ),
    "level-shift": _Kind(
        False, lambda x, s_v, s_d, rng: x + rng.choice((-1, 1)) * rng.uniform(2, 4) * s_v
    ),
    "noise-burst": _Kind(
        False, lambda x, s_v, s_d, rng: x + rng.uniform(2, 4) * s_d * rng.standard_normal(x.size)
    ),
    "flat": _Kind(False, lambda x, s_v, s_d, rng: _held(x)),
}
KINDS: tuple[str, ...] = tuple(_KINDS)


def _as_2d_float(series: object) -> np.ndarray:
    try:
        if isinstance(series, pd.Series | pd.DataFrame):
            values = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
        else:
            values = np.array(series, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"series must hold numbers, but converting it to float failed ({err}); "
            "pass numeric values, with NaN for missing ones"
        ) from err
    if values.ndim not in (1, 2):
        raise ValueError(
            f"series must be 1-D (n,) or 2-D (n, channels), got shape {values.shape}; "
            "pass one series, or a table with one column per channel"
        )
    return values[:, None] if values.ndim == 1 else values


def _like(series: _Series, values: np.ndarray) -> _Series:
    if isinstance(series, pd.DataFrame):
        return pd.DataFrame(values, index=series.index, columns=series.columns)
    if isinstance(series, pd.Series):
        return pd.Series(values[:, 0], index=series.index, name=series.name)
    return values.reshape(np.shape(series))


def _check_count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value!r}")
    return int(value)


def _draw_starts(
    rng: np.random.Generator, widths: np.ndarray, first: int, gap: int, free: int
) -> np.ndarray:
    slack = np.sort(rng.integers(0, free + 1, size=widths.size))
    before = np.concatenate(([0], np.cumsum(widths[:-1] + gap)))
    return first + slack + before


def inject_anomalies(
    series: _Series,
    *,
    n_anomalies: int | None = None,
    kinds: Sequence[str] = KINDS,
    length: int | None = None,
    seed: int = 0,
    margin: int | None = None,
) -> tuple[_Series, np.ndarray]:
    """Inject seeded synthetic anomalies into a copy of a series and label them.

    Each anomaly is scaled by the series' own robust spread, per channel: ``s_v``, the
    normal-consistent median absolute deviation (1.4826 * MAD) of the finite values, and
    ``s_d``, the same of the first differences; each falls back to the standard deviation
    when the MAD is 0, and to 1.0 for a constant channel. Scaling the series by ``a``
    therefore scales every change by ``a``, at the same positions.

    - ``"spike"``: one point moved by a random sign times ``uniform(4, 8) * s_v``.
    - ``"level-shift"``: a segment shifted by a random sign times ``uniform(2, 4) * s_v``.
    - ``"noise-burst"``: a segment plus Gaussian noise of std ``uniform(2, 4) * s_d``.
    - ``"flat"``: a segment held at its first finite value (a stuck sensor).

    Every anomaly, ``"flat"`` included, hits one channel, drawn among those with a finite
    value in its span. Kinds are cycled over the anomalies and shuffled in time, so every
    requested kind appears when ``n_anomalies >= len(kinds)``. Positions are laid out
    over the ``n`` points where some channel is finite: none of the first ``margin`` such
    points is hit, anomalies never overlap and at least ``length`` such points separate
    two of them. NaN and infinite values stay as they are and are labelled 0; a segment
    over a NaN run spans ``length`` finite points, so NaN never swallows an anomaly.

    Parameters
    ----------
    series : pandas.Series, pandas.DataFrame or numpy.ndarray
        Shape ``(n_points,)`` or ``(n_points, channels)``; it is not modified.
    n_anomalies : int, optional
        Default: one per 500 points and at least 3, but at most ``n // 10 // length``
        (and at least 1), so that anomalies cover at most ~10% of the points.
    kinds : sequence of str, default KINDS
        Kinds to inject, from ``KINDS``.
    length : int, optional
        Points in a segment anomaly (a spike is one). Default: ``min(100, max(5, n // 100))``.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same seed gives the same output.
    margin : int, optional
        Points kept normal at the start, so a detector's first windows see normal data.
        Default: ``max(length, n // 10)``.

    Returns
    -------
    injected : same type as ``series``
        A float64 copy with the anomalies, with the same shape, index and columns.
    labels : numpy.ndarray of int, shape (n_points,)
        1 where a finite value belongs to an anomaly, else 0. A flat segment is labelled
        whole, although its first point keeps its value.

    Raises
    ------
    ValueError
        For an unknown kind, input that is 3-D, non-numeric or without finite values, a
        count below its minimum, or a series too short to hold the anomalies.

    References
    ----------
    .. [1] M. Goswami, C. Challu, L. Callot, L. Minorics and A. Kan, "Unsupervised Model
       Selection for Time-series Anomaly Detection", ICLR 2023 (arXiv:2210.01078): ranks
       detectors by, among other surrogates, their performance on injected anomalies.

    Examples
    --------
    >>> y = pd.Series(np.sin(np.arange(1000) / 10))
    >>> injected, labels = inject_anomalies(y, n_anomalies=4, seed=0)
    >>> labels.shape, int(labels.sum())  # one spike and three segments of 10 points
    ((1000,), 31)
    >>> bool((injected != y)[labels == 0].any()), bool(labels[:100].any())
    (False, False)
    """
    values = _as_2d_float(series)
    unknown = [kind for kind in kinds if kind not in _KINDS]
    if unknown or len(kinds) == 0:
        raise ValueError(
            f"unknown anomaly kinds {unknown or list(kinds)}; choose from {', '.join(KINDS)}"
        )
    finite = np.isfinite(values)
    rows = np.flatnonzero(finite.any(axis=1))
    n = rows.size
    if n == 0:
        raise ValueError(
            f"series of shape {values.shape} has no finite value to inject into; "
            "pass a series with numbers in it"
        )
    length = _check_count("length", min(100, max(5, n // 100)) if length is None else length, 1)
    if n_anomalies is None:
        n_anomalies = max(1, min(max(3, n // 500), n // 10 // length))
    n_anomalies = _check_count("n_anomalies", n_anomalies, 1)
    margin = _check_count("margin", max(length, n // 10) if margin is None else margin, 0)

    rng = np.random.default_rng(seed)
    plan = [kinds[i % len(kinds)] for i in rng.permutation(n_anomalies)]
    widths = np.array([1 if _KINDS[kind].point else length for kind in plan])
    needed = margin + int(widths.sum()) + length * (n_anomalies - 1)
    if needed > n:
        raise ValueError(
            f"series has {n} finite points, too short for {n_anomalies} anomalies "
            f"({', '.join(sorted(set(plan)))}; segments of {length}, {length} apart) after "
            f"a margin of {margin}: that needs at least {needed} points; pass fewer "
            "n_anomalies, a smaller length or margin, or a longer series"
        )
    starts = _draw_starts(rng, widths, margin, length, n - needed)

    scales = [(_robust_scale(column), _robust_scale(np.diff(column))) for column in values.T]
    labels = np.zeros(len(values), dtype=int)
    for kind, start, width in zip(plan, starts, widths, strict=True):
        span = slice(rows[start], rows[start + width - 1] + 1)
        channel = int(rng.choice(np.flatnonzero(finite[span].any(axis=0))))
        value_scale, diff_scale = scales[channel]
        values[span, channel] = _KINDS[kind].inject(
            values[span, channel], value_scale, diff_scale, rng
        )
        labels[span] |= finite[span, channel]
    return _like(series, values), labels
