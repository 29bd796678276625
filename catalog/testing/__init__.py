"""Conformance suite for catalog components, like scikit-learn's ``check_estimator``.

>>> from catalog.testing import check_component
>>> from catalog.atoms.forecasting.naive import SeasonalNaiveForecaster
>>> check_component(SeasonalNaiveForecaster)
"""

from catalog.testing._checks import check_component, component_checks
from catalog.testing._data import (
    make_anomaly_series,
    make_forecasting_series,
    make_panel,
)

__all__ = [
    "check_component",
    "component_checks",
    "make_anomaly_series",
    "make_forecasting_series",
    "make_panel",
]
