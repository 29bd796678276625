"""Behaviour of the classification components and datasets beyond the conformance suite."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

pytest.importorskip("aeon", reason="the classification components wrap aeon")

from catalog import find_record, load_records
from catalog.atoms.classification.convolution import (
    MiniRocketTransformer,
    RocketTransformer,
)
from catalog.atoms.classification.distance import KNeighborsDTWClassifier
from catalog.atoms.classification.features import (
    IntervalStatisticsTransformer,
    SummaryStatisticsTransformer,
)
from catalog.atoms.classification.metrics import (
    Accuracy,
    BalancedAccuracy,
    LogLoss,
    MacroF1,
)
from catalog.atoms.classification.normalization import ZNormalizer
from catalog.datasets import classification as datasets
from catalog.molecules.classification_forest import (
    IntervalForestClassifier,
    SummaryForestClassifier,
)
from catalog.molecules.classification_rocket import RocketClassifier
from catalog.organisms.classification_pipeline import ClassificationPipeline
from catalog.testing import make_panel

DATASETS = {
    "dataset.gunpoint": (datasets.GunPointDataset, 50, 150),
    "dataset.arrowhead": (datasets.ArrowHeadDataset, 36, 175),
    "dataset.italy-power-demand": (datasets.ItalyPowerDemandDataset, 67, 1029),
    "dataset.osuleaf": (datasets.OSULeafDataset, 200, 242),
    "dataset.basic-motions": (datasets.BasicMotionsDataset, 40, 40),
    "dataset.acsf1": (datasets.ACSF1Dataset, 100, 100),
}


@pytest.fixture(scope="module")
def gunpoint() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X_train, y_train = datasets.GunPointDataset(split="train").load()
    X_test, y_test = datasets.GunPointDataset(split="test").load()
    return X_train, y_train, X_test, y_test


# --- datasets ---------------------------------------------------------------------------


@pytest.mark.parametrize("component_id", sorted(DATASETS))
def test_dataset_matches_its_declared_metadata_and_split_sizes(component_id: str) -> None:
    cls, n_train, n_test = DATASETS[component_id]
    records, _ = load_records()
    info = find_record(records, component_id).meta.dataset
    X, y = cls().load()
    assert X.shape == (info.n_series, info.n_channels, info.length)
    assert len(np.unique(y)) == info.n_classes
    X_train, y_train = cls(split="train").load()
    X_test, _ = cls(split="test").load()
    assert (len(X_train), len(X_test)) == (n_train, n_test)
    assert np.array_equal(X[:n_train], X_train) and np.array_equal(y[:n_train], y_train)
    assert np.isfinite(X).all()


def test_dataset_rejects_an_unknown_split_with_the_choices() -> None:
    with pytest.raises(ValueError, match="split must be 'train', 'test' or None"):
        datasets.GunPointDataset(split="validation").load()


# --- transformers -----------------------------------------------------------------------


def test_znormalize_gives_each_channel_of_each_case_mean_0_and_std_1() -> None:
    X, _ = make_panel(n_cases=6, n_channels=3)
    X = X * np.arange(1, 7)[:, None, None] + 5.0
    X[0, 1] = 2.0  # a constant channel
    out = ZNormalizer().fit(X).transform(X)
    varying = np.ones(out.shape[:2], dtype=bool)
    varying[0, 1] = False
    assert np.allclose(out.mean(axis=2), 0.0)
    assert np.allclose(out.std(axis=2)[varying], 1.0)
    assert np.array_equal(out[0, 1], np.zeros(X.shape[2]))


def test_summary_statistics_equal_numpy_statistics_per_channel() -> None:
    X, _ = make_panel(n_cases=5, n_channels=2, n_timepoints=30)
    features = SummaryStatisticsTransformer().fit(X)
    out = features.transform(X)
    t = np.arange(X.shape[2])
    expected = {
        "mean": X.mean(axis=2),
        "std": X.std(axis=2),
        "min": X.min(axis=2),
        "max": X.max(axis=2),
        "q25": np.quantile(X, 0.25, axis=2),
        "median": np.median(X, axis=2),
        "q75": np.quantile(X, 0.75, axis=2),
        "slope": np.polyfit(t, X.reshape(-1, len(t)).T, 1)[0].reshape(5, 2),
    }
    assert out.shape == (5, len(features.feature_names_))
    for column, name in enumerate(features.feature_names_):
        statistic, channel = name[:-3], int(name[-2])
        assert np.allclose(out[:, column], expected[statistic][:, channel]), name


def test_fixed_intervals_summarise_consecutive_slices() -> None:
    X, _ = make_panel(n_cases=4, n_timepoints=40)
    out = IntervalStatisticsTransformer(n_intervals=4, interval_type="fixed").fit_transform(X)
    assert out.shape == (4, 4 * 7)
    for k in range(4):
        piece = X[:, 0, 10 * k : 10 * (k + 1)]
        assert np.allclose(out[:, 7 * k], piece.mean(axis=1))
        assert np.allclose(out[:, 7 * k + 3], piece.max(axis=1))


def test_random_intervals_depend_only_on_the_seed() -> None:
    X, _ = make_panel()
    first = IntervalStatisticsTransformer(n_intervals=10, random_state=1).fit_transform(X)
    again = IntervalStatisticsTransformer(n_intervals=10, random_state=1).fit_transform(X)
    other = IntervalStatisticsTransformer(n_intervals=10, random_state=2).fit_transform(X)
    assert np.array_equal(first, again)
    assert first.shape != other.shape or not np.allclose(first, other)


def test_interval_statistics_refuse_too_many_fixed_intervals() -> None:
    X, _ = make_panel(n_timepoints=20)
    with pytest.raises(ValueError, match="lower n_intervals"):
        IntervalStatisticsTransformer(n_intervals=10, interval_type="fixed").fit(X)


@pytest.mark.parametrize(
    "transformer",
    [
        SummaryStatisticsTransformer(),
        IntervalStatisticsTransformer(n_intervals=5, random_state=0),
        RocketTransformer(n_kernels=50, random_state=0),
        MiniRocketTransformer(n_kernels=84, random_state=0),
    ],
    ids=lambda t: type(t).__name__,
)
def test_fitted_transformers_refuse_a_different_number_of_channels(transformer) -> None:
    X, y = make_panel(n_channels=2)
    transformer.fit(X, y)
    with pytest.raises(ValueError, match="fitted on 2 channels"):
        transformer.transform(X[:, :1, :])


def test_minirocket_explains_that_series_are_too_short() -> None:
    X, _ = make_panel(n_timepoints=8)
    with pytest.raises(ValueError, match="at least 9 time points"):
        MiniRocketTransformer().fit(X)


def test_rocket_features_are_two_per_kernel_and_minirocket_a_multiple_of_84() -> None:
    X, _ = make_panel()
    assert RocketTransformer(n_kernels=30, random_state=0).fit_transform(X).shape == (24, 60)
    assert MiniRocketTransformer(n_kernels=200, random_state=0).fit_transform(X).shape == (24, 168)


# --- classifiers ------------------------------------------------------------------------


def test_dtw_with_a_zero_window_is_the_euclidean_nearest_neighbour(gunpoint) -> None:
    X_train, y_train, X_test, _ = gunpoint
    dtw = KNeighborsDTWClassifier(window=0.0).fit(X_train, y_train).predict(X_test[:40])
    euclid = KNeighborsClassifier(n_neighbors=1).fit(X_train[:, 0], y_train)
    assert np.array_equal(dtw, euclid.predict(X_test[:40, 0]))


def test_dtw_matches_a_shifted_pattern_that_euclidean_distance_misses() -> None:
    t = np.arange(60)
    bump = np.exp(-0.5 * ((t - 20) / 2.0) ** 2)
    X = np.array([[bump], [np.zeros(60)]])
    y = np.array(["bump", "flat"])
    query = np.array([[np.roll(bump, 15)]])  # the same bump, later
    assert KNeighborsDTWClassifier().fit(X, y).predict(query).tolist() == ["bump"]
    euclid = KNeighborsDTWClassifier(window=0.0).fit(X, y)
    assert euclid.predict(query).tolist() == ["flat"]


def test_dtw_rejects_a_window_outside_0_1() -> None:
    X, y = make_panel()
    with pytest.raises(ValueError, match=r"window must be a fraction .* found 5"):
        KNeighborsDTWClassifier(window=5).fit(X, y)


@pytest.mark.parametrize("variant", ["minirocket", "rocket"])
def test_rocket_classifier_learns_gunpoint_and_its_scores_agree_with_predict(
    variant: str, gunpoint
) -> None:
    X_train, y_train, X_test, y_test = gunpoint
    model = RocketClassifier(variant=variant, n_kernels=2000, random_state=0)
    pred = model.fit(X_train, y_train).predict(X_test)
    assert Accuracy()(y_test, pred) > 0.9
    proba = model.predict_proba(X_test)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(model.classes_[proba.argmax(axis=1)], pred)


def test_softmax_scores_agree_with_predict_for_three_classes() -> None:
    X_train, y_train = datasets.ArrowHeadDataset(split="train").load()
    model = RocketClassifier(n_kernels=840, random_state=0).fit(X_train, y_train)
    X_test, _ = datasets.ArrowHeadDataset(split="test").load()
    proba = model.predict_proba(X_test[:50])
    assert proba.shape == (50, 3)
    assert np.array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X_test[:50]))


def test_summary_forest_classifies_multivariate_basic_motions() -> None:
    X_train, y_train = datasets.BasicMotionsDataset(split="train").load()
    X_test, y_test = datasets.BasicMotionsDataset(split="test").load()
    model = SummaryForestClassifier(n_estimators=100, random_state=0).fit(X_train, y_train)
    assert BalancedAccuracy()(y_test, model.predict(X_test)) > 0.8
    importances = model.estimator_.feature_importances_
    assert len(importances) == len(model.steps_[0].feature_names_) == 8 * 6


def test_interval_forest_works_inside_scikit_learn_cross_validation() -> None:
    X, y = make_panel(n_cases=30)
    model = IntervalForestClassifier(n_intervals=10, n_estimators=30, random_state=0)
    scores = cross_val_score(model, X, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.8


@pytest.mark.parametrize(
    "model",
    [
        KNeighborsDTWClassifier(),
        RocketClassifier(n_kernels=84),
        SummaryForestClassifier(n_estimators=5),
        IntervalForestClassifier(n_estimators=5),
        ClassificationPipeline(features="summary-statistics"),
    ],
    ids=lambda m: type(m).__name__,
)
def test_classifiers_need_two_classes(model) -> None:
    X, _ = make_panel(n_cases=6)
    with pytest.raises(ValueError, match="at least two classes"):
        model.fit(X, np.array(["a"] * 6))


# --- organism ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("features", "classifier"),
    [
        ("minirocket", "ridge"),
        ("rocket", "logistic-regression"),
        ("summary-statistics", "random-forest"),
        ("interval-statistics", "extra-trees"),
    ],
)
def test_pipeline_builds_each_named_configuration(features: str, classifier: str) -> None:
    X, y = make_panel()
    model = ClassificationPipeline(
        normalize=True, features=features, classifier=classifier, random_state=0
    )
    pred = model.fit(X[:16], y[:16]).predict(X[16:])
    assert Accuracy()(y[16:], pred) == 1.0
    assert np.allclose(model.predict_proba(X[16:]).sum(axis=1), 1.0)


def test_pipeline_clones_the_objects_it_is_given() -> None:
    X, y = make_panel()
    features = SummaryStatisticsTransformer(slope=False)
    classifier = KNeighborsClassifier(n_neighbors=3)
    model = ClassificationPipeline(normalize=False, features=features, classifier=classifier)
    model.fit(X, y)
    assert not hasattr(features, "feature_names_") and not hasattr(classifier, "classes_")
    assert model.steps_[0].feature_names_[0] == "mean[0]" and len(model.steps_) == 1
    assert clone(model).get_params()["classifier"].n_neighbors == 3


def test_pipeline_names_the_choices_when_given_an_unknown_one() -> None:
    X, y = make_panel()
    with pytest.raises(ValueError, match="features must be one of 'minirocket'"):
        ClassificationPipeline(features="wavelets").fit(X, y)
    with pytest.raises(ValueError, match="classifier must be one of"):
        ClassificationPipeline(classifier=object()).fit(X, y)


def level_panel(n_cases: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random walks whose class is their level: z-normalising erases the only signal."""
    rng = np.random.default_rng(seed)
    y = np.array(["low", "high"] * (n_cases // 2))
    walks = rng.normal(0, 0.3, (n_cases, 1, 60)).cumsum(axis=2)
    return walks + np.where(y == "high", 2.0, 0.0)[:, None, None], y


def shape_panel(n_cases: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sines and square waves at scales over four decades and random offsets: the
    class is the shape, level and scale are noise."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 4 * np.pi, 60)
    y = np.array(["sine", "square"] * (n_cases // 2))
    phase = rng.uniform(0, 1, (n_cases, 1))
    shape = np.where((y == "sine")[:, None], np.sin(t + phase), np.sign(np.sin(t + phase)))
    scale = 10 ** rng.uniform(-2, 2, (n_cases, 1))
    X = (shape + rng.normal(0, 0.3, shape.shape) + rng.normal(0, 3, (n_cases, 1))) * scale
    return X[:, None, :], y


def test_pipeline_auto_records_its_choice_and_the_fold_scores_of_both_variants() -> None:
    X, y = make_panel()
    model = ClassificationPipeline(random_state=0).fit(X, y)
    assert model.normalize_ in (True, False)
    assert sorted(model.normalize_cv_scores_) == [False, True]
    for scores in model.normalize_cv_scores_.values():
        assert scores.shape == (5,) and ((scores >= 0) & (scores <= 1)).all()
    raw_wins = model.normalize_cv_scores_[False].mean() > model.normalize_cv_scores_[True].mean()
    assert model.normalize_ is not raw_wins
    assert isinstance(model.steps_[0], ZNormalizer) is model.normalize_


def test_pipeline_auto_keeps_raw_series_when_their_level_carries_the_class() -> None:
    X_train, y_train = level_panel(40, seed=0)
    X_test, y_test = level_panel(100, seed=1)
    auto = ClassificationPipeline(random_state=0).fit(X_train, y_train)
    znorm = ClassificationPipeline(normalize=True, random_state=0).fit(X_train, y_train)
    assert auto.normalize_ is False
    assert auto.normalize_cv_scores_[False].mean() > auto.normalize_cv_scores_[True].mean()
    auto_accuracy = Accuracy()(y_test, auto.predict(X_test))
    znorm_accuracy = Accuracy()(y_test, znorm.predict(X_test))
    assert auto_accuracy >= 0.85 and znorm_accuracy <= 0.7


def test_pipeline_auto_z_normalises_when_the_shape_carries_the_class() -> None:
    X_train, y_train = shape_panel(40, seed=0)
    X_test, y_test = shape_panel(100, seed=1)
    auto = ClassificationPipeline(random_state=0).fit(X_train, y_train)
    raw = ClassificationPipeline(normalize=False, random_state=0).fit(X_train, y_train)
    assert auto.normalize_ is True and isinstance(auto.steps_[0], ZNormalizer)
    assert Accuracy()(y_test, auto.predict(X_test)) > Accuracy()(y_test, raw.predict(X_test))


def test_pipeline_auto_keeps_z_normalisation_on_a_tie() -> None:
    X, y = make_panel()
    X = ZNormalizer().fit_transform(X)  # raw and z-normalised are now the same cases
    model = ClassificationPipeline(features="summary-statistics", random_state=0).fit(X, y)
    scores = model.normalize_cv_scores_
    assert np.array_equal(scores[True], scores[False]) and model.normalize_ is True


def test_pipeline_auto_keeps_z_normalisation_when_a_class_is_too_small_to_split() -> None:
    X, y = make_panel(n_cases=9)
    y = np.array([*y[:8], "triangle"])
    model = ClassificationPipeline(features="summary-statistics", random_state=0).fit(X, y)
    assert model.normalize_ is True and model.normalize_cv_scores_ == {}


@pytest.mark.parametrize("normalize", [True, False])
def test_pipeline_with_fixed_normalisation_is_minirocket_and_ridge_as_before(
    normalize: bool,
) -> None:
    X, y = make_panel()
    model = ClassificationPipeline(normalize=normalize, random_state=0).fit(X[:16], y[:16])
    reference_input = ZNormalizer().fit_transform(X) if normalize else X
    reference = RocketClassifier(random_state=0).fit(reference_input[:16], y[:16])
    assert model.normalize_ is normalize and model.normalize_cv_scores_ == {}
    assert [type(step) for step in model.steps_][:-1] == ([ZNormalizer] if normalize else [])
    assert np.allclose(model.predict_proba(X[16:]), reference.predict_proba(reference_input[16:]))


@pytest.mark.parametrize("normalize", ["yes", None, 1])
def test_pipeline_names_normalize_when_it_is_not_auto_true_or_false(normalize) -> None:
    X, y = make_panel()
    with pytest.raises(ValueError, match="normalize must be 'auto', True or False"):
        ClassificationPipeline(normalize=normalize).fit(X, y)


# --- metrics ----------------------------------------------------------------------------


def test_balanced_accuracy_gives_a_majority_vote_one_over_the_classes() -> None:
    y_true = np.array(["a"] * 8 + ["b", "c"])
    majority = np.array(["a"] * 10)
    assert Accuracy()(y_true, majority) == 0.8
    assert BalancedAccuracy()(y_true, majority) == pytest.approx(1 / 3)


def test_macro_f1_averages_the_f1_of_each_class() -> None:
    y_true = np.array([0, 0, 0, 1, 1, 2])
    y_pred = np.array([0, 0, 1, 1, 2, 2])
    per_class = []
    for label in (0, 1, 2):
        tp = np.sum((y_pred == label) & (y_true == label))
        precision, recall = tp / np.sum(y_pred == label), tp / np.sum(y_true == label)
        per_class.append(2 * precision * recall / (precision + recall))
    assert MacroF1()(y_true, y_pred) == pytest.approx(np.mean(per_class))


def test_log_loss_follows_the_column_order_given_by_labels() -> None:
    y_true = np.array(["b", "a", "b"])
    proba = np.array([[0.3, 0.7], [0.6, 0.4], [0.1, 0.9]])
    expected = -np.mean(np.log([0.7, 0.6, 0.9]))
    assert LogLoss()(y_true, proba) == pytest.approx(expected)
    assert LogLoss()(y_true, proba[:, ::-1], labels=["b", "a"]) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("proba", "context", "message"),
    [
        ([[0.5, 0.5], [0.5, 0.5]], {"labels": ["a", "b", "c"]}, "3 labels"),
        ([[0.5, 0.6], [0.5, 0.5]], {}, "summing to 1"),
        ([0.5, 0.5], {}, "2-D array"),
        ([[0.5, 0.5], [0.5, 0.5]], {"labels": ["a", "c"]}, "missing from labels"),
    ],
)
def test_log_loss_explains_malformed_probabilities(proba, context, message) -> None:
    with pytest.raises(ValueError, match=message):
        LogLoss()(np.array(["a", "b"]), np.array(proba), **context)
