"""Isolation forest on window embeddings of a series."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_channels
from catalog.atoms.anomaly.windows import point_scores, resolve_window, sliding_windows
from catalog.base import BaseDetector
from catalog.validation import check_series, series_values

__all__ = ["IsolationForestDetector"]


@component(
    id="anomaly.isolation-forest",
    name="Isolation forest detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores points by how easily random trees isolate the windows that contain them.",
    tags=["tree-ensemble", "machine-learning", "point-anomaly", "subsequence-anomaly", "window"],
    capabilities=["univariate", "multivariate", "randomized"],
    search_space={
        "window": {"type": "int", "low": 1, "high": 128, "log": True},
        "n_estimators": {"type": "int", "low": 50, "high": 500, "log": True},
        "max_samples": {"type": "float", "low": 0.1, "high": 1.0},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/ICDM.2008.17"],
    since="0.1.0",
)
class IsolationForestDetector(BaseDetector):
    """Isolation forest anomaly scores for every point of a series.

    The series is cut into sliding windows of ``window`` points (all channels
    concatenated); scikit-learn's :class:`~sklearn.ensemble.IsolationForest` learns how
    deep a random tree must go to isolate each window. A point's score is the mean score
    of the windows that contain it, with the sign flipped so that higher means more
    anomalous.

    Parameters
    ----------
    window : int or "auto", default="auto"
        Window length in points, or ``"auto"`` for the dominant period of the
        training series (1 when it has none; see
        :func:`catalog.atoms.anomaly.windows.resolve_window`); the length used is
        ``window_``. ``window=1`` scores single values (the
        behaviour before 0.2), larger windows catch anomalous shapes.
    n_estimators : int, default=100
        Number of trees.
    max_samples : float, default=1.0
        Fraction of the windows each tree is trained on.
    random_state : int or None, default=None
        Seed of the trees' randomness, for reproducible scores.

    Returns
    -------
    IsolationForestDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    References
    ----------
    .. [1] Liu, F.T., Ting, K.M. and Zhou, Z.-H. (2008). Isolation forest. ICDM.
       https://doi.org/10.1109/ICDM.2008.17

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.isolation_forest import IsolationForestDetector
    >>> y = np.sin(np.linspace(0, 20, 200))
    >>> y[120] = 5.0
    >>> scores = IsolationForestDetector(window=1, random_state=0).fit(y).anomaly_score(y)
    >>> int(np.argmax(scores))
    120
    """

    def __init__(
        self,
        window: int | str = "auto",
        n_estimators: int = 100,
        max_samples: float = 1.0,
        random_state: int | None = None,
    ) -> None:
        self.window = window
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, y: Any, X: Any = None) -> IsolationForestDetector:
        from sklearn.ensemble import IsolationForest

        values = series_values(check_series(y, min_length=2))
        self.window_ = resolve_window(self.window, values, fallback=1)
        self.forest_ = IsolationForest(
            n_estimators=self.n_estimators,
            max_samples=self.max_samples,
            random_state=self.random_state,
        ).fit(sliding_windows(values, self.window_))
        self.n_channels_ = values.shape[1]
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        values = series_values(check_series(y, min_length=self.window_))
        check_channels(values, self.n_channels_)
        window_scores = -self.forest_.score_samples(sliding_windows(values, self.window_))
        return point_scores(window_scores, len(values), self.window_)
