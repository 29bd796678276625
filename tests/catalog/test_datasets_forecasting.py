"""Forecasting datasets: declared metadata matches the loaded data, files ship in packages."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from catalog import all_components
from catalog._core.declare import META_ATTRIBUTE
from catalog._core.schema import ComponentMeta
from catalog.base import BaseDataset
from catalog.datasets import forecasting
from catalog.datasets._base import import_optional, package_file

DATASETS = [getattr(forecasting, name) for name in forecasting.__all__]
IDS = [cls.__kb_component__["id"] for cls in DATASETS]


def _installed(requirement: str) -> bool:
    return importlib.util.find_spec(requirement.split(">")[0].split("<")[0]) is not None


@pytest.fixture(params=DATASETS, ids=IDS)
def dataset(request: pytest.FixtureRequest) -> type[BaseDataset]:
    cls = request.param
    missing = [r for r in cls.__kb_component__["requires"] if not _installed(r)]
    if missing:
        pytest.skip(f"{cls.__name__} needs {', '.join(missing)}, which is not installed")
    return cls


def test_every_forecasting_dataset_is_registered() -> None:
    registered = {cid for cid, _ in all_components(task="forecasting", kind="dataset")}
    assert set(IDS) <= registered
    expected = {"dataset.airline", "dataset.lynx", "dataset.shampoo-sales", "dataset.co2"}
    assert expected | {"dataset.sunspots", "dataset.nile"} <= set(IDS)


def test_declared_metadata_matches_the_loaded_series(dataset: type[BaseDataset]) -> None:
    info = ComponentMeta(**getattr(dataset, META_ATTRIBUTE)).dataset
    y = dataset().load()
    assert isinstance(y, pd.Series)
    assert len(y) == info.length
    assert isinstance(y.index, pd.PeriodIndex)
    assert y.index.freqstr.split("-")[0] == info.frequency
    assert info.n_series == 1 and info.n_channels == 1


def test_loaded_series_is_regular_complete_and_numeric(dataset: type[BaseDataset]) -> None:
    y = dataset().load()
    assert y.dtype == float and np.isfinite(y.to_numpy()).all()
    assert y.index.is_unique and y.index.is_monotonic_increasing
    # a regular PeriodIndex: each point is one period after the previous one
    steps = np.diff(y.index.asi8)
    assert (steps == 1).all(), "the series has gaps"
    assert y.name, "the series needs a name for plots and logs"


def test_loading_twice_gives_equal_independent_series(dataset: type[BaseDataset]) -> None:
    first, second = dataset().load(), dataset().load()
    pd.testing.assert_series_equal(first, second)
    first.iloc[0] = -1.0
    assert dataset().load().iloc[0] != -1.0, "load() must not hand out a shared object"


def test_aeon_files_are_read_from_inside_the_installed_package() -> None:
    aeon = pytest.importorskip("aeon.datasets", reason="aeon is not installed")
    root = Path(aeon.__file__).parent
    for name in ("Airline", "Lynx", "ShampooSales"):
        path = package_file("aeon.datasets", "data", name, f"{name}.csv", requirement="aeon")
        assert path.is_relative_to(root)


def test_statsmodels_files_are_read_from_inside_the_installed_package() -> None:
    pytest.importorskip("statsmodels", reason="statsmodels is not installed")
    for name in ("co2", "sunspots", "nile", "elec_equip", "macrodata"):
        module = import_optional(f"statsmodels.datasets.{name}", "statsmodels")
        assert (Path(module.__file__).parent / f"{name}.csv").is_file()


def test_known_values_of_the_classic_series() -> None:
    # first and last values as published with the data (Box-Jenkins series G, Cobb 1978)
    airline = forecasting.AirlineDataset().load()
    assert airline[pd.Period("1949-01", "M")] == 112.0
    assert airline[pd.Period("1960-12", "M")] == 432.0
    nile = forecasting.NileDataset().load()
    assert (str(nile.index[0]), nile.iloc[0]) == ("1871", 1120.0)
    assert str(nile.index[-1]) == "1970"


def test_co2_monthly_means_and_interpolated_gaps() -> None:
    statsmodels_co2 = pytest.importorskip("statsmodels.datasets.co2")
    weekly = statsmodels_co2.load_pandas().data["co2"]
    y = forecasting.CO2Dataset().load()
    march_1958 = weekly["1958-03"].mean()
    assert y[pd.Period("1958-03", "M")] == pytest.approx(march_1958)
    # 1958-06 has no weekly observation: the midpoint of May and July
    may, july = weekly["1958-05"].mean(), weekly["1958-07"].mean()
    assert weekly["1958-06"].isna().all()
    assert y[pd.Period("1958-06", "M")] == pytest.approx((may + july) / 2)


def test_missing_optional_library_gives_an_install_hint() -> None:
    with pytest.raises(ImportError, match=r'pip install "nolib>=1"'):
        import_optional("nolib_that_does_not_exist", "nolib>=1")


def test_missing_file_in_a_package_names_the_version_to_install() -> None:
    with pytest.raises(FileNotFoundError, match=r"does not ship data/Nope\.csv"):
        package_file("catalog.datasets", "data", "Nope.csv", requirement="atomkb")
