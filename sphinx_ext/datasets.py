"""``.. kb-dataset-summary:: id``: load a catalog dataset, plot it and summarise it.

Runs when a dataset page is read, which happens only when the page changed (see
:mod:`sphinx_ext.pages`), so loading the data costs nothing on a no-change rebuild.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from docutils import nodes
from sphinx.util import logging

from catalog import get_component
from sphinx_ext.directives import _CatalogDirective

__all__ = ["DatasetSummary", "summarise"]

logger = logging.getLogger(__name__)


def _series_rows(values: Any) -> list[list[str]]:
    import pandas as pd

    frame = values.to_frame() if isinstance(values, pd.Series) else pd.DataFrame(values)
    data = frame.to_numpy(dtype=float)
    rows = [["points", str(len(frame))], ["channels", str(frame.shape[1])]]
    if isinstance(frame.index, pd.DatetimeIndex | pd.PeriodIndex):
        rows += [["start", str(frame.index[0])], ["end", str(frame.index[-1])]]
        freq = getattr(frame.index, "freqstr", None)
        if freq:
            rows.append(["frequency", freq])
    rows += [
        ["mean", f"{np.nanmean(data):.4g}"],
        ["standard deviation", f"{np.nanstd(data):.4g}"],
        ["minimum", f"{np.nanmin(data):.4g}"],
        ["maximum", f"{np.nanmax(data):.4g}"],
        ["missing values", str(int(np.isnan(data).sum()))],
    ]
    return rows


def summarise(data: Any, image: Path, title: str) -> list[list[str]]:
    """Summary rows (statistic, value) of loaded data; draw it into ``image``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
    if isinstance(data, tuple) and np.asarray(data[0]).ndim == 3:
        X, y = np.asarray(data[0], dtype=float), np.asarray(data[1])
        classes, counts = np.unique(y, return_counts=True)
        rows = [
            ["cases", str(X.shape[0])],
            ["channels", str(X.shape[1])],
            ["time points", str(X.shape[2])],
            ["classes", ", ".join(f"{c} ({n})" for c, n in zip(classes, counts, strict=True))],
            ["missing values", str(int(np.isnan(X).sum()))],
        ]
        for label in classes[:6]:
            ax.plot(X[np.flatnonzero(y == label)[0], 0], label=f"class {label}")
        ax.legend(loc="best", fontsize="small")
        ax.set_xlabel("time point")
    elif isinstance(data, tuple):
        series, labels = data
        labels = np.asarray(labels).astype(int)
        rows = _series_rows(series)
        rows.append(["anomalous points", f"{int(labels.sum())} ({labels.mean():.2%})"])
        values = np.asarray(series, dtype=float)
        ax.plot(values, linewidth=0.7)
        ax.fill_between(
            np.arange(len(labels)),
            0,
            1,
            where=labels > 0,
            color="tab:red",
            alpha=0.3,
            transform=ax.get_xaxis_transform(),
            label="labelled anomaly",
        )
        ax.legend(loc="upper right", fontsize="small")
        ax.set_xlabel("time point")
    else:
        rows = _series_rows(data)
        series = data if isinstance(data, pd.Series | pd.DataFrame) else pd.Series(data)
        if isinstance(series.index, pd.PeriodIndex):
            series = series.copy()
            series.index = series.index.to_timestamp()
        series.plot(ax=ax, linewidth=0.9)
    ax.set_title(title)
    image.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(image, dpi=80)
    plt.close(fig)
    return rows


class DatasetSummary(_CatalogDirective):
    """Load the dataset, save a plot next to the page and render summary statistics."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        dataset_id = self.arguments[0]
        image = Path(self.env.srcdir) / "datasets" / "_images" / f"{dataset_id}.png"
        try:
            data = get_component(dataset_id)().load()
            rows = summarise(data, image, dataset_id)
        except Exception as error:  # noqa: BLE001 - any loader failure is reported, not raised
            logger.warning(
                f"dataset {dataset_id!r} could not be loaded ({type(error).__name__}: {error}); "
                "install the packages in its `requires`",
                location=self.get_location(),
                type="atomkb",
                subtype="dataset",
            )
            return []
        lines = [
            f".. image:: _images/{dataset_id}.png",
            f"   :alt: plot of {dataset_id}",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :class: kb-dataset-stats",
            "",
            "   * - statistic",
            "     - value",
        ]
        for name, value in rows:
            lines += [f"   * - {name}", f"     - {value}"]
        return self.parse_rst([*lines, ""])
