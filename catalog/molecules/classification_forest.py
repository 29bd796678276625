"""Tree-ensemble classifiers on summary features of whole series or of intervals."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.classification._panel import (
    FeatureClassifier,
    check_choice,
    check_positive_int,
)
from catalog.base import BasePanelTransformer

__all__ = ["IntervalForestClassifier", "SummaryForestClassifier"]

_FORESTS = ("random-forest", "extra-trees")


def _forest(forest: str, n_estimators: int, random_state: int | None) -> Any:
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

    model = {"random-forest": RandomForestClassifier, "extra-trees": ExtraTreesClassifier}[
        check_choice(forest, "forest", _FORESTS)
    ]
    return model(
        n_estimators=check_positive_int(n_estimators, "n_estimators"), random_state=random_state
    )


@component(
    id="classification.summary-forest",
    name="Summary-statistics forest",
    level="molecule",
    kind="pipeline",
    tasks=["classification"],
    summary="Random forest on the mean, spread, extremes, quartiles and slope of each channel.",
    tags=["tree-ensemble", "feature-extraction", "baseline", "fast", "interpretable"],
    capabilities=["univariate", "multivariate", "probabilistic", "randomized"],
    requires=["aeon>=1.0"],
    composes=["features.summary-statistics"],
    search_space={
        "n_estimators": {"type": "int", "low": 50, "high": 500, "log": True},
        "forest": {"type": "categorical", "choices": ["random-forest", "extra-trees"]},
    },
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class SummaryForestClassifier(FeatureClassifier):
    """Classify series by simple statistics of each channel with a tree ensemble.

    ``features.summary-statistics`` turns each case into its mean, standard
    deviation, minimum, maximum, quartiles and slope per channel; a scikit-learn
    random forest (or extra-trees) classifies those features. A fast, interpretable
    baseline (``estimator_.feature_importances_`` names what matters through
    ``steps_[0].feature_names_``), strong when the classes differ in level, spread or
    trend and weak when they differ only in shape.

    Parameters
    ----------
    n_estimators : int, default=200
        Number of trees.
    forest : str, default="random-forest"
        ``"random-forest"`` or ``"extra-trees"``.
    random_state : int or None, default=None
        Seed of the trees, for reproducible predictions.

    Returns
    -------
    SummaryForestClassifier
        ``fit`` returns the fitted classifier; ``predict`` returns one label per case,
        ``predict_proba`` the share of trees voting for each class of ``classes_``.

    See Also
    --------
    aeon.classification.feature_based.SummaryClassifier : the same idea in aeon.

    Examples
    --------
    >>> from catalog.molecules.classification_forest import SummaryForestClassifier
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> model = SummaryForestClassifier(n_estimators=50, random_state=0).fit(X[:16], y[:16])
    >>> float((model.predict(X[16:]) == y[16:]).mean())
    1.0
    >>> model.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        n_estimators: int = 200,
        forest: str = "random-forest",
        random_state: int | None = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.forest = forest
        self.random_state = random_state

    def _make_steps(self) -> list[BasePanelTransformer]:
        from catalog.atoms.classification.features import SummaryStatisticsTransformer

        return [SummaryStatisticsTransformer()]

    def _make_estimator(self) -> Any:
        return _forest(self.forest, self.n_estimators, self.random_state)


@component(
    id="classification.interval-forest",
    name="Interval forest",
    level="molecule",
    kind="pipeline",
    tasks=["classification"],
    summary="Tree ensemble on summary statistics of random intervals, like a time series forest.",
    tags=["tree-ensemble", "interval-based", "feature-extraction", "interpretable"],
    capabilities=["univariate", "multivariate", "probabilistic", "randomized"],
    requires=["aeon>=1.0"],
    composes=["features.interval-statistics"],
    search_space={
        "n_intervals": {"type": "int", "low": 4, "high": 200, "log": True},
        "interval_type": {"type": "categorical", "choices": ["random", "fixed"]},
        "n_estimators": {"type": "int", "low": 50, "high": 500, "log": True},
        "forest": {"type": "categorical", "choices": ["random-forest", "extra-trees"]},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1016/j.ins.2013.02.030"],
    since="0.1.0",
)
class IntervalForestClassifier(FeatureClassifier):
    """Classify series by statistics of their intervals with a tree ensemble.

    ``features.interval-statistics`` summarises ``n_intervals`` intervals (random or
    fixed) of each case by seven statistics; a scikit-learn extra-trees (default) or
    random forest classifies them. Unlike the time series forest [1]_, which draws
    new intervals for every tree, the intervals are drawn once and shared by all
    trees: simpler and faster, usually a little less accurate.

    Parameters
    ----------
    n_intervals : int, default=50
        Number of intervals (see ``features.interval-statistics``).
    interval_type : str, default="random"
        ``"random"`` or ``"fixed"`` intervals.
    n_estimators : int, default=200
        Number of trees.
    forest : str, default="extra-trees"
        ``"extra-trees"`` or ``"random-forest"``.
    random_state : int or None, default=None
        Seed of the intervals and the trees, for reproducible predictions.

    Returns
    -------
    IntervalForestClassifier
        ``fit`` returns the fitted classifier; ``predict`` returns one label per case,
        ``predict_proba`` the share of trees voting for each class of ``classes_``.

    See Also
    --------
    aeon.classification.interval_based.TimeSeriesForestClassifier : the original.

    References
    ----------
    .. [1] Deng, H., Runger, G., Tuv, E. and Vladimir, M. (2013). A time series forest
       for classification and feature extraction. Information Sciences 239, 142-153.
       https://doi.org/10.1016/j.ins.2013.02.030

    Examples
    --------
    >>> from catalog.molecules.classification_forest import IntervalForestClassifier
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> model = IntervalForestClassifier(n_estimators=50, random_state=0)
    >>> float((model.fit(X[:16], y[:16]).predict(X[16:]) == y[16:]).mean())
    1.0
    """

    def __init__(
        self,
        n_intervals: int = 50,
        interval_type: str = "random",
        n_estimators: int = 200,
        forest: str = "extra-trees",
        random_state: int | None = None,
    ) -> None:
        self.n_intervals = n_intervals
        self.interval_type = interval_type
        self.n_estimators = n_estimators
        self.forest = forest
        self.random_state = random_state

    def _make_steps(self) -> list[BasePanelTransformer]:
        from catalog.atoms.classification.features import IntervalStatisticsTransformer

        return [
            IntervalStatisticsTransformer(
                n_intervals=self.n_intervals,
                interval_type=self.interval_type,
                random_state=self.random_state,
            )
        ]

    def _make_estimator(self) -> Any:
        return _forest(self.forest, self.n_estimators, self.random_state)
