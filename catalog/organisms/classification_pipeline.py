"""End-to-end classification pipeline: normalise, extract features, classify."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.classification._panel import (
    FeatureClassifier,
    check_choice,
    make_ridge_classifier,
)
from catalog.base import BasePanelTransformer

__all__ = ["ClassificationPipeline"]

FEATURES = ("minirocket", "rocket", "summary-statistics", "interval-statistics")
CLASSIFIERS = ("ridge", "random-forest", "extra-trees", "logistic-regression")


@component(
    id="classification.pipeline",
    name="Classification pipeline",
    level="organism",
    kind="pipeline",
    tasks=["classification"],
    summary="Normalise each series, extract features, classify them: one configurable estimator.",
    tags=["feature-extraction", "machine-learning", "convolution", "tree-ensemble"],
    capabilities=["univariate", "multivariate", "randomized"],
    requires=["aeon>=1.0"],
    composes=[
        "classification.znormalize",
        "features.minirocket",
        "features.rocket",
        "features.summary-statistics",
        "features.interval-statistics",
    ],
    search_space={
        "normalize": {"type": "categorical", "choices": [True, False]},
        "features": {
            "type": "categorical",
            "choices": ["minirocket", "rocket", "summary-statistics", "interval-statistics"],
        },
        "classifier": {
            "type": "categorical",
            "choices": ["ridge", "random-forest", "extra-trees", "logistic-regression"],
        },
    },
    maturity="experimental",
    owner="atomkb",
    since="0.1.0",
)
class ClassificationPipeline(FeatureClassifier):
    """Chain per-case normalisation, a feature extractor and a tabular classifier.

    The three stages of most feature-based time-series classifiers, each one
    configurable by name (for search, e.g. by AutoML over ``search_space``) or by
    passing an object:

    1. ``classification.znormalize`` (if ``normalize``), so that shapes rather than
       offsets and scales are compared;
    2. features: ``features.minirocket``, ``features.rocket``,
       ``features.summary-statistics``, ``features.interval-statistics``, or any
       catalog ``BasePanelTransformer`` that returns a 2-D array;
    3. classifier: ``"ridge"`` (scaled ``RidgeClassifierCV``, as in the ROCKET
       papers), ``"random-forest"``, ``"extra-trees"`` (200 trees),
       ``"logistic-regression"`` (scaled), or any scikit-learn classifier.

    Objects passed in are cloned, never fitted in place. ``predict_proba`` is the
    classifier's own when it has one, else the softmax of its ``decision_function``
    (ridge): **not calibrated** probabilities.

    Parameters
    ----------
    normalize : bool, default=True
        Z-normalise every channel of every case first.
    features : str or BasePanelTransformer, default="minirocket"
        Feature extractor, by name (see above) or as a catalog transformer.
    classifier : str or scikit-learn classifier, default="ridge"
        Classifier of the features, by name (see above) or as an estimator.
    random_state : int or None, default=None
        Seed of the features and classifier chosen by name, for reproducible
        predictions (objects passed in keep their own seeds).

    Returns
    -------
    ClassificationPipeline
        ``fit`` returns the fitted pipeline (``steps_`` and ``estimator_`` hold the
        fitted parts); ``predict`` returns one label per case, ``predict_proba`` one
        column per class of ``classes_``.

    Examples
    --------
    >>> from catalog.organisms.classification_pipeline import ClassificationPipeline
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> model = ClassificationPipeline(features="summary-statistics", classifier="extra-trees",
    ...                                random_state=0)
    >>> float((model.fit(X[:16], y[:16]).predict(X[16:]) == y[16:]).mean())
    1.0
    >>> [type(step).__name__ for step in model.steps_]
    ['ZNormalizer', 'SummaryStatisticsTransformer']
    """

    def __init__(
        self,
        normalize: bool = True,
        features: Any = "minirocket",
        classifier: Any = "ridge",
        random_state: int | None = None,
    ) -> None:
        self.normalize = normalize
        self.features = features
        self.classifier = classifier
        self.random_state = random_state

    def _make_steps(self) -> list[BasePanelTransformer]:
        from catalog.atoms.classification.normalization import ZNormalizer

        steps: list[BasePanelTransformer] = [ZNormalizer()] if self.normalize else []
        return [*steps, self._make_features()]

    def _make_features(self) -> BasePanelTransformer:
        if isinstance(self.features, BasePanelTransformer):
            return self.features
        if not isinstance(self.features, str):
            raise ValueError(
                f"features must be one of {', '.join(FEATURES)} or a catalog "
                f"BasePanelTransformer, found {type(self.features).__name__}"
            )
        from catalog.atoms.classification import convolution, features

        seed = self.random_state
        return {
            "minirocket": lambda: convolution.MiniRocketTransformer(random_state=seed),
            "rocket": lambda: convolution.RocketTransformer(random_state=seed),
            "summary-statistics": lambda: features.SummaryStatisticsTransformer(),
            "interval-statistics": lambda: features.IntervalStatisticsTransformer(
                n_intervals=50, random_state=seed
            ),
        }[check_choice(self.features, "features", FEATURES)]()

    def _make_estimator(self) -> Any:
        if not isinstance(self.classifier, str):
            if not (hasattr(self.classifier, "fit") and hasattr(self.classifier, "predict")):
                raise ValueError(
                    f"classifier must be one of {', '.join(CLASSIFIERS)} or a scikit-learn "
                    f"classifier (with fit and predict), found {type(self.classifier).__name__}"
                )
            return self.classifier
        from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        seed = self.random_state
        return {
            "ridge": make_ridge_classifier,
            "random-forest": lambda: RandomForestClassifier(n_estimators=200, random_state=seed),
            "extra-trees": lambda: ExtraTreesClassifier(n_estimators=200, random_state=seed),
            "logistic-regression": lambda: make_pipeline(
                StandardScaler(), LogisticRegression(max_iter=1000)
            ),
        }[check_choice(self.classifier, "classifier", CLASSIFIERS)]()
