"""Per-case normalisation of a panel before classification."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

from catalog import component
from catalog.base import BasePanelTransformer
from catalog.validation import check_panel

__all__ = ["ZNormalizer"]


@component(
    id="classification.znormalize",
    name="Per-case z-normalisation",
    level="atom",
    kind="preprocessor",
    tasks=["classification"],
    summary="Z-normalises every channel of every case to mean 0 and standard deviation 1.",
    tags=["scaling", "fast"],
    capabilities=["univariate", "multivariate"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1007/s10618-016-0483-9"],
    since="0.1.0",
)
class ZNormalizer(BasePanelTransformer):
    """Z-normalise each channel of each case independently.

    Every series ``x`` (one channel of one case) becomes ``(x - mean(x)) / std(x)``, so
    that classifiers compare shapes rather than offsets and scales; a constant series
    becomes all zeros. Wraps :class:`aeon.transformations.collection.Normalizer`. It
    learns nothing: ``fit`` only validates the panel, and ``transform`` applies to any
    panel, whatever its number of cases.

    Returns
    -------
    ZNormalizer
        ``fit`` returns the transformer; ``transform`` returns a panel of the same shape
        ``(n_cases, n_channels, n_timepoints)``.

    See Also
    --------
    aeon.transformations.collection.Normalizer : the normalisation applied.

    References
    ----------
    .. [1] Bagnall, A. et al. (2017). The great time series classification bake off.
       Data Mining and Knowledge Discovery 31, 606-660.
       https://doi.org/10.1007/s10618-016-0483-9

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.atoms.classification.normalization import ZNormalizer
    >>> X = np.array([[[1.0, 2.0, 3.0]], [[10.0, 10.0, 10.0]]])
    >>> ZNormalizer().fit_transform(X).round(3).tolist()
    [[[-1.225, 0.0, 1.225]], [[0.0, 0.0, 0.0]]]
    """

    def fit(self, X: Any, y: Any = None) -> ZNormalizer:
        self.n_channels_ = check_panel(X).shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        from aeon.transformations.collection import Normalizer

        panel = check_panel(X)
        if panel.shape[1] != self.n_channels_:
            raise ValueError(
                f"X has {panel.shape[1]} channels but the normaliser was fitted on "
                f"{self.n_channels_}; pass cases with the fitted number of channels"
            )
        return np.asarray(Normalizer().fit_transform(panel), dtype=float)
