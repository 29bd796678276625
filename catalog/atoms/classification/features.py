"""Summary-statistic features of a panel: over whole series or over intervals."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.atoms.classification._panel import (
    check_choice,
    check_fitted_panel,
    check_positive_int,
)
from catalog.base import BasePanelTransformer
from catalog.validation import check_panel

__all__ = ["IntervalStatisticsTransformer", "SummaryStatisticsTransformer"]

_STATISTICS = {
    "default": ["mean", "std", "min", "max", "q25", "median", "q75"],
    "quantiles": ["q02.15", "q08.87", "q25", "median", "q75", "q91.13", "q97.85"],
    "bowley": ["min", "max", "q10", "q25", "median", "q75", "q90"],
    "tukey": ["min", "max", "q12.5", "q25", "median", "q75", "q87.5"],
}


def _seven_number_summary(panel: np.ndarray, summary_stats: str) -> np.ndarray:
    from aeon.transformations.collection.feature_based import SevenNumberSummary

    return np.asarray(SevenNumberSummary(summary_stats=summary_stats).fit_transform(panel))


@component(
    id="features.summary-statistics",
    name="Summary statistics features",
    level="atom",
    kind="feature",
    tasks=["classification"],
    summary="Mean, deviation, extremes, quartiles and slope of every channel of every case.",
    tags=["feature-extraction", "fast", "interpretable"],
    capabilities=["univariate", "multivariate"],
    requires=["aeon>=1.0"],
    search_space={
        "summary_stats": {
            "type": "categorical",
            "choices": ["default", "quantiles", "bowley", "tukey"],
        },
        "slope": {"type": "categorical", "choices": [True, False]},
    },
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
)
class SummaryStatisticsTransformer(BasePanelTransformer):
    """Describe every channel of every case by seven summary statistics and its slope.

    Wraps :class:`aeon.transformations.collection.feature_based.SevenNumberSummary`
    (statistics grouped by statistic, then channel) and appends the least-squares slope
    of each channel (:func:`aeon.utils.numba.stats.row_slope`). The features are
    cheap, interpretable and a strong baseline when the classes differ in level,
    spread or trend rather than in shape.

    Parameters
    ----------
    summary_stats : str, default="default"
        Which seven statistics: ``"default"`` (mean, std, min, max, quartiles),
        ``"quantiles"``, ``"bowley"`` or ``"tukey"`` (see aeon's ``SevenNumberSummary``).
    slope : bool, default=True
        Append the slope of a straight line fitted to each channel.

    Returns
    -------
    SummaryStatisticsTransformer
        ``fit`` returns the transformer; ``transform`` returns a 2-D array with one
        row per case and ``(7 + slope) * n_channels`` columns, named in
        ``feature_names_``.

    See Also
    --------
    aeon.transformations.collection.feature_based.SevenNumberSummary : the statistics.

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.classification.features import SummaryStatisticsTransformer
    >>> X = np.array([[[1.0, 2.0, 3.0, 4.0, 5.0]]])
    >>> features = SummaryStatisticsTransformer().fit(X)
    >>> features.feature_names_
    ['mean[0]', 'std[0]', 'min[0]', 'max[0]', 'q25[0]', 'median[0]', 'q75[0]', 'slope[0]']
    >>> features.transform(X).round(3).tolist()
    [[3.0, 1.414, 1.0, 5.0, 2.0, 3.0, 4.0, 1.0]]
    """

    def __init__(self, summary_stats: str = "default", slope: bool = True) -> None:
        self.summary_stats = summary_stats
        self.slope = slope

    def fit(self, X: Any, y: Any = None) -> SummaryStatisticsTransformer:
        panel = check_panel(X)
        check_choice(self.summary_stats, "summary_stats", tuple(_STATISTICS))
        self.n_channels_, self.n_timepoints_ = panel.shape[1:]
        names = list(_STATISTICS[self.summary_stats]) + (["slope"] if self.slope else [])
        self.feature_names_ = [f"{n}[{c}]" for n in names for c in range(self.n_channels_)]
        return self

    def transform(self, X: Any) -> np.ndarray:
        panel = check_fitted_panel(X, self, same_length=False)
        features = _seven_number_summary(panel, self.summary_stats)
        if self.slope:
            from aeon.utils.numba.stats import row_slope

            slopes = np.stack([row_slope(np.ascontiguousarray(case)) for case in panel])
            features = np.hstack([features, slopes])
        return features


@component(
    id="features.interval-statistics",
    name="Interval statistics features",
    level="atom",
    kind="feature",
    tasks=["classification"],
    summary="Summary statistics over random or fixed intervals of every channel.",
    tags=["feature-extraction", "interval-based"],
    capabilities=["univariate", "multivariate", "randomized"],
    requires=["aeon>=1.0"],
    search_space={
        "n_intervals": {"type": "int", "low": 4, "high": 200, "log": True},
        "interval_type": {"type": "categorical", "choices": ["random", "fixed"]},
        "min_interval_length": {"type": "int", "low": 3, "high": 32, "log": True},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1016/j.ins.2013.02.030"],
    since="0.1.0",
)
class IntervalStatisticsTransformer(BasePanelTransformer):
    """Mean, deviation, extremes and quartiles over intervals of each series.

    With ``interval_type="random"`` the intervals (position, length and channel) are
    drawn at random in ``fit`` by
    :class:`aeon.transformations.collection.interval_based.RandomIntervals`, the
    feature space of the time series forest [1]_; duplicate intervals are dropped, so
    there may be slightly fewer than ``n_intervals``. With ``interval_type="fixed"``
    each channel is cut into ``n_intervals`` consecutive intervals of (almost) equal
    length and aeon's ``SevenNumberSummary`` is computed on each. Both give seven
    statistics per interval: mean, std, min, max and the three quartiles.

    Parameters
    ----------
    n_intervals : int, default=100
        Number of intervals: drawn per panel (random) or per channel (fixed).
    interval_type : str, default="random"
        ``"random"`` or ``"fixed"``.
    min_interval_length : int, default=3
        Shortest random interval (at least 3); for fixed intervals, the series must
        be at least ``n_intervals * min_interval_length`` long.
    max_interval_length : int or None, default=None
        Longest random interval; ``None`` means the whole series.
    random_state : int or None, default=None
        Seed of the random intervals, for reproducible features.

    Returns
    -------
    IntervalStatisticsTransformer
        ``fit`` returns the transformer; ``transform`` returns a 2-D array with one
        row per case and seven columns per interval. The fitted intervals are in
        ``edges_`` (fixed: ``(start, end)`` pairs) or ``transformer_.intervals_`` (random).

    See Also
    --------
    aeon.transformations.collection.interval_based.RandomIntervals : random intervals.

    References
    ----------
    .. [1] Deng, H., Runger, G., Tuv, E. and Vladimir, M. (2013). A time series forest
       for classification and feature extraction. Information Sciences 239, 142-153.
       https://doi.org/10.1016/j.ins.2013.02.030

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.classification.features import IntervalStatisticsTransformer
    >>> X = np.arange(24.0).reshape(2, 1, 12)
    >>> fixed = IntervalStatisticsTransformer(n_intervals=3, interval_type="fixed")
    >>> fixed.fit_transform(X).shape
    (2, 21)
    >>> fixed.transform(X)[0, :4].tolist()  # first interval: mean, std, min, max
    [1.5, 1.118033988749895, 0.0, 3.0]
    >>> randomised = IntervalStatisticsTransformer(n_intervals=5, random_state=0)
    >>> randomised.fit_transform(X).shape[0]
    2
    """

    def __init__(
        self,
        n_intervals: int = 100,
        interval_type: str = "random",
        min_interval_length: int = 3,
        max_interval_length: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.n_intervals = n_intervals
        self.interval_type = interval_type
        self.min_interval_length = min_interval_length
        self.max_interval_length = max_interval_length
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> IntervalStatisticsTransformer:
        panel = check_panel(X)
        n_intervals = check_positive_int(self.n_intervals, "n_intervals")
        shortest = check_positive_int(self.min_interval_length, "min_interval_length", 3)
        check_choice(self.interval_type, "interval_type", ("random", "fixed"))
        self.n_channels_, self.n_timepoints_ = panel.shape[1:]
        if self.interval_type == "fixed":
            if self.n_timepoints_ < n_intervals * shortest:
                raise ValueError(
                    f"n_intervals={n_intervals} fixed intervals of at least {shortest} points "
                    f"need series of {n_intervals * shortest} points, found "
                    f"{self.n_timepoints_}; lower n_intervals"
                )
            edges = np.linspace(0, self.n_timepoints_, n_intervals + 1).round().astype(int)
            self.edges_ = list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))
            return self
        from aeon.transformations.collection.interval_based import RandomIntervals

        longest = self.max_interval_length
        if longest is not None:
            longest = check_positive_int(longest, "max_interval_length", shortest)
        self.transformer_ = RandomIntervals(
            n_intervals=n_intervals,
            min_interval_length=shortest,
            max_interval_length=np.inf if longest is None else longest,
            random_state=self.random_state,
        ).fit(panel)
        return self

    def transform(self, X: Any) -> np.ndarray:
        panel = check_fitted_panel(X, self)
        if self.interval_type == "random":
            return np.asarray(self.transformer_.transform(panel), dtype=float)
        return np.hstack(
            [_seven_number_summary(panel[:, :, start:end], "default") for start, end in self.edges_]
        )
