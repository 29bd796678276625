"""Glue shared by the classification components: shape checks, probabilities, feature models.

Private: the public components are in the sibling modules and in ``catalog.molecules``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog.base import BaseClassifier, BasePanelTransformer
from catalog.validation import check_labels, check_panel

__all__ = [
    "FeatureClassifier",
    "check_choice",
    "check_fitted_panel",
    "check_positive_int",
    "check_training",
    "class_probabilities",
    "fit_steps",
    "make_ridge_classifier",
]


def check_training(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a training panel and its labels; at least two classes are needed."""
    panel = check_panel(X)
    labels = check_labels(y, len(panel))
    if len(np.unique(labels)) < 2:
        raise ValueError(
            f"y must hold at least two classes to train a classifier, found only "
            f"'{labels[0]}'; pass cases of every class"
        )
    return panel, labels


def check_fitted_panel(X: Any, fitted: Any, *, same_length: bool = True) -> np.ndarray:
    """Validate a panel against the number of channels (and length) seen in ``fit``.

    Raises :class:`~sklearn.exceptions.NotFittedError` first if ``fitted`` is not fitted.
    """
    check_is_fitted(fitted)
    panel = check_panel(X)
    expected = (fitted.n_channels_, fitted.n_timepoints_)
    found = panel.shape[1:]
    if found[0] != expected[0] or (same_length and found[1] != expected[1]):
        raise ValueError(
            f"X has {found[0]} channels of {found[1]} points but {type(fitted).__name__} was "
            f"fitted on {expected[0]} channels of {expected[1]} points; pass cases of the "
            "fitted shape"
        )
    return panel


def check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """A constructor argument that must be an int of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, found {value!r}")
    return int(value)


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """A constructor argument that must be one of a few strings."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, found {value!r}")
    return value


def class_probabilities(estimator: Any, features: np.ndarray) -> np.ndarray:
    """Class probabilities of a fitted scikit-learn classifier, one column per class.

    Uses ``predict_proba`` when the estimator has one; otherwise turns the scores of
    ``decision_function`` into a softmax. Softmax scores rank the classes like the
    decision function does but are *not calibrated* probabilities.
    """
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(features), dtype=float)
    scores = np.asarray(estimator.decision_function(features), dtype=float)
    if scores.ndim == 1:  # binary: the score is for classes_[1] against classes_[0]
        scores = np.column_stack([np.zeros_like(scores), scores])
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_steps(
    steps: list[BasePanelTransformer], panel: np.ndarray, labels: np.ndarray
) -> tuple[list[BasePanelTransformer], np.ndarray]:
    """Fit clones of ``steps`` in order on ``panel``: the fitted steps and the features."""
    fitted = [clone(step) for step in steps]
    data: Any = panel
    for step in fitted:
        data = step.fit_transform(data, labels)
    return fitted, np.asarray(data)


def make_ridge_classifier() -> Any:
    """Scaling without centring, then ridge with a leave-one-out choice of the penalty.

    The classifier of the ROCKET papers, set up as aeon does.
    """
    from sklearn.linear_model import RidgeClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(with_mean=False), RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))
    )


class FeatureClassifier(BaseClassifier):
    """A classifier made of panel transformers followed by a scikit-learn classifier.

    Subclasses say which transformers (``_make_steps``) and which classifier
    (``_make_estimator``) to use; this class fits and applies them in order.
    """

    def _make_steps(self) -> list[BasePanelTransformer]:
        raise NotImplementedError

    def _make_estimator(self) -> Any:
        raise NotImplementedError

    def fit(self, X: Any, y: Any) -> FeatureClassifier:
        panel, labels = check_training(X, y)
        steps = self._make_steps()
        estimator = self._make_estimator()  # validated before any feature is computed
        fitted_steps, features = fit_steps(steps, panel, labels)
        return self._fit_estimator(fitted_steps, estimator, features, labels, panel)

    def _fit_estimator(
        self,
        steps: list[BasePanelTransformer],
        estimator: Any,
        features: np.ndarray,
        labels: np.ndarray,
        panel: np.ndarray,
    ) -> FeatureClassifier:
        """Fit a clone of ``estimator`` on ``features`` and record the fitted state."""
        self.steps_ = steps
        self.estimator_ = clone(estimator).fit(features, labels)
        self.classes_ = self.estimator_.classes_
        self.n_channels_, self.n_timepoints_ = panel.shape[1:]
        return self

    def _features(self, X: Any) -> np.ndarray:
        data: Any = check_fitted_panel(X, self)
        for step in self.steps_:
            data = step.transform(data)
        return np.asarray(data)

    def predict(self, X: Any) -> np.ndarray:
        features = self._features(X)  # checks the fitted state first
        return self.estimator_.predict(features)

    def predict_proba(self, X: Any) -> np.ndarray:
        features = self._features(X)
        return class_probabilities(self.estimator_, features)
