"""Behaviour of automl.injection: labelled, seeded, scale-free synthetic anomalies."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from automl.injection import KINDS, inject_anomalies


def _walk(n: int = 3000, seed: int = 42) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2020", periods=n, freq="h")
    return pd.Series(np.cumsum(rng.standard_normal(n)), index=index)


def _runs(labels: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.r_[0, labels, 0]))
    return list(zip(edges[::2], edges[1::2], strict=True))


def _robust_scale(x: np.ndarray) -> float:
    return 1.4826 * float(np.median(np.abs(x - np.median(x))))


def _kind_of(original: np.ndarray, injected: np.ndarray, start: int, end: int) -> str:
    change = injected[start:end] - original[start:end]
    if end - start == 1:
        return "spike"
    if np.all(injected[start:end] == original[start]):
        return "flat"
    return "level-shift" if np.allclose(change, change[0]) else "noise-burst"


@pytest.mark.parametrize("kind", ["spike", "level-shift", "noise-burst"])
def test_labels_mark_exactly_the_changed_points(kind):
    y = _walk()
    injected, labels = inject_anomalies(y, kinds=[kind], n_anomalies=5, length=12)
    assert set(np.unique(labels)) == {0, 1}
    np.testing.assert_array_equal((injected != y).to_numpy(), labels == 1)
    assert labels.sum() == 5 * (1 if kind == "spike" else 12)


def test_flat_segments_hold_their_first_value_and_are_labelled_whole():
    y = _walk()
    injected, labels = inject_anomalies(y, kinds=["flat"], n_anomalies=4, length=15)
    runs = _runs(labels)
    assert [end - start for start, end in runs] == [15] * 4
    changed = (injected != y).to_numpy()
    for start, end in runs:
        assert np.all(injected.iloc[start:end] == y.iloc[start])
        assert not changed[start] and changed[start + 1 : end].all()
    assert changed.sum() == labels.sum() - len(runs)


def test_spike_and_level_shift_sizes_follow_the_robust_spread_of_the_values():
    y = _walk()
    scale = _robust_scale(y.to_numpy())
    for kind, (low, high) in {"spike": (4, 8), "level-shift": (2, 4)}.items():
        injected, labels = inject_anomalies(y, kinds=[kind], n_anomalies=6, seed=3)
        change = (injected - y).to_numpy()
        sizes = np.abs(change[labels == 1]) / scale
        assert np.all((sizes >= low) & (sizes <= high)), (kind, sizes)
        assert set(np.sign(change[[start for start, _ in _runs(labels)]])) == {-1.0, 1.0}


def test_noise_bursts_follow_the_robust_spread_of_the_differences():
    rng = np.random.default_rng(0)
    t = np.arange(4000)
    y = pd.Series(100 * np.sin(t / 50) + 0.1 * rng.standard_normal(t.size))
    injected, labels = inject_anomalies(y, kinds=["noise-burst"], n_anomalies=3, length=200)
    noise, diff_scale = (injected - y).to_numpy(), _robust_scale(np.diff(y.to_numpy()))
    assert diff_scale < _robust_scale(y.to_numpy()) / 10  # the two scales are told apart
    ratios = [noise[start:end].std() / diff_scale for start, end in _runs(labels)]
    assert all(1.5 < ratio < 5 for ratio in ratios), ratios


def test_kinds_are_shuffled_in_time():
    y = _walk(2000)
    first_kinds = set()
    for seed in range(10):
        injected, labels = inject_anomalies(y, n_anomalies=4, length=10, seed=seed)
        start, end = _runs(labels)[0]
        first_kinds.add(_kind_of(y.to_numpy(), injected.to_numpy(), start, end))
    assert len(first_kinds) > 1


def test_the_input_is_not_modified():
    y = _walk()
    frame = pd.DataFrame({"a": y, "b": -y})
    array = frame.to_numpy()
    copies = (y.copy(), frame.copy(), array.copy())
    for data in (y, frame, array):
        inject_anomalies(data, n_anomalies=8)
    pd.testing.assert_series_equal(y, copies[0])
    pd.testing.assert_frame_equal(frame, copies[1])
    np.testing.assert_array_equal(array, copies[2])


def test_the_same_seed_gives_the_same_output_and_another_seed_other_positions():
    y = _walk()
    first, first_labels = inject_anomalies(y, seed=7)
    again, again_labels = inject_anomalies(y, seed=7)
    _, other_labels = inject_anomalies(y, seed=8)
    pd.testing.assert_series_equal(first, again)
    np.testing.assert_array_equal(first_labels, again_labels)
    assert not np.array_equal(first_labels, other_labels)


def test_every_requested_kind_appears_equally_often():
    y = _walk(6000)
    injected, labels = inject_anomalies(y, n_anomalies=2 * len(KINDS), length=10, seed=1)
    found = [_kind_of(y.to_numpy(), injected.to_numpy(), s, e) for s, e in _runs(labels)]
    assert sorted(found) == sorted(2 * KINDS)


def test_anomalies_do_not_overlap_and_stay_length_points_apart_after_the_margin():
    y = _walk(2000)
    _, labels = inject_anomalies(y, n_anomalies=40, length=10, margin=300, seed=2)
    runs = _runs(labels)
    assert len(runs) == 40
    assert runs[0][0] >= 300
    assert all(nxt[0] - end >= 10 for (_, end), nxt in itertools.pairwise(runs))


def test_a_series_exactly_long_enough_is_filled_and_one_point_less_is_refused():
    n_anomalies, length, margin = 4, 5, 7
    needed = margin + 3 * length + 1 + length * (n_anomalies - 1)
    y = _walk(needed)
    _, labels = inject_anomalies(y, n_anomalies=n_anomalies, length=length, margin=margin)
    assert labels[:margin].sum() == 0 and len(_runs(labels)) == n_anomalies
    with pytest.raises(ValueError, match=f"needs at least {needed} points"):
        inject_anomalies(y.iloc[:-1], n_anomalies=n_anomalies, length=length, margin=margin)


@pytest.mark.parametrize("n", [60, 500, 2000, 10_000, 100_000])
def test_defaults_cover_at_most_a_tenth_and_leave_the_first_tenth_normal(n):
    _, labels = inject_anomalies(_walk(n).to_numpy())
    assert 0 < labels.mean() <= 0.1
    assert labels[: n // 10].sum() == 0
    length = min(100, max(5, n // 100))
    widths = {end - start for start, end in _runs(labels)}
    assert len(_runs(labels)) == max(1, min(max(3, n // 500), n // 10 // length))
    assert widths <= {1, length} and (n < 500 or length in widths)


def test_changes_scale_with_the_series():
    y = _walk()
    small, labels = inject_anomalies(y, seed=5)
    big, big_labels = inject_anomalies(1000 * y + 50, seed=5)
    np.testing.assert_array_equal(labels, big_labels)
    np.testing.assert_allclose((big - (1000 * y + 50)).to_numpy(), 1000 * (small - y).to_numpy())
    assert (small != y).sum() > 0


def test_multichannel_anomalies_change_one_channel_each():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        np.cumsum(rng.standard_normal((4000, 3)), axis=0), columns=["x", "y", "z"]
    ).astype("float32")
    injected, labels = inject_anomalies(frame, n_anomalies=12, length=10, seed=4)
    assert list(injected.columns) == ["x", "y", "z"] and (injected.dtypes == "float64").all()
    pd.testing.assert_index_equal(injected.index, frame.index)
    changed = (injected != frame.astype("float64")).to_numpy()
    assert not changed[labels == 0].any()
    hit = [set(np.flatnonzero(changed[s:e].any(axis=0))) for s, e in _runs(labels)]
    assert all(len(channels) == 1 for channels in hit)
    assert len(set().union(*hit)) > 1


def test_a_2d_array_comes_back_as_an_array_of_the_same_shape():
    array = np.arange(2000, dtype=int).reshape(1000, 2) % 17
    injected, labels = inject_anomalies(array, n_anomalies=3)
    assert isinstance(injected, np.ndarray) and injected.shape == (1000, 2)
    assert injected.dtype == np.float64 and labels.dtype.kind == "i" and labels.shape == (1000,)


def test_nan_stays_nan_is_labelled_0_and_never_swallows_an_anomaly():
    y = _walk(3000)
    y.iloc[::3] = np.nan
    y.iloc[600:2400] = np.nan
    kinds = ["level-shift", "spike", "noise-burst"]
    injected, labels = inject_anomalies(y, kinds=kinds, n_anomalies=9, length=8, seed=0)
    np.testing.assert_array_equal(injected.isna(), y.isna())
    changed = ((injected != y) & y.notna()).to_numpy()
    np.testing.assert_array_equal(changed, labels == 1)
    assert labels.sum() == 3 * 1 + 6 * 8  # every anomaly kept all of its points


def test_margin_length_and_gaps_count_finite_points():
    y = pd.Series(np.arange(400.0) % 7)
    y.iloc[1::2] = np.nan  # 200 finite points
    _, labels = inject_anomalies(y, kinds=["level-shift"], n_anomalies=2, length=10, margin=170)
    labelled = np.flatnonzero(labels)
    assert len(labelled) == 20 and labelled.min() == 340 and labelled.max() == 398
    with pytest.raises(ValueError, match="series has 200 finite points, too short"):
        inject_anomalies(y, kinds=["level-shift"], n_anomalies=2, length=10, margin=171)


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (np.zeros(100), {"kinds": ["spike", "dip"]}, r"unknown anomaly kinds \['dip'\]; choose"),
        (np.zeros(100), {"kinds": []}, r"unknown anomaly kinds \[\]; choose from spike, level"),
        (np.zeros(100), {"n_anomalies": 0}, "n_anomalies must be an integer of at least 1, got 0"),
        (np.zeros(100), {"length": 0}, "length must be an integer of at least 1, got 0"),
        (np.zeros(100), {"margin": -1}, "margin must be an integer of at least 0, got -1"),
        (np.zeros(100), {"n_anomalies": 20}, r"has 100 finite points, too short .* at least \d+"),
        (np.full(100, np.nan), {}, "has no finite value to inject into"),
        (np.zeros((10, 2, 2)), {}, r"1-D \(n,\) or 2-D \(n, channels\), got shape \(10, 2, 2\)"),
        (pd.Series(["a", "b"] * 50), {}, "series must hold numbers"),
    ],
)
def test_bad_input_raises_one_clear_value_error(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        inject_anomalies(data, **kwargs)
