"""Forecasting datasets: real series in files inside aeon and statsmodels (no download).

``load()`` returns a ``pandas.Series`` with a ``PeriodIndex`` of the series' frequency.
"""

from __future__ import annotations

import pandas as pd

from catalog import component
from catalog.base import BaseDataset
from catalog.datasets._base import import_optional, package_file

__all__ = [
    "AirlineDataset",
    "CO2Dataset",
    "ElecEquipDataset",
    "LynxDataset",
    "MacroGDPDataset",
    "NileDataset",
    "ShampooSalesDataset",
    "SunspotsDataset",
]


def _aeon_csv(name: str, freq: str, title: str) -> pd.Series:
    path = package_file("aeon.datasets", "data", name, f"{name}.csv", requirement="aeon>=1.0,<1.7")
    table = pd.read_csv(path, index_col=0)
    index = pd.PeriodIndex(table.index.astype(str), freq=freq, name="period")
    return pd.Series(table.iloc[:, 0].to_numpy(dtype=float), index=index, name=title)


def _statsmodels_data(name: str) -> pd.DataFrame:
    module = import_optional(f"statsmodels.datasets.{name}", "statsmodels>=0.14")
    return module.load_pandas().data


def _yearly(years: pd.Series, values: pd.Series, title: str) -> pd.Series:
    index = pd.PeriodIndex(years.astype(int).astype(str), freq="Y", name="period")
    return pd.Series(values.to_numpy(dtype=float), index=index, name=title)


@component(
    id="dataset.airline",
    name="Airline passengers",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Monthly international airline passengers 1949-1960 (Box & Jenkins series G).",
    tags=["real-data", "monthly", "seasonality", "trend", "benchmark"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
    dataset={"source": "aeon", "license": "BSD-3-Clause (aeon)", "frequency": "M", "length": 144},
)
class AirlineDataset(BaseDataset):
    """Monthly totals of international airline passengers (thousands), 1949-01 to 1960-12.

    Trend, a yearly season and a variance growing with the level (multiplicative
    seasonality). Loaded with :func:`aeon.datasets.load_airline`.

    Returns
    -------
    pandas.Series
        ``load()`` gives 144 floats indexed by a monthly ``PeriodIndex``.

    References
    ----------
    .. [1] Box, G.E.P., Jenkins, G.M. and Reinsel, G.C. (1976). Time Series Analysis,
       Forecasting and Control, 3rd edition. Holden-Day. Series G.

    Examples
    --------
    >>> from catalog.datasets.forecasting import AirlineDataset
    >>> y = AirlineDataset().load()
    >>> len(y), str(y.index[0]), float(y.iloc[0])
    (144, '1949-01', 112.0)
    """

    def load(self) -> pd.Series:
        datasets = import_optional("aeon.datasets", "aeon>=1.0")
        y = datasets.load_airline(return_array=False).astype(float)
        return y.rename_axis("period")


@component(
    id="dataset.lynx",
    name="Canadian lynx trappings",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Yearly Canadian lynx trappings 1821-1934: a ten-year population cycle.",
    tags=["real-data", "yearly", "benchmark"],
    requires=["aeon>=1.0,<1.7"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.2307/2345277"],
    since="0.1.0",
    dataset={"source": "aeon", "license": "BSD-3-Clause (aeon)", "frequency": "Y", "length": 114},
)
class LynxDataset(BaseDataset):
    """Yearly number of lynx trapped in the Mackenzie River district, 1821 to 1934.

    An asymmetric cycle of about ten years, not a calendar season. Read from
    ``aeon/datasets/data/Lynx/Lynx.csv``; aeon 1.7 removes it, hence ``aeon<1.7``.

    Returns
    -------
    pandas.Series
        ``load()`` gives 114 floats indexed by a yearly ``PeriodIndex``.

    References
    ----------
    .. [1] Campbell, M.J. and Walker, A.M. (1977). A survey of statistical work on the
       Mackenzie River series of annual Canadian lynx trappings for the years 1821-1934.
       Journal of the Royal Statistical Society A, 140(4), 411-431.
       https://doi.org/10.2307/2345277

    Examples
    --------
    >>> from catalog.datasets.forecasting import LynxDataset
    >>> y = LynxDataset().load()
    >>> len(y), str(y.index[0]), str(y.index[-1])
    (114, '1821', '1934')
    """

    def load(self) -> pd.Series:
        return _aeon_csv("Lynx", "Y", "Number of lynx trappings")


@component(
    id="dataset.shampoo-sales",
    name="Shampoo sales",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Monthly sales of a shampoo over three years (36 points): a short trending series.",
    tags=["real-data", "monthly", "trend"],
    requires=["aeon>=1.0,<1.7"],
    maturity="stable",
    owner="atomkb",
    since="0.1.0",
    dataset={"source": "aeon", "license": "BSD-3-Clause (aeon)", "frequency": "M", "length": 36},
)
class ShampooSalesDataset(BaseDataset):
    """Monthly sales of a shampoo over three years, dated 1991-01 to 1993-12 by aeon.

    Short and trending: what does a model do with few points? Read from
    ``aeon/datasets/data/ShampooSales/ShampooSales.csv``; aeon 1.7 removes it.

    Returns
    -------
    pandas.Series
        ``load()`` gives 36 floats indexed by a monthly ``PeriodIndex``.

    References
    ----------
    .. [1] Makridakis, S., Wheelwright, S.C. and Hyndman, R.J. (1998). Forecasting:
       methods and applications, 3rd edition. Wiley.

    Examples
    --------
    >>> from catalog.datasets.forecasting import ShampooSalesDataset
    >>> len(ShampooSalesDataset().load())
    36
    """

    def load(self) -> pd.Series:
        return _aeon_csv("ShampooSales", "M", "Number of shampoo sales")


@component(
    id="dataset.co2",
    name="Mauna Loa CO2",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Monthly mean atmospheric CO2 at Mauna Loa 1958-2001 (ppm), from weekly flask data.",
    tags=["real-data", "monthly", "seasonality", "trend"],
    requires=["statsmodels>=0.14"],
    maturity="stable",
    owner="atomkb",
    references=["https://scrippsco2.ucsd.edu/"],
    since="0.1.0",
    dataset={"source": "statsmodels", "license": "public domain", "frequency": "M", "length": 526},
)
class CO2Dataset(BaseDataset):
    """Atmospheric CO2 concentration at Mauna Loa (ppm), monthly, 1958-03 to 2001-12.

    statsmodels ships the weekly record (2,284 weeks from 1958-03-29, 59 of them
    missing). ``load()`` **resamples it to monthly means** and **fills the 5 months
    without any observation (1958-06, 1958-10, 1964-02 to 1964-04) by linear
    interpolation** between the neighbouring months, so the series is complete and
    regular. A steady trend plus a yearly season.

    Returns
    -------
    pandas.Series
        ``load()`` gives 526 floats indexed by a monthly ``PeriodIndex``.

    References
    ----------
    .. [1] Keeling, C.D. et al., Scripps CO2 program, atmospheric CO2 at Mauna Loa
       (sio-keel-flask). https://scrippsco2.ucsd.edu/

    Examples
    --------
    >>> from catalog.datasets.forecasting import CO2Dataset
    >>> y = CO2Dataset().load()
    >>> len(y), int(y.isna().sum())
    (526, 0)
    """

    def load(self) -> pd.Series:
        weekly = _statsmodels_data("co2")["co2"]
        monthly = weekly.resample("MS").mean().interpolate(method="linear")
        return monthly.to_period("M").rename_axis("period").rename("CO2 (ppm)")


@component(
    id="dataset.sunspots",
    name="Yearly sunspots",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Yearly sunspot numbers 1700-2008: an irregular eleven-year cycle.",
    tags=["real-data", "yearly", "benchmark"],
    requires=["statsmodels>=0.14"],
    maturity="stable",
    owner="atomkb",
    references=["https://www.sidc.be/SILSO/"],
    since="0.1.0",
    dataset={"source": "statsmodels", "license": "public domain", "frequency": "Y", "length": 309},
)
class SunspotsDataset(BaseDataset):
    """Yearly mean number of sunspots, 1700 to 2008 (NOAA's National Geophysical Data Center).

    A cycle of about eleven years whose length and height vary. Loaded with
    :mod:`statsmodels.datasets.sunspots`.

    Returns
    -------
    pandas.Series
        ``load()`` gives 309 floats indexed by a yearly ``PeriodIndex``.

    References
    ----------
    .. [1] SILSO, World Data Center for the sunspot number, Royal Observatory of
       Belgium. https://www.sidc.be/SILSO/

    Examples
    --------
    >>> from catalog.datasets.forecasting import SunspotsDataset
    >>> y = SunspotsDataset().load()
    >>> len(y), str(y.index[0])
    (309, '1700')
    """

    def load(self) -> pd.Series:
        table = _statsmodels_data("sunspots")
        return _yearly(table["YEAR"], table["SUNACTIVITY"], "Sunspot number")


@component(
    id="dataset.nile",
    name="Nile river flow",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Yearly flow of the Nile at Aswan 1871-1970, with a level shift around 1898.",
    tags=["real-data", "yearly"],
    requires=["statsmodels>=0.14"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1093/biomet/65.2.243"],
    since="0.1.0",
    dataset={"source": "statsmodels", "license": "public domain", "frequency": "Y", "length": 100},
)
class NileDataset(BaseDataset):
    """Yearly volume of the Nile's flow at Aswan (10^8 m^3), 1871 to 1970.

    The level drops around 1898: the textbook change-point series. Loaded with
    :mod:`statsmodels.datasets.nile`.

    Returns
    -------
    pandas.Series
        ``load()`` gives 100 floats indexed by a yearly ``PeriodIndex``.

    References
    ----------
    .. [1] Cobb, G.W. (1978). The problem of the Nile: conditional solution to a
       changepoint problem. Biometrika, 65(2), 243-251.
       https://doi.org/10.1093/biomet/65.2.243

    Examples
    --------
    >>> from catalog.datasets.forecasting import NileDataset
    >>> len(NileDataset().load())
    100
    """

    def load(self) -> pd.Series:
        table = _statsmodels_data("nile")
        return _yearly(table["year"], table["volume"], "Nile flow volume")


@component(
    id="dataset.elec-equip",
    name="Euro-area electrical equipment turnover",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Monthly turnover index of electrical equipment manufacturing, euro area, 1995-2016.",
    tags=["real-data", "monthly", "seasonality", "trend"],
    requires=["statsmodels>=0.14"],
    maturity="stable",
    owner="atomkb",
    references=["https://ec.europa.eu/eurostat"],
    since="0.1.0",
    dataset={"source": "statsmodels", "license": "public domain", "frequency": "M", "length": 257},
)
class ElecEquipDataset(BaseDataset):
    """Total turnover index of electrical equipment manufacturing in the euro area.

    Monthly, 1995-01 to 2016-05, not seasonally adjusted: a strong yearly season and
    the 2008-2009 crisis. Loaded with :mod:`statsmodels.datasets.elec_equip`.

    Returns
    -------
    pandas.Series
        ``load()`` gives 257 floats indexed by a monthly ``PeriodIndex``.

    References
    ----------
    .. [1] Eurostat, short-term business statistics. https://ec.europa.eu/eurostat

    Examples
    --------
    >>> from catalog.datasets.forecasting import ElecEquipDataset
    >>> y = ElecEquipDataset().load()
    >>> len(y), str(y.index[-1])
    (257, '2016-05')
    """

    def load(self) -> pd.Series:
        table = _statsmodels_data("elec_equip")
        values = table.iloc[:, 0].astype(float)
        return values.to_period("M").rename_axis("period").rename("Turnover index")


@component(
    id="dataset.macro-gdp",
    name="US real GDP",
    level="atom",
    kind="dataset",
    tasks=["forecasting"],
    summary="Quarterly US real GDP 1959Q1-2009Q3 (billions of chained 2005 dollars).",
    tags=["real-data", "quarterly", "trend"],
    requires=["statsmodels>=0.14"],
    maturity="stable",
    owner="atomkb",
    references=["https://fred.stlouisfed.org/series/GDPC1"],
    since="0.1.0",
    dataset={"source": "statsmodels", "license": "public domain", "frequency": "Q", "length": 203},
)
class MacroGDPDataset(BaseDataset):
    """Quarterly US real gross domestic product, 1959Q1 to 2009Q3, seasonally adjusted.

    The ``realgdp`` column of :mod:`statsmodels.datasets.macrodata` (from FRED): a
    smooth trend broken by recessions.

    Returns
    -------
    pandas.Series
        ``load()`` gives 203 floats indexed by a quarterly ``PeriodIndex``.

    References
    ----------
    .. [1] Federal Reserve Bank of St. Louis, FRED, real gross domestic product.
       https://fred.stlouisfed.org/series/GDPC1

    Examples
    --------
    >>> from catalog.datasets.forecasting import MacroGDPDataset
    >>> y = MacroGDPDataset().load()
    >>> len(y), str(y.index[0])
    (203, '1959Q1')
    """

    def load(self) -> pd.Series:
        table = _statsmodels_data("macrodata")
        labels = [
            f"{int(y)}Q{int(q)}" for y, q in zip(table["year"], table["quarter"], strict=True)
        ]
        index = pd.PeriodIndex(labels, freq="Q", name="period")
        return pd.Series(table["realgdp"].to_numpy(dtype=float), index=index, name="Real GDP")
