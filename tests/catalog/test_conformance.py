"""Every registered component passes the conformance suite (catalog.testing)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from catalog import all_components, component
from catalog.base import BaseSeriesTransformer
from catalog.testing import check_component, component_checks
from catalog.testing._checks import check_not_fitted_raises
from catalog.validation import check_series, series_values

CASES = [
    pytest.param(cls, check, id=f"{cid}-{check.__name__.removeprefix('check_')}")
    for cid, cls in all_components()
    for check in component_checks(cls)
]


@pytest.mark.parametrize(("cls", "check"), CASES)
def test_component_passes_check(cls: type, check) -> None:
    check(cls)


def test_every_component_is_checked() -> None:
    assert {c.values[0] for c in CASES} == {cls for _, cls in all_components()}


class _Centering(BaseSeriesTransformer):
    """Subtract the training mean of each channel."""

    def fit(self, y: Any, X: Any = None) -> _Centering:
        self.mean_ = series_values(check_series(y)).mean(axis=0)
        return self

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        return check_series(y) - self.mean_


_META = {
    "level": "atom",
    "kind": "preprocessor",
    "tasks": ["forecasting"],
    "summary": "Subtracts the training mean.",
}


@component(id="demo.forgetful-centering", name="Forgetful centering", **_META)
class ForgetfulCentering(_Centering):
    """Forgets ``check_is_fitted``: ``transform`` before ``fit`` raises AttributeError."""


@component(id="demo.guarded-centering", name="Guarded centering", **_META)
class GuardedCentering(_Centering):
    """Calls ``check_is_fitted`` first, as every fitted component must."""

    def transform(self, y: Any) -> pd.Series | pd.DataFrame:
        check_is_fitted(self)
        return super().transform(y)


@component(id="demo.stateless-centering", name="Stateless centering", **_META)
class StatelessCentering(ForgetfulCentering):
    """Declares ``requires_fit=False``, so no ``NotFittedError`` is asked of it."""

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags


def test_check_component_fails_when_an_output_method_forgets_the_fitted_guard() -> None:
    with pytest.raises(
        AssertionError,
        match=r"ForgetfulCentering\.transform called before fit raised AttributeError",
    ):
        check_component(ForgetfulCentering)


def test_check_component_passes_with_the_fitted_guard() -> None:
    check_not_fitted_raises(GuardedCentering)
    check_component(GuardedCentering)


def test_a_stateless_component_is_not_asked_for_not_fitted_error() -> None:
    assert check_not_fitted_raises in list(component_checks(GuardedCentering))
    assert check_not_fitted_raises not in list(component_checks(StatelessCentering))


@pytest.mark.parametrize(
    ("component_id", "bad"),
    [
        ("threshold.top-k", {"k": -1}),
        ("features.rolling-window", {"window": 0}),
        ("features.calendar", {"attributes": ["weekday", "moon"]}),
        ("features.fourier", {"n_terms": 0}),
        ("preprocessing.resample", {"aggregation": "median-ish"}),
    ],
)
def test_stateless_components_check_their_parameters_without_fit(component_id, bad):
    """requires_fit=False means no fit may run first, so the output method validates too."""
    from catalog import get_component
    from catalog.testing import make_anomaly_series, make_forecasting_series

    cls = get_component(component_id)
    est = cls(**bad)
    if component_id == "threshold.top-k":
        call = lambda: est.predict(np.abs(make_anomaly_series()[0].to_numpy()))  # noqa: E731
    else:
        call = lambda: est.transform(make_forecasting_series())  # noqa: E731
    with pytest.raises(ValueError, match=next(iter(bad))):
        call()
