"""Anomaly-detection datasets: labelled series in files inside aeon and sktime (no download).

``load()`` returns ``(series, labels)``: a ``pandas.Series`` (``DataFrame`` for several
channels) with a ``RangeIndex``, and a 0/1 ``numpy`` array with one label per point.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from catalog import component
from catalog.base import BaseDataset
from catalog.datasets._base import import_optional, package_file

__all__ = [
    "DaphnetS06R02E0Dataset",
    "MITDBECGDataset",
    "UCRAnomaly135Dataset",
    "YahooS5ExcerptDataset",
]


def _sktime_csv(folder: str, title: str) -> tuple[pd.Series, np.ndarray]:
    path = package_file(
        "sktime.datasets", "data", folder, f"{folder}.csv", requirement="sktime>=1.0"
    )
    table = pd.read_csv(path)
    series = pd.Series(table["data"].to_numpy(dtype=float), name=title)
    return series, table["label"].to_numpy(dtype=int)


@component(
    id="dataset.ucr-anomaly-135",
    name="UCR anomaly 135: InternalBleeding16",
    level="atom",
    kind="dataset",
    tasks=["anomaly-detection"],
    summary="Physiological signal of a patient with internal bleeding, one anomaly at 4187-4198.",
    tags=["real-data", "benchmark", "subsequence-anomaly"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/TKDE.2021.3112126"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "BSD-3-Clause (aeon); data from the UCR Time Series Anomaly Archive",
        "length": 7501,
        "n_anomalies": 1,
    },
)
class UCRAnomaly135Dataset(BaseDataset):
    """Series 135 of the UCR anomaly archive (InternalBleeding16), as shipped in aeon.

    A univariate physiological recording of a patient with internal bleeding, from the
    KDD Cup 2021 multi-dataset anomaly detection competition, whose series each hold
    exactly one anomaly. The test part has 7,501 points with the anomaly at positions
    4187-4198 (12 points); the training part (``split="train"``, 1,200 points) is
    anomaly-free. Loaded with :func:`aeon.datasets.load_kdd_tsad_135`. TSB-AD reports
    VUS-PR on this series with a 1,875-point training part, so compare with care.

    Parameters
    ----------
    split : str, default="test"
        ``"test"`` for the labelled series, ``"train"`` for the normal training part.

    Returns
    -------
    tuple of (pandas.Series, numpy.ndarray)
        ``load()`` gives the series and its 0/1 labels.

    References
    ----------
    .. [1] Wu, R. and Keogh, E.J. (2021). Current time series anomaly detection
       benchmarks are flawed and are creating the illusion of progress. IEEE TKDE.
       https://doi.org/10.1109/TKDE.2021.3112126

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.datasets.anomaly import UCRAnomaly135Dataset
    >>> series, labels = UCRAnomaly135Dataset().load()
    >>> len(series), int(labels.sum()), np.flatnonzero(labels)[[0, -1]].tolist()
    (7501, 12, [4187, 4198])
    """

    def __init__(self, split: str = "test") -> None:
        self.split = split

    def load(self) -> tuple[pd.Series, np.ndarray]:
        if self.split not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', found {self.split!r}")
        datasets = import_optional("aeon.datasets", "aeon>=1.0")
        values, labels = datasets.load_kdd_tsad_135(split=self.split)
        series = pd.Series(np.asarray(values, dtype=float), name="InternalBleeding16")
        return series, np.asarray(labels, dtype=int)


@component(
    id="dataset.mitdb-ecg",
    name="MIT-BIH ECG excerpt",
    level="atom",
    kind="dataset",
    tasks=["anomaly-detection"],
    summary="7,500-point electrocardiogram excerpt with one labelled anomalous stretch.",
    tags=["real-data", "subsequence-anomaly", "high-frequency"],
    requires=["sktime>=1.0"],
    maturity="experimental",
    owner="atomkb",
    references=["https://doi.org/10.1109/51.932724"],
    since="0.1.0",
    dataset={
        "source": "sktime",
        "license": "BSD-3-Clause (sktime); data from the MIT-BIH Arrhythmia Database",
        "length": 7500,
        "n_anomalies": 1,
    },
)
class MITDBECGDataset(BaseDataset):
    """An electrocardiogram excerpt from the MIT-BIH Arrhythmia Database, as in sktime.

    7,500 points of one ECG lead with a single labelled anomalous stretch at positions
    6936-7287 (352 points), read from ``sktime/datasets/data/mitdb/mitdb.csv``. sktime
    does not document which record and beats the excerpt comes from, nor its sampling
    rate (the database records at 360 Hz).

    Returns
    -------
    tuple of (pandas.Series, numpy.ndarray)
        ``load()`` gives the series and its 0/1 labels.

    References
    ----------
    .. [1] Moody, G.B. and Mark, R.G. (2001). The impact of the MIT-BIH Arrhythmia
       Database. IEEE Engineering in Medicine and Biology, 20(3), 45-50.
       https://doi.org/10.1109/51.932724

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.datasets.anomaly import MITDBECGDataset
    >>> series, labels = MITDBECGDataset().load()
    >>> len(series), np.flatnonzero(labels)[[0, -1]].tolist()
    (7500, [6936, 7287])
    """

    def load(self) -> tuple[pd.Series, np.ndarray]:
        return _sktime_csv("mitdb", "ecg")


@component(
    id="dataset.yahoo-s5-excerpt",
    name="Yahoo S5 excerpt",
    level="atom",
    kind="dataset",
    tasks=["anomaly-detection"],
    summary="1,000-point series from the Yahoo S5 benchmark with 7 labelled point anomalies.",
    tags=["point-anomaly", "seasonality", "trend"],
    requires=["sktime>=1.0"],
    maturity="experimental",
    owner="atomkb",
    references=["https://webscope.sandbox.yahoo.com/catalog.php?datatype=s&did=70"],
    since="0.1.0",
    dataset={
        "source": "sktime",
        "license": "BSD-3-Clause (sktime); Yahoo Webscope S5 terms",
        "length": 1000,
        "n_anomalies": 7,
    },
)
class YahooS5ExcerptDataset(BaseDataset):
    """A series of the Yahoo Webscope S5 anomaly benchmark, as shipped in sktime.

    1,000 points with 7 single-point anomalies (positions 431, 478, 610, 681, 718,
    732, 846), read from ``sktime/datasets/data/yahoo/yahoo.csv``. S5 mixes real
    traffic series (A1) with synthetic ones (A2-A4); sktime does not say which this
    is, and its shape — a 12-step cycle on a trend, with negative values — looks like
    the synthetic part, so it is not tagged ``real-data``. Good for quick point-anomaly
    checks, not as evidence about real data.

    Returns
    -------
    tuple of (pandas.Series, numpy.ndarray)
        ``load()`` gives the series and its 0/1 labels.

    Examples
    --------
    >>> from catalog.datasets.anomaly import YahooS5ExcerptDataset
    >>> series, labels = YahooS5ExcerptDataset().load()
    >>> len(series), int(labels.sum())
    (1000, 7)
    """

    def load(self) -> tuple[pd.Series, np.ndarray]:
        return _sktime_csv("yahoo", "value")


@component(
    id="dataset.daphnet-s06r02e0",
    name="Daphnet freezing of gait S06R02E0",
    level="atom",
    kind="dataset",
    tasks=["anomaly-detection"],
    summary="9-channel accelerometer recording of a Parkinson's patient walking; no anomaly.",
    tags=["real-data", "high-frequency"],
    capabilities=["multivariate"],
    requires=["aeon>=1.0,<1.7"],
    maturity="deprecated",
    owner="atomkb",
    references=["https://doi.org/10.24432/C56K78"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "BSD-3-Clause (aeon); data CC BY 4.0 (UCI Machine Learning Repository)",
        "frequency": None,
        "length": 7040,
        "n_channels": 9,
        "n_anomalies": 0,
    },
)
class DaphnetS06R02E0Dataset(BaseDataset):
    """Daphnet recording S06R02E0: ankle, thigh and trunk accelerations, as in aeon.

    Three 3-axis accelerometers (9 channels, 64 Hz: 15.6 ms between time stamps) worn
    by a Parkinson's disease patient during walking tasks; freezing-of-gait episodes
    are the anomalies of this collection. The excerpt shipped in aeon holds **no**
    freezing episode: all 7,040 labels are 0. It is useful to measure false alarms on
    normal multivariate data, not to measure detection. aeon 1.6 deprecates the loader
    and 1.7 removes it, hence ``requires`` caps aeon below 1.7.

    Returns
    -------
    tuple of (pandas.DataFrame, numpy.ndarray)
        ``load()`` gives the 9-channel series and its (all-zero) labels.

    References
    ----------
    .. [1] Roggen, D., Plotnik, M. and Hausdorff, J. (2013). Daphnet Freezing of Gait.
       UCI Machine Learning Repository. https://doi.org/10.24432/C56K78

    Examples
    --------
    >>> from catalog.datasets.anomaly import DaphnetS06R02E0Dataset
    >>> series, labels = DaphnetS06R02E0Dataset().load()
    >>> series.shape, int(labels.sum())
    ((7040, 9), 0)
    """

    def load(self) -> tuple[pd.DataFrame, np.ndarray]:
        path = package_file(
            "aeon.datasets",
            "data",
            "Daphnet_S06R02E0",
            "S06R02E0.csv",
            requirement="aeon>=1.0,<1.7",
        )
        datasets = import_optional("aeon.datasets", "aeon>=1.0,<1.7")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            values, labels = datasets.load_daphnet_s06r02e0()
        columns = list(pd.read_csv(path, nrows=0).columns[1:-1])
        return pd.DataFrame(np.asarray(values, dtype=float), columns=columns), np.asarray(
            labels, dtype=int
        )
