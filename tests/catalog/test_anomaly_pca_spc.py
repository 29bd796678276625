"""anomaly.pca-spc: PCA T-squared and Q control charts with their published control limits."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.covariance import EmpiricalCovariance
from sklearn.preprocessing import StandardScaler

from catalog.atoms.anomaly.pca_control_chart import PCAControlChartDetector


def _correlated(n: int, seed: int) -> np.ndarray:
    """Three channels driven by one common factor, plus independent noise."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    return np.hstack([common, 0.8 * common, -common]) + 0.3 * rng.normal(size=(n, 3))


def test_control_limits_give_about_alpha_false_alarms_on_new_normal_points():
    chart = PCAControlChartDetector(alpha=0.01).fit(_correlated(3000, 0))
    statistics = chart.control_statistics(_correlated(20_000, 1))
    t2_rate = (statistics["t_squared"] > chart.t2_limit_).mean()
    q_rate = (statistics["q"] > chart.q_limit_).mean()
    assert 0.006 < t2_rate < 0.015
    assert 0.006 < q_rate < 0.015


def test_q_flags_channels_that_stop_agreeing_while_each_stays_in_range():
    chart = PCAControlChartDetector().fit(_correlated(2000, 0))
    test = _correlated(300, 1)
    test[200] = [1.0, 0.8, 1.0]  # the third channel should move against the others
    statistics = chart.control_statistics(test)
    assert statistics["q"].iloc[200] > chart.q_limit_
    assert statistics["t_squared"].iloc[200] < chart.t2_limit_
    assert chart.predict(test)[200] == 1


def test_all_components_give_hotellings_t_squared_of_all_channels():
    train, test = _correlated(500, 0), _correlated(50, 1)
    chart = PCAControlChartDetector(n_components=None).fit(train)
    assert chart.n_components_ == 3 and chart.q_limit_ == float("inf")
    scaler = StandardScaler().fit(train)
    expected = (
        EmpiricalCovariance().fit(scaler.transform(train)).mahalanobis(scaler.transform(test))
    )
    # PCA's variances divide by n - 1, the empirical covariance by n
    t_squared = chart.control_statistics(test)["t_squared"].to_numpy()
    np.testing.assert_allclose(t_squared * 500 / 499, expected, rtol=1e-8)


def test_smoothing_silences_a_single_point_but_keeps_a_lasting_shift():
    train, test = _correlated(2000, 0), _correlated(300, 1)
    test[100] += 20.0
    test[200:210] += 20.0
    flags = PCAControlChartDetector(smoothing=5).fit(train).predict(test)
    assert flags[100:103].sum() == 0
    assert flags[203:210].all()
    assert PCAControlChartDetector().fit(train).predict(test)[100] == 1


def test_a_channel_constant_in_training_that_moves_later_is_out_of_control():
    train = _correlated(1000, 0)
    train = np.hstack([train, np.zeros((1000, 1))])
    test = np.hstack([_correlated(100, 1), np.zeros((100, 1))])
    test[50, 3] = 5.0  # in the channel's own units: it had no spread to scale by
    chart = PCAControlChartDetector().fit(train)
    scores = chart.anomaly_score(test)
    assert np.isfinite(scores).all()
    assert np.flatnonzero(chart.predict(test)).tolist() == [50]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_components": 1.5}, r"^n_components must be"),
        ({"n_components": 0}, r"^n_components must be"),
        ({"n_components": "all"}, r"^n_components must be"),
        ({"alpha": 0.7}, r"^alpha must be"),
        ({"smoothing": 0}, r"^smoothing must be"),
    ],
)
def test_bad_parameters_raise_a_value_error_naming_them(params: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PCAControlChartDetector(**params).fit(_correlated(100, 0))


def test_constant_training_data_raises_a_value_error():
    with pytest.raises(ValueError, match=r"^y is constant"):
        PCAControlChartDetector().fit(np.ones((50, 3)))
