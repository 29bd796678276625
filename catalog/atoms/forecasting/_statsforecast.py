"""Shared plumbing of the forecasters whose engine is statsforecast (compiled, for many series).

statsforecast's models take a NumPy array (and optional exogenous array), ``fit`` in
place and ``predict(h, X, level)`` a dict with ``mean``, ``lo-<level>`` and
``hi-<level>``; this base adapts that to the catalog's forecaster interface through
:class:`~catalog.atoms.forecasting.statistical._StatsmodelsForecaster`'s validation,
exogenous handling and future index.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from catalog.atoms.forecasting.statistical import _StatsmodelsForecaster

__all__: list[str] = []


class _StatsforecastForecaster(_StatsmodelsForecaster):
    """A catalog forecaster around one statsforecast model; ``results_`` is the fitted model."""

    def _model(self) -> Any:
        """The unfitted statsforecast model for the current parameters."""
        raise NotImplementedError

    def _fit_values(self, values: np.ndarray, exog: pd.DataFrame | None = None) -> Any:
        model = self._model()
        with warnings.catch_warnings():
            # statsforecast warns on candidate models it discards during its search.
            warnings.simplefilter("ignore")
            return model.fit(values, None if exog is None else exog.to_numpy(dtype=float))

    def _forecast_path(self, horizon: int, exog: np.ndarray | None = None) -> Any:
        return self.results_.predict(horizon, X=exog)["mean"]

    def _interval_path(
        self, horizon: int, coverage: float, exog: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        out = self.results_.predict(horizon, X=exog, level=[100.0 * coverage])
        lower = next(v for k, v in out.items() if k.startswith("lo-"))
        upper = next(v for k, v in out.items() if k.startswith("hi-"))
        return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)

    def predict_one_step(self, y: Any) -> np.ndarray:
        """One-step-ahead forecasts of every point of ``y`` with the fitted parameters.

        statsforecast's ``forward``: the fitted model is run over ``y`` without
        re-estimating anything, and its in-sample fitted values are returned.
        """
        from sklearn.utils.validation import check_is_fitted

        from catalog.atoms.forecasting.naive import univariate

        check_is_fitted(self)
        if getattr(self, "exog_columns_", None):
            raise ValueError(
                f"{type(self).__name__} was fitted with X; one-step forecasts of a new "
                "series need its X too, which predict_one_step does not take"
            )
        values = univariate(y, min_length=self._min_length()).to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = self.results_.forward(y=values, h=1, fitted=True)
        return np.asarray(out["fitted"], dtype=float)
