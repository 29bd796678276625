"""Behaviour of the anomaly-detection components: detectors, thresholds, metrics, datasets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalog import load_records
from catalog.atoms.anomaly.density import LocalOutlierFactorDetector
from catalog.atoms.anomaly.isolation_forest import IsolationForestDetector
from catalog.atoms.anomaly.kernel import OneClassSVMDetector
from catalog.atoms.anomaly.metrics import (
    AveragePrecision,
    PointF1,
    PointPrecision,
    PointRecall,
    VolumeUnderPRSurface,
)
from catalog.atoms.anomaly.range_metrics import RangeF1, RangePrecision, RangeRecall
from catalog.atoms.anomaly.thresholds import (
    KSigmaThreshold,
    QuantileThreshold,
    TopKThreshold,
    anomalous_ranges,
)
from catalog.atoms.anomaly.zscore import RobustZScoreDetector, RollingZScoreDetector
from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
from catalog.datasets.anomaly import (
    DaphnetS06R02E0Dataset,
    MITDBECGDataset,
    UCRAnomaly135Dataset,
    YahooS5ExcerptDataset,
)
from catalog.molecules.anomaly_detector_threshold import ThresholdedDetector
from catalog.molecules.anomaly_forecast_residual import ForecastResidualDetector
from catalog.molecules.anomaly_scaled_isolation_forest import ScaledIsolationForestDetector
from catalog.organisms.anomaly_pipeline import AnomalyPipeline


def _sine(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.sin(2 * np.pi * np.arange(n) / 25) + rng.normal(0, 0.05, n)


def _noise_with_burst(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    train = 10 + rng.normal(0, 1, 500)
    test = 10 + rng.normal(0, 1, 300)
    test[200:204] += 9.0
    return train, test


# --- ranges and thresholds -----------------------------------------------------------


def test_anomalous_ranges_are_runs_of_ones_with_inclusive_ends() -> None:
    assert anomalous_ranges([1, 1, 0, 1, 0, 0, 1]) == [(0, 1), (3, 3), (6, 6)]
    assert anomalous_ranges([0, 0, 0]) == []
    assert anomalous_ranges(np.ones(4, dtype=int)) == [(0, 3)]


def test_anomalous_ranges_refuses_labels_that_are_not_0_or_1() -> None:
    with pytest.raises(ValueError, match="0/1 anomaly labels"):
        anomalous_ranges([0, 2, 1])


def test_quantile_threshold_flags_the_share_above_the_quantile() -> None:
    scores = np.random.default_rng(0).normal(size=10_000)
    labels = QuantileThreshold(q=0.95).fit(scores).predict(scores)
    assert labels.mean() == pytest.approx(0.05, abs=0.001)


def test_k_sigma_threshold_learns_mean_plus_k_deviations() -> None:
    train = np.random.default_rng(0).normal(5.0, 2.0, 5000)
    threshold = KSigmaThreshold(k=3.0).fit(train)
    assert threshold.threshold_ == pytest.approx(train.mean() + 3 * train.std())
    assert threshold.predict([train.mean(), train.mean() + 3.1 * train.std()]).tolist() == [0, 1]


def test_top_k_threshold_flags_exactly_k_points_of_the_scored_series() -> None:
    threshold = TopKThreshold(k=3).fit(np.arange(10.0))
    other = np.array([5.0, 9.0, 1.0, 8.0, 7.0, 0.0])
    assert threshold.predict(other).tolist() == [0, 1, 0, 1, 1, 0]
    assert threshold.ranges(other) == [(1, 1), (3, 4)]


@pytest.mark.parametrize(
    ("threshold", "message"),
    [(QuantileThreshold(q=1.5), "q must be"), (KSigmaThreshold(k=-1), "k must be")],
)
def test_threshold_refuses_invalid_parameters(threshold, message) -> None:
    with pytest.raises(ValueError, match=message):
        threshold.fit(np.arange(10.0))


def test_threshold_refuses_multichannel_scores() -> None:
    with pytest.raises(ValueError, match="1-D"):
        QuantileThreshold().fit(np.zeros((10, 2)))


# --- detectors ------------------------------------------------------------------------


def test_robust_zscore_is_not_masked_by_a_nearby_spike_unlike_the_plain_one() -> None:
    y = np.random.default_rng(0).normal(0, 1, 300)
    y[[100, 105]] += 20.0
    plain = RollingZScoreDetector(window=20).fit(y).anomaly_score(y)
    robust = RobustZScoreDetector(window=20).fit(y).anomaly_score(y)
    # the first spike inflates the standard deviation of the second one's window
    assert robust[105] > 3 * plain[105]
    assert robust[105] > 10


@pytest.mark.parametrize("detector_class", [RollingZScoreDetector, RobustZScoreDetector])
def test_zscores_do_not_change_when_the_series_is_shifted_and_scaled(detector_class) -> None:
    y = _sine(300, seed=1)
    y[150] += 3
    scores = detector_class(window=30).fit(y).anomaly_score(y)
    moved = 50 + 7 * y
    assert np.allclose(detector_class(window=30).fit(moved).anomaly_score(moved), scores)


@pytest.mark.parametrize(
    "detector",
    [
        IsolationForestDetector(window=10, random_state=0),
        LocalOutlierFactorDetector(window=10),
        # gamma="scale" is too smooth here: the flat window sits at the centre of the
        # ring of sine windows and counts as inside their support
        OneClassSVMDetector(window=10, gamma=0.5),
    ],
    ids=["isolation-forest", "lof", "one-class-svm"],
)
def test_window_detectors_trained_on_normal_data_flag_an_anomalous_shape(detector) -> None:
    train, test = _sine(600, seed=0), _sine(400, seed=1)
    test[250:262] = 0.0  # the oscillation stops: every value is normal, the shape is not
    scores = detector.fit(train).anomaly_score(test)
    assert 245 <= int(np.argmax(scores)) <= 266


@pytest.mark.parametrize("join", ["self", "train"])
def test_matrix_profile_finds_the_discord(join: str) -> None:
    pytest.importorskip("stumpy", reason="anomaly.matrix-profile needs stumpy")
    from catalog.atoms.anomaly.matrix_profile import MatrixProfileDetector

    train, test = _sine(600, seed=0), _sine(400, seed=1)
    test[250:262] = 0.0
    scores = MatrixProfileDetector(window=25, join=join).fit(train).anomaly_score(test)
    assert 230 <= int(np.argmax(scores)) <= 280


def test_detectors_refuse_a_series_with_other_channels_than_fitted() -> None:
    detector = LocalOutlierFactorDetector(window=3).fit(
        np.zeros((100, 2)) + np.arange(100)[:, None]
    )
    with pytest.raises(ValueError, match="fitted on 2"):
        detector.anomaly_score(np.zeros((50, 3)))


@pytest.mark.parametrize(
    ("detector", "message"),
    [
        (RollingZScoreDetector(window=1), "window must be an int >= 2"),
        (LocalOutlierFactorDetector(n_neighbors=0), "n_neighbors must be"),
        (OneClassSVMDetector(nu=2.0), "nu must be"),
        (ForecastResidualDetector(forecaster="naive"), "forecaster must be a catalog forecaster"),
    ],
)
def test_detectors_refuse_invalid_parameters_with_one_sentence(detector, message) -> None:
    with pytest.raises(ValueError, match=message):
        detector.fit(_sine(200, seed=0))


# --- molecules and the organism -------------------------------------------------------


def test_forecast_residual_defaults_to_the_seasonal_naive_forecaster() -> None:
    y = np.tile(np.arange(12.0), 20)
    detector = ForecastResidualDetector().fit(y)
    assert isinstance(detector.forecaster_, SeasonalNaiveForecaster)
    assert np.allclose(detector.residuals(y), 0.0)


def test_forecast_residual_refitting_less_often_keeps_seasonal_naive_forecasts() -> None:
    y = _sine(300, seed=2)
    every_step = ForecastResidualDetector(refit_every=1).fit(y).residuals(y)
    every_fifth = ForecastResidualDetector(refit_every=5).fit(y).residuals(y)
    # a seasonal naive forecast of h <= sp steps is y[t - sp] whatever the refit point
    assert np.allclose(every_step, every_fifth)


def test_forecast_residual_flags_a_spike_and_scores_warm_up_points_zero() -> None:
    train, test = _noise_with_burst()
    detector = ForecastResidualDetector(forecaster=SeasonalNaiveForecaster(sp=1))
    scores = detector.fit(train).anomaly_score(test)
    assert np.all(scores[:24] == 0)
    assert int(np.argmax(scores)) == 200


def test_scaling_does_not_change_isolation_forest_scores() -> None:
    y = 100 + 10 * np.random.default_rng(1).normal(size=(300, 2))
    y[150] += 80
    plain = IsolationForestDetector(window=4, random_state=3).fit(y).anomaly_score(y)
    scaled = ScaledIsolationForestDetector(window=4, random_state=3).fit(y).anomaly_score(y)
    assert np.allclose(plain, scaled)
    assert int(np.argmax(scaled)) in range(147, 154)


def test_thresholded_detector_labels_and_events_agree_with_its_parts() -> None:
    train, test = _noise_with_burst()
    model = ThresholdedDetector().fit(train)
    labels = model.predict(test)
    assert np.array_equal(labels, model.threshold_.predict(model.anomaly_score(test)))
    assert model.events(test) == anomalous_ranges(labels)
    assert (200, 203) in model.events(test)


def test_pipeline_fills_gaps_and_reports_events_with_time_stamps() -> None:
    train, test = _noise_with_burst()
    index = pd.date_range("2024-01-01", periods=800, freq="min")
    series = pd.Series(np.concatenate([train, test]), index=index)
    series.iloc[[50, 51, 650]] = np.nan
    pipeline = AnomalyPipeline().fit(series.iloc[:500])
    scores = pipeline.anomaly_score(series.iloc[500:])
    assert np.isfinite(scores).all()
    events = pipeline.events(series.iloc[500:])
    assert list(events.columns) == ["start", "end", "n_points", "peak_score"]
    burst = events[events["start"] <= index[703]].iloc[-1]
    assert burst["start"] == index[700] and burst["end"] == index[703]
    assert burst["peak_score"] == pytest.approx(scores[200:204].max())


# --- metrics --------------------------------------------------------------------------

TRUTH = np.array([0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0])
FLAGS = np.array([0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0])


def test_point_metrics_count_points() -> None:
    # 3 of 4 flagged points are anomalous; 3 of 5 anomalous points are flagged
    assert PointPrecision()(TRUTH, FLAGS) == pytest.approx(3 / 4)
    assert PointRecall()(TRUTH, FLAGS) == pytest.approx(3 / 5)
    assert PointF1()(TRUTH, FLAGS) == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_range_f1_is_the_harmonic_mean_of_range_precision_and_recall() -> None:
    precision, recall = RangePrecision()(TRUTH, FLAGS), RangeRecall()(TRUTH, FLAGS)
    assert RangeF1()(TRUTH, FLAGS) == pytest.approx(2 * precision * recall / (precision + recall))


def test_range_recall_existence_reward_credits_every_touched_range() -> None:
    assert RangeRecall(alpha=1.0)(TRUTH, FLAGS) == pytest.approx(1.0)
    assert RangeRecall(alpha=0.0)(TRUTH, FLAGS) < 1.0


def test_no_point_adjusted_metric_is_offered() -> None:
    records, _ = load_records()
    assert not [r.id for r in records if "adjust" in r.id]


def test_score_metrics_rank_a_perfect_score_above_a_random_one() -> None:
    truth = np.zeros(1000, dtype=int)
    truth[600:620] = 1
    random = np.random.default_rng(0).random(1000)
    assert AveragePrecision()(truth, truth.astype(float)) == pytest.approx(1.0)
    assert AveragePrecision()(truth, random) < 0.1
    vus = VolumeUnderPRSurface(max_buffer_size=50)
    assert vus(truth, truth.astype(float)) > 5 * vus(truth, random)


@pytest.mark.parametrize(
    ("metric", "y_true", "y_pred", "message"),
    [
        (PointF1(), [0, 1, 0], [0, 1], "same series"),
        (RangeF1(), [0, 1, 0], [0, 0.5, 1], "0/1 anomaly labels"),
        (AveragePrecision(), [0, 0, 0], [0.1, 0.2, 0.3], "no anomaly"),
        (RangePrecision(bias="end"), [0, 1, 0], [0, 1, 0], "bias must be one of"),
    ],
)
def test_metrics_refuse_bad_input_with_one_sentence(metric, y_true, y_pred, message) -> None:
    with pytest.raises(ValueError, match=message):
        metric(y_true, y_pred)


# --- datasets ---------------------------------------------------------------------------

DATASETS = [UCRAnomaly135Dataset, MITDBECGDataset, YahooS5ExcerptDataset, DaphnetS06R02E0Dataset]


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda cls: cls.__kb_component__["id"])
def test_dataset_matches_its_declared_length_channels_and_anomalies(dataset) -> None:
    info = dataset.__kb_component__["dataset"]
    series, labels = dataset().load()
    assert len(series) == len(labels) == info["length"]
    assert (1 if series.ndim == 1 else series.shape[1]) == info.get("n_channels", 1)
    assert len(anomalous_ranges(labels)) == info["n_anomalies"]
    assert np.isfinite(series.to_numpy()).all()


def test_ucr_135_has_its_anomaly_at_4187_to_4198_and_a_normal_training_part() -> None:
    _, labels = UCRAnomaly135Dataset().load()
    assert anomalous_ranges(labels) == [(4187, 4198)]
    train, train_labels = UCRAnomaly135Dataset(split="train").load()
    assert len(train) == 1200 and train_labels.sum() == 0


def test_ucr_135_refuses_an_unknown_split() -> None:
    with pytest.raises(ValueError, match="split must be"):
        UCRAnomaly135Dataset(split="validation").load()
