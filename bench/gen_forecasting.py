"""Forecasting on data nobody tuned to: the M4 weekly set and every catalog forecasting series.

M4 weekly (359 series, ``../shared/data/m4-weekly``), on the competition's protocol:
horizon 13, sMAPE, MASE with m = 1, OWA = mean of sMAPE and MASE each divided by
Naive2's (for weekly data Naive2 is the naive forecast). The series carry no dates, so
each gets a weekly index (the set's frequency): the organism decides its season from
that and from the data, as it would for a user's weekly file. Rows: ``forecasting.pipeline``
with its defaults, ``forecasting.combination`` (its engine), every forecasting model
component of the catalog with its defaults, and Naive2 and Theta recomputed by us (the
M4 benchmarks' Theta: classical Theta, no deseasonalising for weekly data) beside the
published figures. Then win/tie/loss of the organism against the baselines per series
(MASE; a tie is within 1%), the series where it loses to both naive and Theta, and fit
times (mean and 95th percentile per series).

The catalog's forecasting datasets (the series that ship inside installed packages),
each over its last 3 windows of the M4 horizon of its frequency (yearly 6, quarterly 8,
monthly 18, weekly 13, otherwise 14): mean MASE (scale: the seasonal naive of the
frequency's period, as M4) of the organism, of its 0.1 default (log + ETS with a
12-step season), of naive, seasonal naive and Theta; a failure is printed as such.

Run: ``python bench/gen_forecasting.py`` (``--quick``: every 10th M4 series).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from catalog import all_components, get_component
from catalog.atoms.shared.seasonality import frequency_period

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "m4-weekly"
H = 13
PUBLISHED = {  # M4 "Evaluation and Ranks", weekly subset: sMAPE, MASE, OWA
    "Naive2 (ours)": (9.161, 2.777, 1.000),
    "Theta (ours, M4 benchmark)": (9.093, 2.637, 0.971),
    "SES (published)": (9.012, 2.685, 0.975),
    "Damped (published)": (8.866, 2.404, 0.917),
    "Smyl, M4 winner (published)": (7.817, 2.356, 0.851),
}
HORIZONS = {1: 6, 4: 8, 12: 18, 52: 13}
ORGANISM = "forecasting.pipeline (defaults)"
NAIVE2 = "Naive2 (ours)"
THETA = "Theta (ours, M4 benchmark)"


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    return float(np.mean(200 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast))))


def mase(train: np.ndarray, actual: np.ndarray, forecast: np.ndarray, m: int = 1) -> float:
    m = m if len(train) > 2 * m else 1
    scale = np.mean(np.abs(train[m:] - train[:-m]))
    return float(np.mean(np.abs(actual - forecast)) / scale)


def _load_m4(quick: bool) -> list[tuple[str, pd.Series, np.ndarray]]:
    if not (DATA / "Weekly-train.csv").exists():
        sys.exit(f"the M4 weekly data is missing at {DATA}; see ../shared/data/README.md")
    train = pd.read_csv(DATA / "Weekly-train.csv", index_col=0)
    test = pd.read_csv(DATA / "Weekly-test.csv", index_col=0)
    rows = range(0, len(train), 10) if quick else range(len(train))
    out = []
    for i in rows:
        values = train.iloc[i].dropna().to_numpy(dtype=float)
        index = pd.date_range("2000-01-02", periods=len(values), freq="W-SUN")
        out.append(
            (
                train.index[i],
                pd.Series(values, index=index),
                test.iloc[i].dropna().to_numpy(dtype=float),
            )
        )
    return out


def _candidates() -> dict[str, Callable[[], Any]]:
    methods: dict[str, Callable[[], Any]] = {
        ORGANISM: get_component("forecasting.pipeline"),
        NAIVE2: get_component("forecasting.naive"),
        THETA: lambda: get_component("forecasting.theta")(sp=1),
    }
    for cid, cls in all_components(task="forecasting", kind="model"):
        methods[f"{cid} (defaults)"] = cls
    return methods


def _forecast(
    make: Callable[[], Any], y: pd.Series, h: int
) -> tuple[Any, np.ndarray | None, float]:
    """The fitted model (or None), its forecast (None when it failed) and the seconds taken."""
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = make().fit(y)
            forecast = model.predict(h).to_numpy(dtype=float)
    except (ValueError, np.linalg.LinAlgError):
        return None, None, time.perf_counter() - start
    if not np.isfinite(forecast).all():
        return model, None, time.perf_counter() - start
    return model, forecast, time.perf_counter() - start


def _score_series(item: tuple[str, pd.Series, np.ndarray]) -> dict[str, Any]:
    """Every method on one M4 series: (sMAPE, MASE), seconds, failure, organism decisions."""
    _, y, actual = item
    naive = np.repeat(y.iloc[-1], H)
    out: dict[str, Any] = {"scores": {}, "seconds": {}, "failed": {}, "decisions": None}
    for name, make in _candidates().items():
        model, forecast, seconds = _forecast(make, y, H)
        out["seconds"][name] = seconds
        out["failed"][name] = forecast is None
        if forecast is None:  # a failed fit is scored as the naive forecast, and counted
            forecast = naive
        out["scores"][name] = (smape(actual, forecast), mase(y.to_numpy(), actual, forecast))
        if name == ORGANISM and model is not None:
            out["decisions"] = model.decisions_
    return out


def run_m4(quick: bool, workers: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    series = _load_m4(quick)
    methods = list(_candidates())
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_score_series, series, chunksize=4))
    scores = {name: [r["scores"][name] for r in results] for name in methods}
    times = {name: [r["seconds"][name] for r in results] for name in methods}
    failures = {name: sum(r["failed"][name] for r in results) for name in methods}
    decisions = [r["decisions"] for r in results if r["decisions"] is not None]
    base = np.mean(scores[NAIVE2], axis=0)
    print(f"\n## M4 weekly: {len(series)} series, h={H} (published figures beside ours)\n")
    print(
        "| method | sMAPE | MASE | OWA | published sMAPE / MASE / OWA | failed | fit s mean / p95 |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in sorted(methods, key=lambda n: _owa(scores[n], base)):
        s, m = np.mean(scores[name], axis=0)
        pub = PUBLISHED.get(name)
        published = f"{pub[0]:.3f} / {pub[1]:.3f} / {pub[2]:.3f}" if pub else "—"
        t = np.array(times[name])
        print(
            f"| {name} | {s:.3f} | {m:.3f} | {_owa(scores[name], base):.3f} | {published} | "
            f"{failures[name]} | {t.mean():.2f} / {np.percentile(t, 95):.2f} |"
        )
    for name in ("SES (published)", "Damped (published)", "Smyl, M4 winner (published)"):
        s, m, o = PUBLISHED[name]
        print(f"| {name} | {s:.3f} | {m:.3f} | {o:.3f} | — | — | — |")
    print()
    for key in (NAIVE2, THETA):
        ours, (s, m, _) = np.mean(scores[key], axis=0), PUBLISHED[key]
        print(
            f"{key} recomputed vs published: sMAPE {100 * (ours[0] / s - 1):+.2f}%, "
            f"MASE {100 * (ours[1] / m - 1):+.2f}%"
        )
    organism = np.array([m for _, m in scores[ORGANISM]])
    print("\nWin/tie/loss of forecasting.pipeline per series (MASE, tie within 1%):")
    for baseline in (NAIVE2, THETA, "forecasting.seasonal-naive (defaults)"):
        other = np.array([m for _, m in scores[baseline]])
        tie = np.isclose(organism, other, rtol=0.01)
        win, loss = int(((organism < other) & ~tie).sum()), int(((organism > other) & ~tie).sum())
        print(f"- vs {baseline}: {win} / {int(tie.sum())} / {loss}")
    naive = np.array([m for _, m in scores[NAIVE2]])
    theta = np.array([m for _, m in scores[THETA]])
    lost = np.flatnonzero((organism > naive * 1.01) & (organism > theta * 1.01))
    names = ", ".join(str(series[i][0]) for i in lost[:25]) + (" ..." if len(lost) > 25 else "")
    print(f"- loses to both naive and Theta on {len(lost)} series: {names}")
    seasonal = sum(d["sp"] > 1 for d in decisions)
    logged = sum(d["transform"] is not None for d in decisions)
    print(
        f"- decisions: a 52-week season kept on {seasonal} series, a log on {logged}, "
        f"of {len(decisions)}"
    )


def _owa(scores: list[tuple[float, float]], base: np.ndarray) -> float:
    s, m = np.mean(scores, axis=0)
    return float((s / base[0] + m / base[1]) / 2)


def _catalog_series() -> list[tuple[str, pd.Series]]:
    out = []
    for cid, cls in all_components(task="forecasting", kind="dataset"):
        data = cls().load()
        if isinstance(data, pd.DataFrame):
            data = data.iloc[:, 0]
        out.append((cid, data))
    return out


def run_catalog() -> None:
    print("\n## The catalog's forecasting series: mean MASE, last 3 windows (h by frequency)\n")
    methods: dict[str, Callable[[int], Any]] = {
        "pipeline (defaults)": lambda m: get_component("forecasting.pipeline")(),
        "pipeline 0.1 default (log + ETS sp=12)": lambda m: get_component("forecasting.pipeline")(
            sp=12,
            transformer=get_component("preprocessing.log")(),
            deseasonalize=False,
            forecaster=get_component("forecasting.ets")(sp=12),
        ),
        "naive": lambda m: get_component("forecasting.naive")(),
        "seasonal naive (frequency's period)": lambda m: get_component(
            "forecasting.seasonal-naive"
        )(sp=m),
        "Theta (sp = frequency's period)": lambda m: get_component("forecasting.theta")(sp=m),
    }
    print("| series | n | period | h | " + " | ".join(methods) + " | organism's decisions |")
    print("|---|---|---|---|" + "---|" * len(methods) + "---|")
    wins = dict.fromkeys(methods, 0)
    for cid, y in _catalog_series():
        m = frequency_period(y.index)
        h = min(HORIZONS.get(m, 14), len(y) // 6)  # three windows and a training part
        cells = []
        for make in methods.values():
            errors: list[float] | None = []
            for fold in range(3):
                cut = len(y) - (3 - fold) * h
                train, actual = y.iloc[:cut], y.iloc[cut : cut + h].to_numpy(dtype=float)
                _, forecast, _ = _forecast(partial(make, m), train, h)
                if forecast is None:
                    errors = None
                    break
                errors.append(mase(train.to_numpy(dtype=float), actual, forecast, m))
            cells.append(np.nan if errors is None else float(np.mean(errors)))
        best = np.nanmin(cells)
        for name, value in zip(methods, cells, strict=True):
            wins[name] += int(value == best)
        decisions = get_component("forecasting.pipeline")().fit(y).decisions_
        text = " | ".join("failed" if np.isnan(v) else f"{v:.3f}" for v in cells)
        print(f"| {cid} | {len(y)} | {m} | {h} | {text} | {decisions} |")
    print("\nBest on how many series: " + ", ".join(f"{k} {v}" for k, v in wins.items()))


FIRST_CALL = """
import time
start = time.perf_counter()
from catalog import get_component
y = get_component("dataset.airline")().load()
get_component("forecasting.pipeline")().fit(y).predict(12)
first = time.perf_counter() - start
start = time.perf_counter()
get_component("forecasting.pipeline")().fit(y).predict(12)
print(f"{first:.2f} {time.perf_counter() - start:.2f}")
"""


def run_first_call() -> None:
    """Fit time of the organism in a fresh process (imports included) and the next fit."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, check=True
    )
    first, second = out.stdout.split()
    print(
        f"\nforecasting.pipeline on the airline series in a fresh process: first fit {first} s "
        f"(imports included; statsforecast 2 is compiled C++, no numba compile), next fit "
        f"{second} s"
    )


def run(quick: bool = False, workers: int = 2) -> None:
    run_m4(quick, workers)
    run_catalog()
    run_first_call()


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
