"""A scaler fitted on the training series, then an isolation forest on its windows."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.atoms.anomaly.isolation_forest import IsolationForestDetector
from catalog.base import BaseDetector, BaseSeriesTransformer
from catalog.validation import check_series

__all__ = ["ScaledIsolationForestDetector"]


@component(
    id="anomaly.scaled-isolation-forest",
    name="Scaled isolation forest detector",
    level="molecule",
    kind="pipeline",
    tasks=["anomaly-detection"],
    summary="Scales the series with training statistics, then scores it with an isolation forest.",
    tags=["tree-ensemble", "machine-learning", "scaling", "window", "subsequence-anomaly"],
    capabilities=["univariate", "multivariate", "randomized"],
    composes=["preprocessing.standard-scaler", "anomaly.isolation-forest"],
    search_space={
        "window": {"type": "int", "low": 1, "high": 128, "log": True},
        "n_estimators": {"type": "int", "low": 50, "high": 500, "log": True},
        "max_samples": {"type": "float", "low": 0.1, "high": 1.0},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1109/ICDM.2008.17"],
    since="0.1.0",
)
class ScaledIsolationForestDetector(BaseDetector):
    """Scale a series, then score it with an isolation forest on sliding windows.

    ``fit`` fits the scaler on the training series and the forest on the scaled
    training windows; ``anomaly_score`` applies the same scaler to the new series.
    An isolation forest picks its split values between each feature's minimum and
    maximum, so a per-channel affine scaler (standard, min-max, robust) leaves its
    scores unchanged: the molecule earns its keep with transformers that change the
    shape of the data (``preprocessing.difference``, ``preprocessing.log``) and as the
    template of "transform, then detect".

    Parameters
    ----------
    scaler : BaseSeriesTransformer or None, default=None
        Any catalog series transformer; ``None`` means a standard scaler.
    window : int or "auto", default="auto"
        Window length in points of the isolation forest; ``"auto"`` takes the dominant
        period of the scaled training series (1 when it has none), see
        :class:`~catalog.atoms.anomaly.isolation_forest.IsolationForestDetector`.
        ``window=1`` gives the behaviour before 0.2.
    n_estimators : int, default=100
        Number of trees.
    max_samples : float, default=1.0
        Fraction of the windows each tree is trained on.
    random_state : int or None, default=None
        Seed of the trees' randomness, for reproducible scores.

    Returns
    -------
    ScaledIsolationForestDetector
        ``fit`` returns the fitted detector; ``anomaly_score`` returns one float per
        point, higher meaning more anomalous.

    References
    ----------
    .. [1] Liu, F.T., Ting, K.M. and Zhou, Z.-H. (2008). Isolation forest. ICDM.
       https://doi.org/10.1109/ICDM.2008.17

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.molecules.anomaly_scaled_isolation_forest import (
    ...     ScaledIsolationForestDetector,
    ... )
    >>> y = 100 + 10 * np.sin(np.linspace(0, 20, 200))
    >>> y[120] = 200.0
    >>> detector = ScaledIsolationForestDetector(window=1, random_state=0)
    >>> scores = detector.fit(y).anomaly_score(y)
    >>> int(np.argmax(scores))
    120
    """

    def __init__(
        self,
        scaler: BaseSeriesTransformer | None = None,
        window: int | str = "auto",
        n_estimators: int = 100,
        max_samples: float = 1.0,
        random_state: int | None = None,
    ) -> None:
        self.scaler = scaler
        self.window = window
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, y: Any, X: Any = None) -> ScaledIsolationForestDetector:
        from catalog.atoms.shared.scaling import StandardScaler

        if self.scaler is not None and not isinstance(self.scaler, BaseSeriesTransformer):
            raise ValueError(
                f"scaler must be a catalog series transformer, found "
                f"{type(self.scaler).__name__}; e.g. preprocessing.standard-scaler"
            )
        data = check_series(y)
        self.scaler_ = clone(self.scaler) if self.scaler is not None else StandardScaler()
        self.detector_ = IsolationForestDetector(
            window=self.window,
            n_estimators=self.n_estimators,
            max_samples=self.max_samples,
            random_state=self.random_state,
        ).fit(self.scaler_.fit_transform(data))
        return self

    def anomaly_score(self, y: Any) -> np.ndarray:
        check_is_fitted(self)
        data = check_series(y, min_length=1)
        return self.detector_.anomaly_score(self.scaler_.transform(data))
