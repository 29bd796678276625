"""Hotelling's T-squared: the Mahalanobis distance of each window to normal behaviour."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_channels
from catalog.atoms.anomaly.windows import point_scores, resolve_window, sliding_windows
from catalog.base import BaseDetector
from catalog.validation import check_series, series_values

__all__ = ["MahalanobisDetector"]

_ESTIMATORS = ("ledoit-wolf", "empirical", "mcd")
_VARIANCE_FLOOR = 0.01


@component(
    id="anomaly.mahalanobis",
    name="Mahalanobis (Hotelling T-squared) detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores points by the Mahalanobis distance of their windows to the training ones.",
    tags=["statistical", "distance-based", "point-anomaly", "subsequence-anomaly", "window"],
    capabilities=["univariate", "multivariate"],
    search_space={
        "window": {"type": "int", "low": 1, "high": 128, "log": True},
        "covariance": {"type": "categorical", "choices": ["ledoit-wolf", "empirical", "mcd"]},
    },
    maturity="experimental",
    owner="atomkb",
    references=[
        "https://doi.org/10.1214/aoms/1177732979",
        "https://doi.org/10.1016/S0047-259X(03)00096-4",
    ],
    since="0.2.0",
)
class MahalanobisDetector(BaseDetector):
    """Hotelling's T-squared statistic of every window, spread back onto its points.

    The series is cut into sliding windows of ``window`` points (channels
    concatenated); each window feature is standardised with the training windows' mean
    and deviation (scikit-learn's :class:`~sklearn.preprocessing.StandardScaler`), and
    a covariance estimator from :mod:`sklearn.covariance` learns their mean and
    covariance. A window's score is its squared Mahalanobis distance to that mean,
    Hotelling's T-squared; a point's score is the mean score of the windows that
    contain it. With ``window=1`` on several channels it is the classic multivariate
    control chart of process monitoring, which weighs channels by how they move
    together: a pair of sensors that stop agreeing stands out even when each stays in
    its own range. With a window of one period on a univariate series it scores
    anomalous shapes (TSB-AD's Sub-MCD / Sub-PCA family). A feature constant in training
    counts a variance of 0.01 (a tenth of a standardised feature's spread), so a change in
    it scores high but finite.

    ``window="auto"`` takes the series' dominant period
    (:func:`catalog.atoms.anomaly.windows.resolve_window`), or 1 when it has none;
    the length used is ``window_``.

    Parameters
    ----------
    window : int or "auto", default=1
        Window length in points, or ``"auto"`` for the dominant period of the training
        series.
    covariance : str, default="ledoit-wolf"
        Covariance estimator: ``"ledoit-wolf"`` (shrunk towards a scaled identity; well
        conditioned when windows are long or channels nearly constant),
        ``"empirical"`` (the textbook T-squared) or ``"mcd"`` (minimum covariance
        determinant, robust to outliers in the training data; slow on long windows).

    Returns
    -------
    MahalanobisDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous (about the number of window features on
        normal data).

    See Also
    --------
    sklearn.covariance.LedoitWolf : the default covariance estimator.
    sklearn.covariance.MinCovDet : the robust estimator of ``covariance="mcd"``.

    References
    ----------
    .. [1] Hotelling, H. (1947). Multivariate quality control, illustrated by the air
       testing of sample bombsights. Techniques of Statistical Analysis, 111-184; see
       Hotelling, H. (1931). The generalization of Student's ratio. Annals of
       Mathematical Statistics, 2(3), 360-378. https://doi.org/10.1214/aoms/1177732979
    .. [2] Ledoit, O. and Wolf, M. (2004). A well-conditioned estimator for
       large-dimensional covariance matrices. Journal of Multivariate Analysis, 88(2),
       365-411. https://doi.org/10.1016/S0047-259X(03)00096-4

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.covariance import MahalanobisDetector
    >>> rng = np.random.default_rng(0)
    >>> common = rng.normal(size=(500, 1))
    >>> train = np.hstack([common, common + 0.1 * rng.normal(size=(500, 1))])
    >>> test = train[:100].copy()
    >>> test[60] = [1.0, -1.0]  # each channel in range, but they disagree
    >>> scores = MahalanobisDetector().fit(train).anomaly_score(test)
    >>> int(np.argmax(scores))
    60
    """

    def __init__(self, window: int | str = 1, covariance: str = "ledoit-wolf") -> None:
        self.window = window
        self.covariance = covariance

    def fit(self, y: Any, X: Any = None) -> MahalanobisDetector:
        from scipy.linalg import pinvh
        from sklearn.covariance import EmpiricalCovariance, LedoitWolf, MinCovDet
        from sklearn.preprocessing import StandardScaler

        if self.covariance not in _ESTIMATORS:
            raise ValueError(
                f"covariance must be one of {', '.join(map(repr, _ESTIMATORS))}, "
                f"found {self.covariance!r}"
            )
        values = series_values(check_series(y, min_length=3))
        self.window_ = resolve_window(self.window, values, fallback=1)
        windows = sliding_windows(values, self.window_)
        if len(windows) < 2:
            raise ValueError(
                f"y gives {len(windows)} window of {self.window_} points; pass a series "
                "longer than the window, or a smaller window"
            )
        self.scaler_ = StandardScaler().fit(windows)
        estimator = {
            "ledoit-wolf": LedoitWolf,
            "empirical": EmpiricalCovariance,
            "mcd": lambda: MinCovDet(random_state=0),
        }[self.covariance]()
        self.estimator_ = estimator.fit(self.scaler_.transform(windows))
        # A feature constant in training (variance 0; its scaler keeps unit scale) counts a
        # tenth of a standardised feature's spread, so a later change scores high but finite.
        covariance = self.estimator_.covariance_.copy()
        diagonal = np.diag_indices_from(covariance)
        covariance[diagonal] = np.maximum(covariance[diagonal], _VARIANCE_FLOOR)
        self.precision_ = pinvh(covariance)
        self.n_channels_ = values.shape[1]
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        values = series_values(check_series(y, min_length=self.window_))
        check_channels(values, self.n_channels_)
        centred = self.scaler_.transform(sliding_windows(values, self.window_))
        centred = centred - self.estimator_.location_
        t_squared = ((centred @ self.precision_) * centred).sum(axis=1)
        return point_scores(t_squared, len(values), self.window_)
