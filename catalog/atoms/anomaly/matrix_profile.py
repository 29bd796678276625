"""Matrix-profile discords: subsequences far from their nearest neighbour."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_univariate
from catalog.atoms.anomaly.windows import point_scores, resolve_window
from catalog.base import BaseDetector

__all__ = ["MatrixProfileDetector"]


@component(
    id="anomaly.matrix-profile",
    name="Matrix profile discord detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores points by the distance of their subsequences to the nearest other subsequence.",
    tags=["matrix-profile", "distance-based", "subsequence-anomaly", "window", "interpretable"],
    capabilities=["univariate"],
    requires=["stumpy>=1.12"],
    search_space={
        "window": {"type": "int", "low": 8, "high": 512, "log": True},
        "join": {"type": "categorical", "choices": ["self", "train"]},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1109/ICDM.2016.0179", "https://doi.org/10.21105/joss.01504"],
    since="0.1.0",
)
class MatrixProfileDetector(BaseDetector):
    """Discord scores from stumpy's matrix profile, for every point of a series.

    The matrix profile gives, for each subsequence of ``window`` points, the
    z-normalised Euclidean distance to its nearest neighbour; the subsequence with the
    largest distance is the top discord, the classic definition of a subsequence
    anomaly. With ``join="self"`` each subsequence of the scored series is compared
    with the rest of that series (:func:`stumpy.stump` self-join, an exclusion zone
    keeps trivial matches out); with ``join="train"`` it is compared with the
    subsequences of the series passed to ``fit`` (AB-join), which suits a normal
    training stretch. A point's score is the mean profile value of the subsequences
    that contain it.

    Parameters
    ----------
    window : int or "auto", default="auto"
        Subsequence length in points (>= 3), about one period of the normal pattern;
        ``"auto"`` takes the dominant period of the training series (50 when it has
        none; see :func:`catalog.atoms.anomaly.windows.resolve_window`); the length
        used is ``window_``. ``window=50`` gives the behaviour before 0.2.
    join : str, default="self"
        ``"self"`` to find discords within the scored series, ``"train"`` to measure
        each subsequence against the training series.

    Returns
    -------
    MatrixProfileDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    References
    ----------
    .. [1] Yeh, C.-C.M. et al. (2016). Matrix profile I: all pairs similarity joins for
       time series. ICDM. https://doi.org/10.1109/ICDM.2016.0179
    .. [2] Law, S.M. (2019). STUMPY: a powerful and scalable Python library for time
       series data mining. JOSS, 4(39), 1504. https://doi.org/10.21105/joss.01504

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.matrix_profile import MatrixProfileDetector
    >>> y = np.sin(np.linspace(0, 30 * np.pi, 600))
    >>> y[300:310] = 0.0
    >>> scores = MatrixProfileDetector(window=20).fit(y).anomaly_score(y)
    >>> 290 <= int(np.argmax(scores)) <= 320
    True
    """

    def __init__(self, window: int | str = "auto", join: str = "self") -> None:
        self.window = window
        self.join = join

    def fit(self, y: Any, X: Any = None) -> MatrixProfileDetector:
        if self.join not in ("self", "train"):
            raise ValueError(f"join must be 'self' or 'train', found {self.join!r}")
        train = check_univariate(y, min_length=6)
        self.window_ = resolve_window(self.window, train, fallback=50, minimum=3)
        if len(train) < 2 * self.window_:
            raise ValueError(
                f"y has {len(train)} points, fewer than 2 * window = {2 * self.window_}; "
                "pass a longer series or a smaller window"
            )
        self.train_ = train
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        import stumpy

        check_is_fitted(self)
        values = check_univariate(y, min_length=2 * self.window_)
        _enable_numba_cache(stumpy)
        if self.join == "self":
            profile = stumpy.stump(values, self.window_)
        else:
            profile = stumpy.stump(values, self.window_, T_B=self.train_, ignore_trivial=False)
        distances = np.asarray(profile[:, 0], dtype=float)
        finite = np.isfinite(distances)
        # a subsequence without a valid neighbour is as far as the farthest one
        distances[~finite] = distances[finite].max() if finite.any() else 0.0
        return point_scores(distances, len(values), self.window_)


def _enable_numba_cache(stumpy: Any) -> None:
    """Let numba keep stumpy's compiled functions on disk, so only a first run compiles.

    stumpy compiles its kernels with numba on first use (tens of seconds); its functions
    are compiled without ``cache=True``. ``Dispatcher.enable_caching`` is numba's own
    switch for that (``stumpy.cache.save`` flips the same one, then recompiles
    everything); numba writes the cache beside stumpy's sources, or under
    ``NUMBA_CACHE_DIR`` when that is set or the sources are read-only. Caching is
    enabled once per process.
    """
    global _NUMBA_CACHE_ENABLED
    if _NUMBA_CACHE_ENABLED:
        return
    import importlib

    for module_name, function_name in stumpy.cache.get_njit_funcs():
        function = getattr(importlib.import_module(f"stumpy.{module_name}"), function_name)
        if hasattr(function, "enable_caching"):  # not when NUMBA_DISABLE_JIT is set
            function.enable_caching()
    _NUMBA_CACHE_ENABLED = True


_NUMBA_CACHE_ENABLED = False
