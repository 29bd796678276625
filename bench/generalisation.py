"""Generalisation: the organisms' defaults on data nobody tuned them to, one report.

Runs the three task benchmarks in turn and prints their tables (figures beside the
published ones of ``../shared/BENCHMARKS.md``):

- ``gen_forecasting``: M4 weekly (359 series; OWA, win/tie/loss) and every catalog
  forecasting series;
- ``gen_anomaly``: SKAB (34 series, leaderboard protocol; F1/FAR/MAR) and the catalog's
  anomaly datasets (VUS-PR, range-F1), numba first calls;
- ``gen_classification``: every univariate equal-length classification set bundled with
  aeon (accuracy, win/tie/loss against 1-NN DTW and MiniRocket).

Run: ``python bench/generalisation.py [--quick] [--only forecasting|anomaly|classification]``.
The full run takes tens of minutes on two cores; ``--quick`` takes subsets.
"""

from __future__ import annotations

import argparse
import time

import gen_anomaly
import gen_classification
import gen_forecasting

PARTS = {
    "forecasting": gen_forecasting.run,
    "anomaly": gen_anomaly.run,
    "classification": gen_classification.run,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subsets of each set")
    parser.add_argument("--only", choices=sorted(PARTS), action="append", help="one task")
    args = parser.parse_args()
    for name in args.only or list(PARTS):
        start = time.perf_counter()
        print(f"\n# {name}")
        PARTS[name](quick=args.quick)
        print(f"\n({name}: {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
