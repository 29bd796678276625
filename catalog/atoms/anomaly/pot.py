"""Peaks over threshold: a threshold from the tail of the training scores, by extreme values."""

from __future__ import annotations

import numpy as np

from catalog import component
from catalog.atoms.anomaly.thresholds import _Threshold

__all__ = ["PeaksOverThreshold"]

# Below this many excesses a two-parameter tail fit is noise: fit the exponential tail.
_MIN_EXCESSES_FOR_SHAPE = 30


@component(
    id="threshold.pot",
    name="Peaks-over-threshold (extreme value) threshold",
    level="atom",
    kind="postprocessor",
    tasks=["anomaly-detection"],
    summary="Flags scores beyond the level that normal scores pass with a small risk, by EVT.",
    tags=["thresholding", "statistical"],
    capabilities=["univariate"],
    search_space={
        "risk": {"type": "float", "low": 1e-05, "high": 0.01, "log": True},
        "level": {"type": "float", "low": 0.9, "high": 0.99},
    },
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1145/3097983.3098144"],
    since="0.2.0",
)
class PeaksOverThreshold(_Threshold):
    """Threshold at which normal scores are exceeded with probability ``risk`` (POT, SPOT).

    The peaks-over-threshold method of extreme value theory, as in SPOT (Siffer et al.,
    2017): the training scores above their ``level`` quantile ``t`` are excesses, a
    generalized Pareto distribution is fitted to them by maximum likelihood
    (:func:`scipy.stats.genpareto.fit`, location 0), and the threshold is the score
    that a normal point exceeds with probability ``risk``::

        z = t + sigma / xi * ((risk * n / n_t) ** -xi - 1)

    (``t - sigma * log(risk * n / n_t)`` when ``xi`` is 0), with ``n`` training scores
    of which ``n_t`` exceed ``t``. Fewer than 30 excesses fit only the exponential
    tail (``xi = 0``, ``sigma`` their mean), which is stable on short series. Unlike
    :class:`~catalog.atoms.anomaly.thresholds.QuantileThreshold` it assumes no share of
    anomalies in the data it labels: ``risk`` is a false-alarm rate on normal data, and
    the threshold may lie beyond every training score. The training scores should come
    from normal data.

    Parameters
    ----------
    risk : float, default=0.001
        Probability that a normal score exceeds the threshold, in ``(0, 1 - level)``.
    level : float, default=0.98
        Quantile of the training scores where the tail starts, in ``(0, 1)``.

    Returns
    -------
    PeaksOverThreshold
        ``fit`` returns the fitted threshold (``threshold_``, and the tail's
        ``shape_`` and ``scale_``); ``predict`` returns 0/1 labels and ``ranges`` the
        anomalous ranges ``(start, end)``, end inclusive.

    References
    ----------
    .. [1] Siffer, A., Fouque, P.-A., Termier, A. and Largouet, C. (2017). Anomaly
       detection in streams with extreme value theory. KDD, 1067-1075.
       https://doi.org/10.1145/3097983.3098144

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.anomaly.pot import PeaksOverThreshold
    >>> normal = np.abs(np.random.default_rng(0).normal(size=5000))
    >>> threshold = PeaksOverThreshold(risk=1e-3).fit(normal)
    >>> 3.0 < threshold.threshold_ < 3.6  # |N(0, 1)| passes 3.29 with probability 1e-3
    True
    >>> threshold.predict([0.5, 2.0, 6.0]).tolist()
    [0, 0, 1]
    """

    def __init__(self, risk: float = 0.001, level: float = 0.98) -> None:
        self.risk = risk
        self.level = level

    def _check_params(self) -> None:
        if isinstance(self.level, bool) or not isinstance(self.level, int | float):
            raise ValueError(f"level must be a float in (0, 1), found {self.level!r}")
        if not 0 < self.level < 1:
            raise ValueError(f"level must be a float in (0, 1), found {self.level!r}")
        valid = isinstance(self.risk, int | float) and not isinstance(self.risk, bool)
        if not valid or not 0 < self.risk < 1 - self.level:
            raise ValueError(
                f"risk must be a float in (0, 1 - level) = (0, {1 - self.level:.3g}), "
                f"found {self.risk!r}"
            )

    def _threshold(self, scores: np.ndarray) -> float:
        from scipy.stats import genpareto

        start = float(np.quantile(scores, self.level))
        excesses = scores[scores > start] - start
        if len(excesses) == 0:  # a flat tail: nothing normal goes beyond its top
            self.shape_, self.scale_ = 0.0, 0.0
            return start
        ratio = self.risk * len(scores) / len(excesses)
        shape = 0.0
        scale = float(excesses.mean())
        if len(excesses) >= _MIN_EXCESSES_FOR_SHAPE:
            shape, _, scale = (float(v) for v in genpareto.fit(excesses, floc=0))
        self.shape_, self.scale_ = shape, scale
        if abs(shape) < 1e-6:
            return start - scale * np.log(ratio)
        return start + scale / shape * (ratio**-shape - 1)
