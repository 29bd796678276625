"""Data-adaptive anomaly defaults: window from the period, bounded scores, rate-free threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalog.atoms.anomaly.covariance import MahalanobisDetector
from catalog.atoms.anomaly.isolation_forest import IsolationForestDetector
from catalog.atoms.anomaly.metrics import VolumeUnderPRSurface
from catalog.atoms.anomaly.pot import PeaksOverThreshold
from catalog.atoms.anomaly.windows import resolve_window
from catalog.atoms.anomaly.zscore import RobustZScoreDetector
from catalog.organisms.anomaly_pipeline import AnomalyPipeline


def _sine(n: int, period: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.sin(2 * np.pi * np.arange(n) / period) + 0.1 * rng.normal(size=n)


def test_auto_window_follows_the_period_of_the_data_and_is_recorded():
    pipeline = AnomalyPipeline().fit(_sine(1500, 50))
    assert 48 <= pipeline.window_ <= 52
    assert pipeline.detector_.window_ == pipeline.window_
    assert 48 <= IsolationForestDetector(random_state=0).fit(_sine(1500, 50)).window_ <= 52
    assert 70 <= IsolationForestDetector(random_state=0).fit(_sine(1500, 72)).window_ <= 74


def test_auto_window_falls_back_when_the_data_show_no_period():
    noise = np.random.default_rng(1).normal(size=2000)
    assert resolve_window("auto", noise, fallback=7) == 7
    assert AnomalyPipeline().fit(noise).window_ == 1


def test_auto_window_ignores_the_slow_decay_of_random_walks_but_keeps_a_trending_cycle():
    # the former finder gave a period to 21 of 100 such walks
    rng = np.random.default_rng(2)
    walks = [rng.normal(size=2000).cumsum() for _ in range(50)]
    assert sum(resolve_window("auto", walk, fallback=7) != 7 for walk in walks) <= 3
    trending = _sine(2000, 50) + 0.002 * np.arange(2000)
    assert 48 <= resolve_window("auto", trending, fallback=7) <= 52


def test_dominant_period_refuses_a_bad_alpha():
    from catalog.atoms.shared.seasonality import dominant_period

    with pytest.raises(ValueError, match=r"^alpha must be"):
        dominant_period(_sine(500, 50), alpha=1.5)


def test_a_fixed_window_keeps_the_former_behaviour():
    assert IsolationForestDetector(window=1, random_state=0).fit(_sine(600, 50)).window_ == 1
    assert AnomalyPipeline(window=8).fit(_sine(600, 50)).window_ == 8


def test_multivariate_input_without_a_cycle_gets_a_point_wise_t_squared():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(400, 3)), columns=["a", "b", "c"])
    pipeline = AnomalyPipeline().fit(frame)
    assert isinstance(pipeline.detector_, MahalanobisDetector)
    assert pipeline.window_ == 1


def test_multivariate_input_with_a_cycle_gets_windows_of_its_period():
    frame = pd.DataFrame({"a": _sine(1500, 40, seed=1), "b": 2 * _sine(1500, 40, seed=2)})
    pipeline = AnomalyPipeline().fit(frame)
    assert 38 <= pipeline.window_ <= 42
    assert AnomalyPipeline(window=1).fit(frame).window_ == 1
    test = frame.iloc[:400].copy()
    test.iloc[300:310, 1] *= -1  # channel b runs against a for a while
    scores = pipeline.anomaly_score(test)
    assert 290 <= int(np.argmax(scores)) <= 320


@pytest.mark.parametrize(
    ("window", "calibration"), [("weekly", "cross-fit"), ("auto", "both"), (0, "cross-fit")]
)
def test_bad_pipeline_parameters_are_one_sentence_naming_them(window, calibration):
    name = "window" if calibration == "cross-fit" else "calibration"
    with pytest.raises(ValueError, match=f"^{name} must be"):
        AnomalyPipeline(window=window, calibration=calibration).fit(_sine(600, 50))


def test_robust_zscore_stays_bounded_after_a_flat_stretch():
    rng = np.random.default_rng(0)
    y = rng.normal(size=600)
    y[200:400] = 0.0
    y[400] = 1.0  # a one-deviation step after 200 identical values
    scores = RobustZScoreDetector().fit(y[:200]).anomaly_score(y)
    assert np.isfinite(scores).all()
    assert scores[400] < 100  # the spread floor; it was 1e8 without one


def test_pipeline_scores_are_bounded_and_finite_on_zero_spread_input():
    flat = np.full(300, 5.0)
    pipeline = AnomalyPipeline().fit(flat)
    step = np.r_[np.full(50, 5.0), 6.0, np.full(49, 5.0)]
    scores = pipeline.anomaly_score(step)
    assert np.isfinite(scores).all() and scores.max() <= 1e3
    assert int(np.argmax(scores)) == 50
    assert pipeline.predict(step).tolist() == [0] * 50 + [1] + [0] * 49
    assert np.all(pipeline.anomaly_score(np.full(80, 5.0)) == 0)


def test_normalised_scores_are_on_the_same_scale_whatever_the_units():
    y = _sine(1200, 40)
    small = AnomalyPipeline().fit(y[:600]).anomaly_score(y[600:])
    large = AnomalyPipeline().fit(1e6 * y[:600] + 3e7).anomaly_score(1e6 * y[600:] + 3e7)
    np.testing.assert_allclose(small, large, rtol=1e-6, atol=1e-6)


def test_threshold_flags_anomalies_without_being_told_their_rate():
    rng = np.random.default_rng(0)
    train, test = rng.normal(size=2000), rng.normal(size=2000)
    pipeline = AnomalyPipeline(window=1).fit(train)
    assert pipeline.predict(test).mean() < 0.01  # normal data: few false alarms
    for share in (0.005, 0.05):  # the same fitted threshold finds few or many spikes
        spiked = test.copy()
        where = rng.choice(len(spiked), int(share * len(spiked)), replace=False)
        spiked[where] += 8.0
        assert pipeline.predict(spiked)[where].mean() >= 0.95


def test_peaks_over_threshold_estimates_a_tail_quantile_of_normal_scores():
    normal = np.abs(np.random.default_rng(0).normal(size=20_000))
    threshold = PeaksOverThreshold(risk=1e-3).fit(normal).threshold_
    assert 3.0 < threshold < 3.6  # |N(0, 1)| passes 3.29 with probability 1e-3
    with pytest.raises(ValueError, match=r"^risk must be"):
        PeaksOverThreshold(risk=0.5).fit(normal)


def test_pipeline_defaults_detect_the_anomaly_of_ucr_135():
    pytest.importorskip("aeon")
    from catalog.datasets.anomaly import UCRAnomaly135Dataset

    train, _ = UCRAnomaly135Dataset(split="train").load()
    test, labels = UCRAnomaly135Dataset().load()
    scores = AnomalyPipeline().fit(train).anomaly_score(test)
    assert VolumeUnderPRSurface()(labels, scores) >= 0.5
