"""Random convolutional kernel features: ROCKET and MiniRocket."""

from __future__ import annotations

from typing import Any

import numpy as np

from catalog import component
from catalog.atoms.classification._panel import check_fitted_panel, check_positive_int
from catalog.base import BasePanelTransformer
from catalog.validation import check_panel

__all__ = ["MiniRocketTransformer", "RocketTransformer"]


@component(
    id="features.rocket",
    name="ROCKET features",
    level="atom",
    kind="feature",
    tasks=["classification"],
    summary="Max and proportion of positive values of thousands of random convolutions.",
    tags=["convolution", "feature-extraction"],
    capabilities=["univariate", "multivariate", "randomized"],
    requires=["aeon>=1.0"],
    search_space={
        "n_kernels": {"type": "int", "low": 500, "high": 20000, "log": True},
        "normalise": {"type": "categorical", "choices": [True, False]},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1007/s10618-020-00701-z"],
    since="0.1.0",
)
class RocketTransformer(BasePanelTransformer):
    """ROCKET: features from random convolutional kernels.

    Each of ``n_kernels`` kernels has a random length (7, 9 or 11), weights, bias,
    dilation and padding; convolving it with a series gives two features, the maximum
    and the proportion of positive values (PPV). A linear classifier on these features
    is accurate and fast [1]_. Wraps
    :class:`aeon.transformations.collection.convolution_based.Rocket`. The first call
    in a fresh environment compiles aeon's numba code (a few seconds, then cached).

    Parameters
    ----------
    n_kernels : int, default=10000
        Number of random kernels; the output has ``2 * n_kernels`` columns.
    normalise : bool, default=True
        Z-normalise each series before convolving.
    random_state : int or None, default=None
        Seed of the kernels, for reproducible features.

    Returns
    -------
    RocketTransformer
        ``fit`` returns the transformer; ``transform`` returns a 2-D array with one
        row per case and ``2 * n_kernels`` columns.

    See Also
    --------
    MiniRocketTransformer : faster, almost deterministic variant.

    References
    ----------
    .. [1] Dempster, A., Petitjean, F. and Webb, G.I. (2020). ROCKET: exceptionally
       fast and accurate time series classification using random convolutional
       kernels. Data Mining and Knowledge Discovery 34, 1454-1495.
       https://doi.org/10.1007/s10618-020-00701-z

    Examples
    --------
    >>> from catalog.atoms.classification.convolution import RocketTransformer
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> RocketTransformer(n_kernels=100, random_state=0).fit_transform(X).shape
    (24, 200)
    """

    def __init__(
        self, n_kernels: int = 10000, normalise: bool = True, random_state: int | None = None
    ) -> None:
        self.n_kernels = n_kernels
        self.normalise = normalise
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> RocketTransformer:
        from aeon.transformations.collection.convolution_based import Rocket

        panel = check_panel(X)
        self.transformer_ = Rocket(
            n_kernels=check_positive_int(self.n_kernels, "n_kernels"),
            normalise=self.normalise,
            random_state=self.random_state,
        ).fit(panel)
        self.n_channels_, self.n_timepoints_ = panel.shape[1:]
        return self

    def transform(self, X: Any) -> np.ndarray:
        panel = check_fitted_panel(X, self, same_length=False)
        return np.asarray(self.transformer_.transform(panel), dtype=float)


@component(
    id="features.minirocket",
    name="MiniRocket features",
    level="atom",
    kind="feature",
    tasks=["classification"],
    summary="Proportion of positive values of fixed, dilated convolutions: a faster ROCKET.",
    tags=["convolution", "feature-extraction", "fast"],
    capabilities=["univariate", "multivariate", "randomized"],
    requires=["aeon>=1.0"],
    search_space={
        "n_kernels": {"type": "int", "low": 84, "high": 20000, "log": True},
        "max_dilations_per_kernel": {"type": "int", "low": 8, "high": 64, "log": True},
    },
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1145/3447548.3467231"],
    since="0.1.0",
)
class MiniRocketTransformer(BasePanelTransformer):
    """MiniRocket: proportion-of-positive-values features of fixed dilated kernels.

    MiniRocket replaces ROCKET's random kernels by 84 fixed kernels of length 9 with
    weights -1 and 2, a set of dilations, and biases drawn from quantiles of the
    convolution output on training cases; each (kernel, dilation, bias) gives one PPV
    feature. Almost as accurate as ROCKET and up to 75 times faster [1]_. Wraps
    :class:`aeon.transformations.collection.convolution_based.MiniRocket`. Series
    need at least 9 time points.

    Parameters
    ----------
    n_kernels : int, default=10000
        Number of features wanted; rounded down to a multiple of 84.
    max_dilations_per_kernel : int, default=32
        Largest number of dilations per kernel.
    random_state : int or None, default=None
        Seed of the cases used to pick the biases, for reproducible features.

    Returns
    -------
    MiniRocketTransformer
        ``fit`` returns the transformer; ``transform`` returns a 2-D array with one
        row per case and about ``n_kernels`` columns.

    See Also
    --------
    RocketTransformer : the original random kernels.

    References
    ----------
    .. [1] Dempster, A., Schmidt, D.F. and Webb, G.I. (2021). MiniRocket: a very fast
       (almost) deterministic transform for time series classification. KDD '21,
       248-257. https://doi.org/10.1145/3447548.3467231

    Examples
    --------
    >>> from catalog.atoms.classification.convolution import MiniRocketTransformer
    >>> from catalog.testing import make_panel
    >>> X, y = make_panel()
    >>> MiniRocketTransformer(n_kernels=840, random_state=0).fit_transform(X).shape
    (24, 840)
    """

    def __init__(
        self,
        n_kernels: int = 10000,
        max_dilations_per_kernel: int = 32,
        random_state: int | None = None,
    ) -> None:
        self.n_kernels = n_kernels
        self.max_dilations_per_kernel = max_dilations_per_kernel
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> MiniRocketTransformer:
        from aeon.transformations.collection.convolution_based import MiniRocket

        panel = check_panel(X)
        if panel.shape[2] < 9:
            raise ValueError(
                f"MiniRocket needs series of at least 9 time points, found {panel.shape[2]}; "
                "use features.summary-statistics for such short series"
            )
        self.transformer_ = MiniRocket(
            n_kernels=check_positive_int(self.n_kernels, "n_kernels", 84),
            max_dilations_per_kernel=check_positive_int(
                self.max_dilations_per_kernel, "max_dilations_per_kernel"
            ),
            random_state=self.random_state,
        ).fit(panel)
        self.n_channels_, self.n_timepoints_ = panel.shape[1:]
        return self

    def transform(self, X: Any) -> np.ndarray:
        panel = check_fitted_panel(X, self)
        return np.asarray(self.transformer_.transform(panel), dtype=float)
