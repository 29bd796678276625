"""Distance-based classifiers: nearest neighbours under dynamic time warping."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.atoms.classification._panel import (
    check_choice,
    check_fitted_panel,
    check_positive_int,
    check_training,
)
from catalog.base import BaseClassifier

__all__ = ["KNeighborsDTWClassifier"]


@component(
    id="classification.knn-dtw",
    name="1-NN DTW classifier",
    level="atom",
    kind="model",
    tasks=["classification"],
    summary="Nearest-neighbour classifier under dynamic time warping: the classic baseline.",
    tags=["distance-based", "baseline", "interpretable"],
    capabilities=["univariate", "multivariate"],
    requires=["aeon>=1.0"],
    search_space={
        "window": {"type": "float", "low": 0.0, "high": 1.0},
        "n_neighbors": {"type": "int", "low": 1, "high": 10},
        "weights": {"type": "categorical", "choices": ["uniform", "distance"]},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1007/s10618-016-0483-9"],
    since="0.1.0",
)
class KNeighborsDTWClassifier(BaseClassifier):
    """k-nearest-neighbour classification with the dynamic time warping distance.

    A case gets the label of its nearest training case (or the vote of the
    ``n_neighbors`` nearest), where the distance is DTW: the cost of the best
    alignment of two series that may stretch time locally. ``window`` limits how far
    the alignment may stray from the diagonal (a Sakoe-Chiba band). With one neighbour
    and a full window it is the 1-NN DTW baseline of the UCR archive and of the bake
    off [1]_. Wraps :class:`aeon.classification.distance_based.KNeighborsTimeSeriesClassifier`.
    Prediction costs one DTW per (test, training) pair: quadratic in the length.

    Parameters
    ----------
    window : float or None, default=None
        Warping window as a fraction of the series length, in [0, 1]; ``None`` (or 1)
        is the full window, 0 is the Euclidean distance.
    n_neighbors : int, default=1
        Number of neighbours that vote.
    weights : str, default="uniform"
        ``"uniform"`` votes or ``"distance"`` (votes weighted by inverse distance).

    Returns
    -------
    KNeighborsDTWClassifier
        ``fit`` returns the fitted classifier; ``predict`` returns one label per case
        and ``predict_proba`` the vote shares, one column per class of ``classes_``.

    See Also
    --------
    aeon.classification.distance_based.KNeighborsTimeSeriesClassifier : the classifier.

    References
    ----------
    .. [1] Bagnall, A. et al. (2017). The great time series classification bake off.
       Data Mining and Knowledge Discovery 31, 606-660.
       https://doi.org/10.1007/s10618-016-0483-9

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.classification.distance import KNeighborsDTWClassifier
    >>> t = np.linspace(0, 6, 30)
    >>> X = np.array([[np.sin(t)], [np.sin(t + 0.3)], [np.cos(2 * t)], [np.cos(2 * t + 0.3)]])
    >>> y = np.array(["slow", "slow", "fast", "fast"])
    >>> model = KNeighborsDTWClassifier(window=0.1).fit(X, y)
    >>> model.predict(np.array([[np.sin(t + 0.6)], [np.cos(2 * t - 0.2)]])).tolist()
    ['slow', 'fast']
    """

    def __init__(
        self, window: float | None = None, n_neighbors: int = 1, weights: str = "uniform"
    ) -> None:
        self.window = window
        self.n_neighbors = n_neighbors
        self.weights = weights

    def fit(self, X: Any, y: Any) -> KNeighborsDTWClassifier:
        from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier

        panel, labels = check_training(X, y)
        n_neighbors = check_positive_int(self.n_neighbors, "n_neighbors")
        if n_neighbors > len(panel):
            raise ValueError(
                f"n_neighbors={n_neighbors} exceeds the {len(panel)} training cases; "
                "lower n_neighbors"
            )
        if self.window is not None and not (
            isinstance(self.window, int | float) and 0 <= self.window <= 1
        ):
            raise ValueError(
                f"window must be a fraction of the series length in [0, 1] or None (full "
                f"window), found {self.window!r}"
            )
        self.model_ = KNeighborsTimeSeriesClassifier(
            distance="dtw",
            distance_params={"window": None if self.window is None else float(self.window)},
            n_neighbors=n_neighbors,
            weights=check_choice(self.weights, "weights", ("uniform", "distance")),
        ).fit(panel, labels)
        self.classes_ = np.asarray(self.model_.classes_)
        self.n_channels_, self.n_timepoints_ = panel.shape[1:]
        return self

    def predict(self, X: Any) -> np.ndarray:
        panel = check_fitted_panel(X, self, same_length=False)
        return np.asarray(self.model_.predict(panel))

    def predict_proba(self, X: Any) -> np.ndarray:
        panel = check_fitted_panel(X, self, same_length=False)
        return np.asarray(self.model_.predict_proba(panel), dtype=float)
