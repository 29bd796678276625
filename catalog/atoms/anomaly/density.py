"""Local outlier factor on window embeddings of a series."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_channels, check_positive_int
from catalog.atoms.anomaly.windows import point_scores, resolve_window, sliding_windows
from catalog.base import BaseDetector
from catalog.validation import check_series, series_values

__all__ = ["LocalOutlierFactorDetector"]


@component(
    id="anomaly.lof",
    name="Local outlier factor detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores points by how much sparser the neighbourhood of their windows is than usual.",
    tags=["density-based", "distance-based", "machine-learning", "subsequence-anomaly", "window"],
    capabilities=["univariate", "multivariate"],
    search_space={
        "window": {"type": "int", "low": 1, "high": 128, "log": True},
        "n_neighbors": {"type": "int", "low": 5, "high": 100, "log": True},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1145/335191.335388"],
    since="0.1.0",
)
class LocalOutlierFactorDetector(BaseDetector):
    """Local outlier factor (LOF) scores for every point of a series.

    The series is cut into sliding windows of ``window`` points (channels concatenated).
    ``fit`` learns the windows of the training series with scikit-learn's
    :class:`~sklearn.neighbors.LocalOutlierFactor` in novelty mode; ``anomaly_score``
    compares the local density around each window of a new series with the density
    around its nearest training windows. A point's score is the mean LOF of the windows
    that contain it (about 1 for normal points, larger for outliers).

    Fit on a stretch of normal behaviour and score new data: scoring the training
    series itself finds every window among its own neighbours, which hides anomalies
    that occur once (they are their own nearest neighbour).

    Parameters
    ----------
    window : int or "auto", default="auto"
        Window length in points, or ``"auto"`` for the dominant period of the
        training series (16 when it has none; see
        :func:`catalog.atoms.anomaly.windows.resolve_window`); the length used is
        ``window_``. ``window=16`` gives the behaviour before
        0.2.
    n_neighbors : int, default=20
        Number of neighbours that define a window's neighbourhood.

    Returns
    -------
    LocalOutlierFactorDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    References
    ----------
    .. [1] Breunig, M.M., Kriegel, H.-P., Ng, R.T. and Sander, J. (2000). LOF:
       identifying density-based local outliers. SIGMOD.
       https://doi.org/10.1145/335191.335388

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.density import LocalOutlierFactorDetector
    >>> train = np.sin(np.linspace(0, 40, 400))
    >>> test = np.sin(np.linspace(0, 20, 200))
    >>> test[120] = 3.0
    >>> scores = LocalOutlierFactorDetector(window=5).fit(train).anomaly_score(test)
    >>> int(np.argmax(scores))
    120
    """

    def __init__(self, window: int | str = "auto", n_neighbors: int = 20) -> None:
        self.window = window
        self.n_neighbors = n_neighbors

    def fit(self, y: Any, X: Any = None) -> LocalOutlierFactorDetector:
        from sklearn.neighbors import LocalOutlierFactor

        check_positive_int(self.n_neighbors, "n_neighbors")
        values = series_values(check_series(y, min_length=2))
        self.window_ = resolve_window(self.window, values, fallback=16)
        windows = sliding_windows(values, self.window_)
        if len(windows) <= self.n_neighbors:
            raise ValueError(
                f"y gives {len(windows)} windows of {self.window_} points, not more than "
                f"n_neighbors={self.n_neighbors}; pass a longer series or fewer neighbours"
            )
        self.lof_ = LocalOutlierFactor(n_neighbors=self.n_neighbors, novelty=True).fit(windows)
        self.n_channels_ = values.shape[1]
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        values = series_values(check_series(y, min_length=self.window_))
        check_channels(values, self.n_channels_)
        window_scores = -self.lof_.score_samples(sliding_windows(values, self.window_))
        return point_scores(window_scores, len(values), self.window_)
