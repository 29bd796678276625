"""Automatic Theta: the Theta model variant chosen by in-sample fit, on statsforecast's engine."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.forecasting._statsforecast import _StatsforecastForecaster
from catalog.atoms.forecasting.statistical import _positive_int

__all__ = ["AutoThetaForecaster"]

_VARIANTS = (None, "STM", "OTM", "DSTM", "DOTM")


@component(
    id="forecasting.auto-theta",
    name="Automatic Theta forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Standard, optimised or dynamic Theta, chosen by in-sample fit, deseasonalised.",
    tags=["statistical", "exponential-smoothing", "trend", "seasonality", "fast", "automatic"],
    capabilities=["univariate", "seasonal", "probabilistic"],
    requires=["statsforecast>=2.0"],
    search_space={
        "variant": {"type": "categorical", "choices": [None, "STM", "OTM", "DSTM", "DOTM"]},
        "decomposition": {"type": "categorical", "choices": ["multiplicative", "additive"]},
    },
    maturity="experimental",
    owner="atomkb",
    references=[
        "https://doi.org/10.1016/j.ejor.2016.11.033",
        "https://doi.org/10.1016/S0169-2070(00)00066-2",
    ],
    since="0.2.0",
)
class AutoThetaForecaster(_StatsforecastForecaster):
    """The Theta family of Fiorucci et al., the variant chosen by its fit, via statsforecast.

    statsforecast's ``AutoTheta`` tests the series for seasonality at ``sp`` (the 90%
    autocorrelation test of the M4 benchmarks), removes it by classical decomposition
    when found, and fits the standard (STM), optimised (OTM) and dynamic (DSTM, DOTM)
    Theta models, keeping the one with the lowest in-sample error; the dynamic
    optimised Theta was among the best M4 benchmarks.

    Parameters
    ----------
    sp : int, default=1
        Seasonal period in steps; 1 means no deseasonalising.
    variant : {"STM", "OTM", "DSTM", "DOTM"} or None, default=None
        Fit only this variant; ``None`` chooses among the four.
    decomposition : {"multiplicative", "additive"}, default="multiplicative"
        Type of the classical decomposition that removes the season (additive is used
        anyway for a series that is not positive).

    Returns
    -------
    AutoThetaForecaster
        ``fit`` returns the fitted forecaster (``spec_`` is the chosen variant);
        ``predict`` returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Fiorucci, J.A., Pellegrini, T.R., Louzada, F., Petropoulos, F. and Koehler,
       A.B. (2016). Models for optimising the theta method and their relationship to
       state space models. IJF 32(4).
    .. [2] Assimakopoulos, V. and Nikolopoulos, K. (2000). The theta model: a
       decomposition approach to forecasting. IJF 16(4).

    Examples
    --------
    >>> from catalog.atoms.forecasting.auto_theta import AutoThetaForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> model = AutoThetaForecaster(sp=12).fit(y)
    >>> model.spec_ in ("STM", "OTM", "DSTM", "DOTM"), len(model.predict(6))
    (True, 6)
    """

    def __init__(
        self, sp: int = 1, variant: str | None = None, decomposition: str = "multiplicative"
    ) -> None:
        self.sp = sp
        self.variant = variant
        self.decomposition = decomposition

    def _validate(self) -> None:
        _positive_int("sp", self.sp)
        if self.variant not in _VARIANTS:
            raise ValueError(f"variant must be one of {list(_VARIANTS)}, found {self.variant!r}")
        if self.decomposition not in ("multiplicative", "additive"):
            raise ValueError(
                "decomposition must be 'multiplicative' or 'additive', found "
                f"{self.decomposition!r}"
            )

    def _min_length(self) -> int:
        return 4

    def _model(self) -> Any:
        from statsforecast.models import AutoTheta

        return AutoTheta(
            season_length=self.sp, decomposition_type=self.decomposition, model=self.variant
        )

    def _fit_values(self, values: Any, exog: Any = None) -> Any:
        results = super()._fit_values(values)
        self.spec_ = str(results.model_["modeltype"])
        return results
