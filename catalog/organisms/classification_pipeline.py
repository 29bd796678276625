"""End-to-end classification pipeline: normalise, extract features, classify."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.atoms.classification._panel import (
    FeatureClassifier,
    check_choice,
    check_training,
    fit_steps,
    make_ridge_classifier,
)
from catalog.base import BasePanelTransformer

__all__ = ["ClassificationPipeline"]

FEATURES = ("minirocket", "rocket", "summary-statistics", "interval-statistics")
CLASSIFIERS = ("ridge", "random-forest", "extra-trees", "logistic-regression")
MAX_FOLDS = 5


@component(
    id="classification.pipeline",
    name="Classification pipeline",
    level="organism",
    kind="pipeline",
    tasks=["classification"],
    summary="Normalise (or not, by cross-validation), extract features, classify: one estimator.",
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
        "normalize": {"type": "categorical", "choices": ["auto", True, False]},
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

    1. ``classification.znormalize`` or none: with ``normalize="auto"`` (the default)
       ``fit`` chooses by cross-validation on the training cases (below); ``True``
       always z-normalises (shapes rather than offsets and scales are compared),
       ``False`` never does (the level and the scale of a series can carry its class);
    2. features: ``features.minirocket``, ``features.rocket``,
       ``features.summary-statistics``, ``features.interval-statistics``, or any
       catalog ``BasePanelTransformer`` that returns a 2-D array;
    3. classifier: ``"ridge"`` (scaled ``RidgeClassifierCV``, as in the ROCKET
       papers), ``"random-forest"``, ``"extra-trees"`` (200 trees),
       ``"logistic-regression"`` (scaled), or any scikit-learn classifier.

    **The automatic choice.** The features of both variants, z-normalised and raw,
    are computed once on all the training cases; the classifier is then scored on
    each by stratified k-fold cross-validation (scikit-learn's ``StratifiedKFold``
    and ``cross_val_score``, ``k`` = 5 or the size of the smallest class if smaller,
    the same folds for both). Raw is kept only if its mean accuracy is strictly
    higher; a tie, or a training set whose smallest class has a single case (no
    stratified folds), keeps z-normalisation. The classifier is then fitted on all
    the training cases of the chosen variant, whose features are already computed:
    a fit costs the features twice and ``2k + 1`` classifier fits. The feature
    extractors are fitted once per variant, not per fold: exact for the catalog's
    extractors, which learn nothing from the labels, optimistic for both variants
    alike with an extractor that does. The choice is recorded in ``normalize_``
    and the fold accuracies in ``normalize_cv_scores_``.

    Objects passed in are cloned, never fitted in place. ``predict_proba`` is the
    classifier's own when it has one, else the softmax of its ``decision_function``
    (ridge): **not calibrated** probabilities.

    Parameters
    ----------
    normalize : {"auto", True, False}, default="auto"
        Z-normalise every channel of every case first: chosen by cross-validation
        on the training cases (``"auto"``), always (``True``) or never (``False``).
    features : str or BasePanelTransformer, default="minirocket"
        Feature extractor, by name (see above) or as a catalog transformer.
    classifier : str or scikit-learn classifier, default="ridge"
        Classifier of the features, by name (see above) or as an estimator.
    random_state : int or None, default=None
        Seed of the features and classifier chosen by name and of the shuffled
        cross-validation folds, for reproducible predictions (objects passed in keep
        their own seeds).

    Returns
    -------
    ClassificationPipeline
        ``fit`` returns the fitted pipeline: ``steps_`` and ``estimator_`` hold the
        fitted parts, ``normalize_`` whether it z-normalises, and
        ``normalize_cv_scores_`` the fold accuracies of each variant, keyed by
        ``True`` (z-normalised) and ``False`` (raw); empty when ``normalize`` was
        fixed or the classes too small to cross-validate. ``predict`` returns one
        label per case, ``predict_proba`` one column per class of ``classes_``.

    See Also
    --------
    sklearn.model_selection.StratifiedKFold : the folds of the automatic choice.

    Examples
    --------
    >>> from catalog.organisms.classification_pipeline import ClassificationPipeline
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> model = ClassificationPipeline(normalize=True, features="summary-statistics",
    ...                                classifier="extra-trees", random_state=0)
    >>> float((model.fit(X[:16], y[:16]).predict(X[16:]) == y[16:]).mean())
    1.0
    >>> [type(step).__name__ for step in model.steps_], model.normalize_cv_scores_
    (['ZNormalizer', 'SummaryStatisticsTransformer'], {})

    With the default ``normalize="auto"``, when the level of a series carries its
    class (z-normalisation would erase it), cross-validation keeps the raw series:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = np.array(["low", "high"] * 10)
    >>> X = rng.normal(size=(20, 1, 30)) + np.where(y == "high", 5.0, 0.0)[:, None, None]
    >>> model = ClassificationPipeline(features="summary-statistics", classifier="extra-trees",
    ...                                random_state=0).fit(X, y)
    >>> model.normalize_, float(model.normalize_cv_scores_[False].mean())
    (False, 1.0)
    """

    def __init__(
        self,
        normalize: bool | str = "auto",
        features: Any = "minirocket",
        classifier: Any = "ridge",
        random_state: int | None = None,
    ) -> None:
        self.normalize = normalize
        self.features = features
        self.classifier = classifier
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> ClassificationPipeline:
        normalize = self._check_normalize()
        if normalize != "auto":
            super().fit(X, y)
            self.normalize_, self.normalize_cv_scores_ = bool(normalize), {}
            return self
        panel, labels = check_training(X, y)
        estimator = self._make_estimator()  # validated before any feature is computed
        variants = {
            choice: fit_steps(self._steps_for(choice), panel, labels) for choice in (True, False)
        }
        scores = self._cross_validate(estimator, variants, labels)
        # Raw only when strictly better: a tie keeps the shape-based default.
        chosen = not scores or not scores[False].mean() > scores[True].mean()
        steps, features = variants[chosen]
        self._fit_estimator(steps, estimator, features, labels, panel)
        self.normalize_, self.normalize_cv_scores_ = chosen, scores
        return self

    def _check_normalize(self) -> bool | str:
        if isinstance(self.normalize, bool | np.bool_) or self.normalize == "auto":
            return self.normalize
        raise ValueError(f"normalize must be 'auto', True or False, found {self.normalize!r}")

    def _cross_validate(
        self,
        estimator: Any,
        variants: dict[bool, tuple[list[BasePanelTransformer], np.ndarray]],
        labels: np.ndarray,
    ) -> dict[bool, np.ndarray]:
        """Fold accuracies of ``estimator`` on the features of each variant (same folds)."""
        from sklearn.model_selection import StratifiedKFold, cross_val_score

        smallest_class = int(np.unique(labels, return_counts=True)[1].min())
        n_splits = min(MAX_FOLDS, smallest_class)
        if n_splits < 2:
            return {}
        folds = list(
            StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state).split(
                np.zeros(len(labels)), labels
            )
        )
        return {
            choice: cross_val_score(estimator, features, labels, cv=folds)
            for choice, (_, features) in variants.items()
        }

    def _make_steps(self) -> list[BasePanelTransformer]:
        return self._steps_for(bool(self._check_normalize()))

    def _steps_for(self, normalize: bool) -> list[BasePanelTransformer]:
        from catalog.atoms.classification.normalization import ZNormalizer

        steps: list[BasePanelTransformer] = [ZNormalizer()] if normalize else []
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
