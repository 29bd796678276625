"""ROCKET-family classifier: convolutional kernel features and a ridge classifier."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.classification._panel import (
    FeatureClassifier,
    check_choice,
    make_ridge_classifier,
)
from catalog.base import BasePanelTransformer

__all__ = ["RocketClassifier"]


@component(
    id="classification.rocket",
    name="ROCKET classifier",
    level="molecule",
    kind="pipeline",
    tasks=["classification"],
    summary="MiniRocket (or ROCKET) features and a cross-validated ridge classifier.",
    tags=["convolution", "machine-learning", "benchmark"],
    capabilities=["univariate", "multivariate", "randomized"],
    requires=["aeon>=1.0"],
    composes=["features.minirocket", "features.rocket"],
    search_space={
        "variant": {"type": "categorical", "choices": ["minirocket", "rocket"]},
        "n_kernels": {"type": "int", "low": 500, "high": 20000, "log": True},
    },
    maturity="stable",
    owner="atomkb",
    references=[
        "https://doi.org/10.1145/3447548.3467231",
        "https://doi.org/10.1007/s10618-020-00701-z",
    ],
    since="0.1.0",
)
class RocketClassifier(FeatureClassifier):
    """Random-convolution features followed by a ridge classifier, as published.

    ``variant="minirocket"`` uses ``features.minirocket`` [1]_, ``"rocket"`` uses
    ``features.rocket`` [2]_. The features are scaled (without centring, as aeon does)
    and classified by scikit-learn's :class:`~sklearn.linear_model.RidgeClassifierCV`
    with the regularisation chosen among ``numpy.logspace(-3, 3, 10)`` by efficient
    leave-one-out cross-validation, the set-up of both papers.

    A ridge classifier gives scores, not probabilities: ``predict_proba`` returns the
    softmax of ``decision_function``, which ranks the classes like the ridge scores
    but is **not calibrated**; do not read it as a confidence, and prefer accuracy to
    log loss when comparing it with other classifiers.

    Parameters
    ----------
    variant : str, default="minirocket"
        ``"minirocket"`` (faster, usually as accurate) or ``"rocket"``.
    n_kernels : int, default=10000
        Number of kernels (ROCKET; two features each) or of features (MiniRocket).
    random_state : int or None, default=None
        Seed of the kernels, for reproducible predictions.

    Returns
    -------
    RocketClassifier
        ``fit`` returns the fitted classifier; ``predict`` returns one label per case,
        ``predict_proba`` softmax scores with one column per class of ``classes_``.

    See Also
    --------
    aeon.classification.convolution_based.MiniRocketClassifier : the same model in aeon.

    References
    ----------
    .. [1] Dempster, A., Schmidt, D.F. and Webb, G.I. (2021). MiniRocket: a very fast
       (almost) deterministic transform for time series classification. KDD '21.
       https://doi.org/10.1145/3447548.3467231
    .. [2] Dempster, A., Petitjean, F. and Webb, G.I. (2020). ROCKET: exceptionally
       fast and accurate time series classification using random convolutional
       kernels. Data Mining and Knowledge Discovery 34, 1454-1495.
       https://doi.org/10.1007/s10618-020-00701-z

    Examples
    --------
    >>> from catalog.molecules.classification_rocket import RocketClassifier
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> model = RocketClassifier(n_kernels=840, random_state=0).fit(X[:16], y[:16])
    >>> float((model.predict(X[16:]) == y[16:]).mean())
    1.0
    >>> model.classes_.tolist()
    ['sine', 'square']
    """

    def __init__(
        self, variant: str = "minirocket", n_kernels: int = 10000, random_state: int | None = None
    ) -> None:
        self.variant = variant
        self.n_kernels = n_kernels
        self.random_state = random_state

    def _make_steps(self) -> list[BasePanelTransformer]:
        from catalog.atoms.classification.convolution import (
            MiniRocketTransformer,
            RocketTransformer,
        )

        if check_choice(self.variant, "variant", ("minirocket", "rocket")) == "rocket":
            return [RocketTransformer(n_kernels=self.n_kernels, random_state=self.random_state)]
        return [MiniRocketTransformer(n_kernels=self.n_kernels, random_state=self.random_state)]

    def _make_estimator(self) -> Any:
        return make_ridge_classifier()
