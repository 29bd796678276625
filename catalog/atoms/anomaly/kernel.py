"""One-class SVM on standardised window embeddings of a series."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly._common import check_channels
from catalog.atoms.anomaly.windows import point_scores, resolve_window, sliding_windows
from catalog.base import BaseDetector
from catalog.validation import check_series, series_values

__all__ = ["OneClassSVMDetector"]


@component(
    id="anomaly.one-class-svm",
    name="One-class SVM detector",
    level="atom",
    kind="model",
    tasks=["anomaly-detection"],
    summary="Scores points by how far their windows fall outside the support of normal windows.",
    tags=["kernel", "machine-learning", "subsequence-anomaly", "window"],
    capabilities=["univariate", "multivariate"],
    search_space={
        "window": {"type": "int", "low": 1, "high": 128, "log": True},
        "nu": {"type": "float", "low": 0.001, "high": 0.5, "log": True},
        "kernel": {"type": "categorical", "choices": ["rbf", "linear", "sigmoid"]},
        "gamma": {"type": "float", "low": 0.001, "high": 10.0, "log": True},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1162/089976601750264965"],
    since="0.1.0",
)
class OneClassSVMDetector(BaseDetector):
    """One-class support vector machine scores for every point of a series.

    The series is cut into sliding windows of ``window`` points (channels concatenated);
    each window feature is standardised with scikit-learn's
    :class:`~sklearn.preprocessing.StandardScaler` fitted on the training windows, and
    :class:`~sklearn.svm.OneClassSVM` learns a boundary around them. A window's score is
    minus its signed distance to that boundary, so windows outside score higher; a
    point's score is the mean score of the windows that contain it. Fitting is
    quadratic in the number of windows: fit on a few thousand points of normal data.

    Parameters
    ----------
    window : int or "auto", default="auto"
        Window length in points, or ``"auto"`` for the dominant period of the
        training series (16 when it has none; see
        :func:`catalog.atoms.anomaly.windows.resolve_window`); the length used is
        ``window_``. ``window=16`` gives the behaviour before
        0.2.
    kernel : str, default="rbf"
        Kernel of the SVM: ``"rbf"``, ``"linear"``, ``"poly"`` or ``"sigmoid"``.
    nu : float, default=0.05
        Upper bound on the fraction of training windows left outside the boundary,
        in ``(0, 1]``.
    gamma : str or float, default="scale"
        Kernel coefficient (``"scale"``, ``"auto"`` or a positive float). ``"scale"``
        gives a smooth boundary that may enclose windows lying between normal ones,
        such as a flat stretch in an oscillation; a larger gamma (e.g. 0.5 on
        standardised windows) makes the boundary follow the normal windows closely.

    Returns
    -------
    OneClassSVMDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    References
    ----------
    .. [1] Schölkopf, B., Platt, J.C., Shawe-Taylor, J., Smola, A.J. and Williamson,
       R.C. (2001). Estimating the support of a high-dimensional distribution. Neural
       Computation, 13(7), 1443-1471. https://doi.org/10.1162/089976601750264965

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.kernel import OneClassSVMDetector
    >>> train = np.sin(np.linspace(0, 40, 400))
    >>> test = np.sin(np.linspace(0, 20, 200))
    >>> test[120] = 3.0
    >>> scores = OneClassSVMDetector(window=5).fit(train).anomaly_score(test)
    >>> int(np.argmax(scores))
    120
    """

    def __init__(
        self,
        window: int | str = "auto",
        kernel: str = "rbf",
        nu: float = 0.05,
        gamma: str | float = "scale",
    ) -> None:
        self.window = window
        self.kernel = kernel
        self.nu = nu
        self.gamma = gamma

    def fit(self, y: Any, X: Any = None) -> OneClassSVMDetector:
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import OneClassSVM

        if self.kernel not in ("rbf", "linear", "poly", "sigmoid"):
            raise ValueError(
                f"kernel must be one of 'rbf', 'linear', 'poly', 'sigmoid', found {self.kernel!r}"
            )
        if not isinstance(self.nu, int | float) or not 0 < self.nu <= 1:
            raise ValueError(f"nu must be a float in (0, 1], found {self.nu!r}")
        values = series_values(check_series(y, min_length=2))
        self.window_ = resolve_window(self.window, values, fallback=16)
        self.model_ = make_pipeline(
            StandardScaler(), OneClassSVM(kernel=self.kernel, nu=self.nu, gamma=self.gamma)
        ).fit(sliding_windows(values, self.window_))
        self.n_channels_ = values.shape[1]
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        values = series_values(check_series(y, min_length=self.window_))
        check_channels(values, self.n_channels_)
        window_scores = -self.model_.decision_function(sliding_windows(values, self.window_))
        return point_scores(window_scores, len(values), self.window_)
