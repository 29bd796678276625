"""Classification datasets: UCR/UEA archive problems in files inside aeon (no download).

``load()`` returns ``(X, y)``: ``X`` of shape ``(n_cases, n_channels, n_timepoints)`` and
string labels ``y``. ``split="train"``/``"test"`` gives the archive's default split; the
default ``split=None`` gives all cases, training cases first (what ``n_series`` counts).
"""

from __future__ import annotations

import numpy as np

from catalog import component
from catalog.base import BaseDataset
from catalog.datasets._base import import_optional, package_file

__all__ = [
    "ACSF1Dataset",
    "ArrowHeadDataset",
    "BasicMotionsDataset",
    "GunPointDataset",
    "ItalyPowerDemandDataset",
    "OSULeafDataset",
]


def _load_ts(problem: str, split: str | None, requirement: str) -> tuple[np.ndarray, np.ndarray]:
    """Read ``<problem>_TRAIN.ts`` and/or ``_TEST.ts`` from ``aeon/datasets/data``."""
    if split not in ("train", "test", None):
        raise ValueError(
            f"split must be 'train', 'test' or None (all cases, training cases first), "
            f"found {split!r}"
        )
    datasets = import_optional("aeon.datasets", requirement)
    parts = []
    for part in ("train", "test") if split is None else (split,):
        name = f"{problem}_{part.upper()}.ts"
        path = package_file("aeon.datasets", "data", problem, name, requirement=requirement)
        X, y = datasets.load_from_ts_file(str(path), return_type="numpy3D")
        parts.append((np.asarray(X, dtype=float), np.asarray(y)))
    return np.concatenate([X for X, _ in parts]), np.concatenate([y for _, y in parts])


@component(
    id="dataset.gunpoint",
    name="GunPoint",
    level="atom",
    kind="dataset",
    tasks=["classification"],
    summary="Hand position of an actor drawing a gun or pointing a finger: 2 classes, 200 cases.",
    tags=["real-data", "benchmark"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/JAS.2019.1911747"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "UCR/UEA archive: free to use, cite the archive",
        "length": 150,
        "n_series": 200,
        "n_classes": 2,
    },
)
class GunPointDataset(BaseDataset):
    """GunPoint (UCR): x-coordinate of the right hand while drawing a gun or pointing.

    150 points per case; classes ``"1"`` (gun) and ``"2"`` (point); 50 training and
    150 test cases. Read from ``aeon/datasets/data/GunPoint``.

    Parameters
    ----------
    split : str or None, default=None
        ``"train"``, ``"test"`` or ``None`` (all 200 cases, training cases first).

    Returns
    -------
    tuple of numpy.ndarray
        ``load()`` gives ``X`` of shape ``(n_cases, 1, 150)`` and labels ``y``.

    References
    ----------
    .. [1] Dau, H.A. et al. (2019). The UCR time series archive. IEEE/CAA Journal of
       Automatica Sinica 6(6), 1293-1305. https://doi.org/10.1109/JAS.2019.1911747

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.datasets.classification import GunPointDataset
    >>> X, y = GunPointDataset(split="train").load()
    >>> X.shape, np.unique(y).tolist()
    ((50, 1, 150), ['1', '2'])
    """

    def __init__(self, split: str | None = None) -> None:
        self.split = split

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        return _load_ts("GunPoint", self.split, "aeon>=1.0")


@component(
    id="dataset.arrowhead",
    name="ArrowHead",
    level="atom",
    kind="dataset",
    tasks=["classification"],
    summary="Outlines of projectile points as series: 3 classes, 211 cases of 251 points.",
    tags=["real-data", "benchmark"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/JAS.2019.1911747"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "UCR/UEA archive: free to use, cite the archive",
        "length": 251,
        "n_series": 211,
        "n_classes": 3,
    },
)
class ArrowHeadDataset(BaseDataset):
    """ArrowHead (UCR): arrowhead outlines turned into series by angle-based mapping.

    Classes ``"0"``, ``"1"``, ``"2"`` (Avonlea, Clovis, mixed); only 36 training cases
    for 175 test cases, so it rewards methods that generalise from few examples.
    Read from ``aeon/datasets/data/ArrowHead``.

    Parameters
    ----------
    split : str or None, default=None
        ``"train"``, ``"test"`` or ``None`` (all 211 cases, training cases first).

    Returns
    -------
    tuple of numpy.ndarray
        ``load()`` gives ``X`` of shape ``(n_cases, 1, 251)`` and labels ``y``.

    References
    ----------
    .. [1] Dau, H.A. et al. (2019). The UCR time series archive. IEEE/CAA Journal of
       Automatica Sinica 6(6), 1293-1305. https://doi.org/10.1109/JAS.2019.1911747

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.datasets.classification import ArrowHeadDataset
    >>> X, y = ArrowHeadDataset(split="test").load()
    >>> X.shape, np.unique(y).tolist()
    ((175, 1, 251), ['0', '1', '2'])
    """

    def __init__(self, split: str | None = None) -> None:
        self.split = split

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        return _load_ts("ArrowHead", self.split, "aeon>=1.0")


@component(
    id="dataset.italy-power-demand",
    name="ItalyPowerDemand",
    level="atom",
    kind="dataset",
    tasks=["classification"],
    summary="Daily profiles of Italian electricity demand, winter or summer: 2 classes, 1096 days.",
    tags=["real-data", "benchmark"],
    capabilities=["univariate"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/JAS.2019.1911747"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "UCR/UEA archive: free to use, cite the archive",
        "frequency": "h",
        "length": 24,
        "n_series": 1096,
        "n_classes": 2,
    },
)
class ItalyPowerDemandDataset(BaseDataset):
    """ItalyPowerDemand (UCR): 24 hourly electricity demands of one day in Italy (1997).

    Class ``"1"`` for days from October to March, ``"2"`` for April to September;
    67 training and 1029 test cases. Read from ``aeon/datasets/data/ItalyPowerDemand``.

    Parameters
    ----------
    split : str or None, default=None
        ``"train"``, ``"test"`` or ``None`` (all 1096 cases, training cases first).

    Returns
    -------
    tuple of numpy.ndarray
        ``load()`` gives ``X`` of shape ``(n_cases, 1, 24)`` and labels ``y``.

    References
    ----------
    .. [1] Dau, H.A. et al. (2019). The UCR time series archive. IEEE/CAA Journal of
       Automatica Sinica 6(6), 1293-1305. https://doi.org/10.1109/JAS.2019.1911747

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.datasets.classification import ItalyPowerDemandDataset
    >>> X, y = ItalyPowerDemandDataset(split="train").load()
    >>> X.shape, np.unique(y).tolist()
    ((67, 1, 24), ['1', '2'])
    """

    def __init__(self, split: str | None = None) -> None:
        self.split = split

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        return _load_ts("ItalyPowerDemand", self.split, "aeon>=1.0")


@component(
    id="dataset.osuleaf",
    name="OSULeaf",
    level="atom",
    kind="dataset",
    tasks=["classification"],
    summary="Leaf outlines of six tree species as series: 6 classes, 442 cases of 427 points.",
    tags=["real-data", "benchmark"],
    capabilities=["univariate"],
    requires=["aeon>=1.0,<1.7"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/JAS.2019.1911747"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "UCR/UEA archive: free to use, cite the archive",
        "length": 427,
        "n_series": 442,
        "n_classes": 6,
    },
)
class OSULeafDataset(BaseDataset):
    """OSULeaf (UCR): outlines of leaves of six species, as distance-from-centre series.

    Classes ``"1"`` to ``"6"``; 200 training and 242 test cases. Shape differences are
    local, which shift-invariant features (ROCKET) capture much better than 1-NN.
    aeon 1.6 deprecated its copy and 1.7 removes it, hence ``aeon<1.7``.

    Parameters
    ----------
    split : str or None, default=None
        ``"train"``, ``"test"`` or ``None`` (all 442 cases, training cases first).

    Returns
    -------
    tuple of numpy.ndarray
        ``load()`` gives ``X`` of shape ``(n_cases, 1, 427)`` and labels ``y``.

    References
    ----------
    .. [1] Dau, H.A. et al. (2019). The UCR time series archive. IEEE/CAA Journal of
       Automatica Sinica 6(6), 1293-1305. https://doi.org/10.1109/JAS.2019.1911747

    Examples
    --------
    >>> from catalog.datasets.classification import OSULeafDataset
    >>> X, y = OSULeafDataset(split="train").load()
    >>> X.shape, len(set(y))
    ((200, 1, 427), 6)
    """

    def __init__(self, split: str | None = None) -> None:
        self.split = split

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        return _load_ts("OSULeaf", self.split, "aeon>=1.0,<1.7")


@component(
    id="dataset.basic-motions",
    name="BasicMotions",
    level="atom",
    kind="dataset",
    tasks=["classification"],
    summary="Smartwatch accelerometer and gyroscope, 6 channels: 4 activities, 80 cases.",
    tags=["real-data", "benchmark", "high-frequency"],
    capabilities=["multivariate"],
    requires=["aeon>=1.0"],
    maturity="stable",
    owner="atomkb",
    references=["https://arxiv.org/abs/1811.00075"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "UCR/UEA archive: free to use, cite the archive",
        "frequency": "100ms",
        "length": 100,
        "n_series": 80,
        "n_channels": 6,
        "n_classes": 4,
    },
)
class BasicMotionsDataset(BaseDataset):
    """BasicMotions (UEA): 10 s of a smartwatch's 3-D accelerometer and gyroscope at 10 Hz.

    Six channels (acceleration x, y, z, then rotation x, y, z); classes
    ``"badminton"``, ``"running"``, ``"standing"``, ``"walking"``; 40 training and 40
    test cases. Read from ``aeon/datasets/data/BasicMotions``.

    Parameters
    ----------
    split : str or None, default=None
        ``"train"``, ``"test"`` or ``None`` (all 80 cases, training cases first).

    Returns
    -------
    tuple of numpy.ndarray
        ``load()`` gives ``X`` of shape ``(n_cases, 6, 100)`` and labels ``y``.

    References
    ----------
    .. [1] Bagnall, A. et al. (2018). The UEA multivariate time series classification
       archive, 2018. https://arxiv.org/abs/1811.00075

    Examples
    --------
    >>> import numpy as np
    >>> from catalog.datasets.classification import BasicMotionsDataset
    >>> X, y = BasicMotionsDataset(split="test").load()
    >>> X.shape, np.unique(y).tolist()
    ((40, 6, 100), ['badminton', 'running', 'standing', 'walking'])
    """

    def __init__(self, split: str | None = None) -> None:
        self.split = split

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        return _load_ts("BasicMotions", self.split, "aeon>=1.0")


@component(
    id="dataset.acsf1",
    name="ACSF1",
    level="atom",
    kind="dataset",
    tasks=["classification"],
    summary="Power consumption of household appliances over a day: 10 classes, 200 cases.",
    tags=["real-data", "benchmark"],
    capabilities=["univariate"],
    requires=["aeon>=1.0,<1.7"],
    maturity="stable",
    owner="atomkb",
    references=["https://doi.org/10.1109/JAS.2019.1911747"],
    since="0.1.0",
    dataset={
        "source": "aeon",
        "license": "UCR/UEA archive: free to use, cite the archive",
        "length": 1460,
        "n_series": 200,
        "n_classes": 10,
    },
)
class ACSF1Dataset(BaseDataset):
    """ACSF1 (UCR): one day of power use of an appliance, sampled every minute or so.

    1460 points per case; classes ``"0"`` to ``"9"`` (appliance types such as fridges,
    lamps, laptops); 100 training and 100 test cases. aeon 1.6 deprecated its copy
    and 1.7 removes it, hence ``aeon<1.7``.

    Parameters
    ----------
    split : str or None, default=None
        ``"train"``, ``"test"`` or ``None`` (all 200 cases, training cases first).

    Returns
    -------
    tuple of numpy.ndarray
        ``load()`` gives ``X`` of shape ``(n_cases, 1, 1460)`` and labels ``y``.

    References
    ----------
    .. [1] Dau, H.A. et al. (2019). The UCR time series archive. IEEE/CAA Journal of
       Automatica Sinica 6(6), 1293-1305. https://doi.org/10.1109/JAS.2019.1911747

    Examples
    --------
    >>> from catalog.datasets.classification import ACSF1Dataset
    >>> X, y = ACSF1Dataset(split="train").load()
    >>> X.shape, len(set(y))
    ((100, 1, 1460), 10)
    """

    def __init__(self, split: str | None = None) -> None:
        self.split = split

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        return _load_ts("ACSF1", self.split, "aeon>=1.0,<1.7")
