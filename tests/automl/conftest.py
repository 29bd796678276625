"""A fixture component written into the catalog for the length of a test.

AutoML derives its candidates from the catalog's metadata; these tests prove it by
adding a real component module to the catalog package (a forecaster that records the
last time stamp of every series it is fitted on) and removing it afterwards.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PROBE_ID = "forecasting.lookahead-probe"
PROBE_MODULE = "catalog.atoms.forecasting.zz_lookahead_probe"
PROBE_SOURCE = '''"""Test fixture: a naive forecaster that records what it was fitted on."""

from __future__ import annotations

from typing import Any

from catalog import component
from catalog.atoms.forecasting.naive import NaiveForecaster

FITTED_UNTIL: list[Any] = []


@component(
    id="forecasting.lookahead-probe",
    name="Look-ahead probe",
    level="atom",
    kind="model",
    tasks=["forecasting"],
    summary="Test fixture: repeats the last value and records the last time stamp it saw.",
    tags=["baseline"],
    capabilities=["univariate"],
    search_space={"offset": {"type": "float", "low": 0.0, "high": 1.0}},
    since="0.3.0",
)
class LookaheadProbe(NaiveForecaster):
    """Naive forecaster that appends the last time stamp of each fitted series to
    ``FITTED_UNTIL``.

    Parameters
    ----------
    offset : float, default=0.0
        Added to every forecast (a parameter for the search to tune).
    """

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def fit(self, y: Any, X: Any = None) -> LookaheadProbe:
        FITTED_UNTIL.append(y.index[-1])
        return super().fit(y, X)

    def predict(self, fh: Any, X: Any = None) -> Any:
        return super().predict(fh, X) + self.offset
'''


@pytest.fixture
def probe_component() -> Iterator[object]:
    """The probe's module, importable as a catalog component while the test runs."""
    import catalog

    folder = Path(catalog.__file__).parent / "atoms" / "forecasting"
    path = folder / f"{PROBE_MODULE.rsplit('.', 1)[1]}.py"
    path.write_text(PROBE_SOURCE, encoding="utf-8")
    try:
        importlib.invalidate_caches()
        module = importlib.import_module(PROBE_MODULE)
        module.FITTED_UNTIL.clear()
        yield module
    finally:
        path.unlink(missing_ok=True)
        sys.modules.pop(PROBE_MODULE, None)
        importlib.invalidate_caches()
