"""Automatic ETS: the exponential-smoothing model chosen by AICc, on statsforecast's engine."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.forecasting._statsforecast import _StatsforecastForecaster
from catalog.atoms.forecasting.statistical import _positive_int

__all__ = ["AutoETSForecaster"]

_LETTERS = {0: "EAMZ", 1: "NAMZ", 2: "NAMZ"}


@component(
    id="forecasting.auto-ets",
    name="Automatic ETS forecaster",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Exponential smoothing whose error, trend and season are chosen by AICc (fast).",
    tags=["statistical", "exponential-smoothing", "trend", "seasonality", "fast", "automatic"],
    capabilities=["univariate", "seasonal", "probabilistic"],
    requires=["statsforecast>=2.0"],
    search_space={
        "model": {"type": "categorical", "choices": ["ZZZ", "ZZN", "ANN", "AAN", "MMM"]},
        "damped": {"type": "categorical", "choices": [None, True, False]},
    },
    maturity="experimental",
    owner="atomkb",
    references=[
        "https://otexts.com/fpp3/ets-forecasting.html",
        "https://doi.org/10.18637/jss.v027.i03",
    ],
    since="0.2.0",
)
class AutoETSForecaster(_StatsforecastForecaster):
    """ETS with the model chosen by AICc, as R's ``ets``, via statsforecast's ``AutoETS``.

    Every error (additive, multiplicative), trend (none, additive, damped) and season
    (none, additive, multiplicative) combination allowed by ``model`` and the data is
    fitted and the one with the lowest AICc kept; multiplicative parts need a positive
    series, and a season needs ``sp`` between 2 and 24 and two full seasons (longer
    periods are better removed first with ``preprocessing.deseasonalize``). Compiled,
    so a fit takes milliseconds to a few seconds even on long series.

    Parameters
    ----------
    sp : int, default=1
        Seasonal period in steps; 1 means no season.
    model : str, default="ZZZ"
        Three letters for error, trend and season: ``A`` additive, ``M``
        multiplicative, ``N`` none, ``Z`` chosen by AICc (error cannot be ``N``).
    damped : bool or None, default=None
        Damp the trend (``True``), never (``False``), or let AICc decide (``None``).

    Returns
    -------
    AutoETSForecaster
        ``fit`` returns the fitted forecaster (``spec_`` is the chosen model, e.g.
        ``"ETS(M,Ad,N)"``); ``predict`` returns a ``pandas.Series`` on the future index.

    References
    ----------
    .. [1] Hyndman, R.J. and Athanasopoulos, G. (2021). Forecasting: principles and
       practice, 3rd edition, section 8.6. https://otexts.com/fpp3/ets-forecasting.html
    .. [2] Hyndman, R.J. and Khandakar, Y. (2008). Automatic time series forecasting:
       the forecast package for R. Journal of Statistical Software 27(3).

    Examples
    --------
    >>> from catalog.atoms.forecasting.auto_ets import AutoETSForecaster
    >>> from catalog.testing import make_forecasting_series
    >>> y = make_forecasting_series(n=48)
    >>> model = AutoETSForecaster(sp=12).fit(y)
    >>> model.spec_.startswith("ETS("), len(model.predict(12))
    (True, 12)
    """

    def __init__(self, sp: int = 1, model: str = "ZZZ", damped: bool | None = None) -> None:
        self.sp = sp
        self.model = model
        self.damped = damped

    def _validate(self) -> None:
        _positive_int("sp", self.sp)
        if not (
            isinstance(self.model, str)
            and len(self.model) == 3
            and all(letter in _LETTERS[i] for i, letter in enumerate(self.model))
        ):
            raise ValueError(
                "model must be three letters for error (A, M, Z), trend and season (N, A, M, "
                f"Z), found {self.model!r}"
            )
        if self.damped not in (None, True, False):
            raise ValueError(f"damped must be True, False or None, found {self.damped!r}")

    def _min_length(self) -> int:
        return 8  # statsforecast refuses shorter series ("tiny datasets")

    def _model(self) -> Any:
        from statsforecast.models import AutoETS

        return AutoETS(season_length=self.sp, model=self.model, damped=self.damped)

    def _fit_values(self, values: Any, exog: Any = None) -> Any:
        results = super()._fit_values(values)
        self.spec_ = str(results.model_["method"])
        return results
