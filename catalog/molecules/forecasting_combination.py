"""A forecast combination: the mean of several automatic forecasters, each fitted on the series."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from catalog import component, get_component
from catalog.atoms.forecasting.naive import univariate
from catalog.base import BaseForecaster, forecast_horizon

__all__ = ["CombinationForecaster"]

DEFAULT_MEMBERS = ("forecasting.auto-ets", "forecasting.auto-arima", "forecasting.auto-theta")


@component(
    id="forecasting.combination",
    name="Forecast combination (ETS, ARIMA, Theta)",
    level="molecule",
    kind="pipeline",
    tasks=["forecasting"],
    summary="Averages the forecasts of automatic ETS, ARIMA and Theta: robust on unseen series.",
    tags=["ensemble", "statistical", "exponential-smoothing", "arima", "automatic"],
    capabilities=["univariate", "seasonal"],
    requires=["statsforecast>=2.0"],
    composes=["forecasting.auto-ets", "forecasting.auto-arima", "forecasting.auto-theta"],
    search_space={"combine": {"type": "categorical", "choices": ["mean", "median"]}},
    maturity="experimental",
    owner="atomkb",
    references=[
        "https://doi.org/10.1016/j.ijforecast.2019.04.014",
        "https://doi.org/10.1016/j.ijforecast.2019.05.006",
    ],
    since="0.2.0",
)
class CombinationForecaster(BaseForecaster):
    """Fit several forecasters on the same series and combine their forecasts.

    The first conclusion of the M4 competition is that combinations of statistical
    methods forecast unseen series more accurately than any one of them; a simple mean
    of automatic ETS, ARIMA and Theta (each choosing its own model by AICc or fit) is
    a strong, cheap member of that family (Petropoulos and Svetunkov's SCUM takes the
    median of four). A member that cannot be fitted to the series (too short, say) is
    left out and named in ``dropped_``; when none can, ``fit`` raises the first error.

    Parameters
    ----------
    forecasters : list of BaseForecaster or None, default=None
        The members; ``None`` means ``forecasting.auto-ets``, ``forecasting.auto-arima``
        and ``forecasting.auto-theta``, each with period ``sp``.
    sp : int, default=1
        Seasonal period given to the default members.
    combine : {"mean", "median"}, default="mean"
        How the members' forecasts are combined, step by step.

    Returns
    -------
    CombinationForecaster
        ``fit`` returns the fitted combination (``forecasters_`` the fitted members,
        ``dropped_`` the names of those that failed with their reason); ``predict`` a
        ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Makridakis, S., Spiliotis, E. and Assimakopoulos, V. (2020). The M4
       Competition: 100,000 time series and 61 forecasting methods. IJF 36(1).
    .. [2] Petropoulos, F. and Svetunkov, I. (2020). A simple combination of univariate
       models. IJF 36(1).

    Examples
    --------
    >>> from catalog.molecules.forecasting_combination import CombinationForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> model = CombinationForecaster(sp=12).fit(y)
    >>> len(model.forecasters_), len(model.predict(12))
    (3, 12)
    """

    def __init__(
        self, forecasters: list[Any] | None = None, sp: int = 1, combine: str = "mean"
    ) -> None:
        self.forecasters = forecasters
        self.sp = sp
        self.combine = combine

    def _members(self) -> list[Any]:
        if self.forecasters is None:
            return [get_component(cid)(sp=self.sp) for cid in DEFAULT_MEMBERS]
        if not isinstance(self.forecasters, list | tuple) or not self.forecasters:
            raise ValueError(
                f"forecasters must be a non-empty list of forecasters or None, found "
                f"{self.forecasters!r}"
            )
        for member in self.forecasters:
            if not hasattr(member, "fit") or not hasattr(member, "predict"):
                raise ValueError(
                    f"forecasters must hold catalog forecasters, found {member!r}; pick them "
                    "with `kb catalog list --task forecasting --kind model`"
                )
        return [clone(member) for member in self.forecasters]

    def fit(self, y: Any, X: Any = None) -> CombinationForecaster:
        if self.combine not in ("mean", "median"):
            raise ValueError(f"combine must be 'mean' or 'median', found {self.combine!r}")
        if not isinstance(self.sp, int | np.integer) or isinstance(self.sp, bool) or self.sp < 1:
            raise ValueError(f"sp must be an int >= 1, found {self.sp!r}")
        data = univariate(y)
        self.forecasters_, self.dropped_ = [], {}
        first_error: ValueError | None = None
        for member in self._members():
            try:
                self.forecasters_.append(member.fit(data, X))
            except ValueError as error:
                self.dropped_[type(member).__name__] = str(error)
                first_error = first_error or error
        if not self.forecasters_:
            raise first_error  # type: ignore[misc]
        return self

    def predict(self, fh: int | list[int], X: Any = None) -> pd.Series:
        check_is_fitted(self)
        steps = forecast_horizon(fh)
        paths = [member.predict(list(steps), X) for member in self.forecasters_]
        stacked = np.vstack([path.to_numpy(dtype=float) for path in paths])
        combined = stacked.mean(axis=0) if self.combine == "mean" else np.median(stacked, axis=0)
        return pd.Series(combined, index=paths[0].index, name=paths[0].name)
