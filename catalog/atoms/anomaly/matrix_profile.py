"""Matrix-profile discords: subsequences far from their nearest neighbour."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_positive_int, check_univariate
from catalog.atoms.anomaly.windows import point_scores
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
    window : int, default=50
        Subsequence length in points (>= 3); about one period of the normal pattern.
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

    def __init__(self, window: int = 50, join: str = "self") -> None:
        self.window = window
        self.join = join

    def fit(self, y: Any, X: Any = None) -> MatrixProfileDetector:
        check_positive_int(self.window, "window", minimum=3)
        if self.join not in ("self", "train"):
            raise ValueError(f"join must be 'self' or 'train', found {self.join!r}")
        self.train_ = check_univariate(y, min_length=2 * self.window)
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        import stumpy

        check_is_fitted(self)
        values = check_univariate(y, min_length=2 * self.window)
        if self.join == "self":
            profile = stumpy.stump(values, self.window)
        else:
            profile = stumpy.stump(values, self.window, T_B=self.train_, ignore_trivial=False)
        distances = np.asarray(profile[:, 0], dtype=float)
        finite = np.isfinite(distances)
        # a subsequence without a valid neighbour is as far as the farthest one
        distances[~finite] = distances[finite].max() if finite.any() else 0.0
        return point_scores(distances, len(values), self.window)
