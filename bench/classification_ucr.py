"""Accuracy of atomkb's classifiers on UCR problems, next to the published figures.

Fits each model on the archive's default training split and scores it on the test split,
as the UCR archive, the ROCKET and the MiniRocket papers did. Published figures come from
``/work/shared/BENCHMARKS.md``: 1-NN DTW from the UCR archive's DataSummary.csv, ROCKET
as the mean of 10 runs (angus924/rocket), MiniRocket resample 0 (angus924/minirocket).
Ours are the mean over ``--seeds`` seeds (1-NN DTW is deterministic: one run).

Run: ``python bench/classification_ucr.py [--datasets GunPoint ArrowHead ...] [--seeds 3]``.
Also runs the task's organism, ``classification.pipeline``, with its defaults.
Prints a Markdown table; not a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from catalog.atoms.classification.distance import KNeighborsDTWClassifier
from catalog.atoms.classification.metrics import Accuracy
from catalog.datasets import classification as datasets
from catalog.molecules.classification_rocket import RocketClassifier
from catalog.organisms.classification_pipeline import ClassificationPipeline

DATASETS = {
    "GunPoint": datasets.GunPointDataset,
    "ArrowHead": datasets.ArrowHeadDataset,
    "ItalyPowerDemand": datasets.ItalyPowerDemandDataset,
    "OSULeaf": datasets.OSULeafDataset,
    "ACSF1": datasets.ACSF1Dataset,
}

# dataset -> (1-NN DTW full window, ROCKET, MiniRocket), from /work/shared/BENCHMARKS.md
PUBLISHED = {
    "GunPoint": (0.907, 1.000, 0.993),
    "ArrowHead": (0.703, 0.814, 0.863),
    "ItalyPowerDemand": (0.950, 0.970, 0.969),
    "OSULeaf": (0.591, 0.941, 0.959),
    "ACSF1": (0.640, 0.886, 0.920),
}

MODELS: dict[str, Callable[[int], object]] = {
    "1-NN DTW": lambda seed: KNeighborsDTWClassifier(),
    "ROCKET": lambda seed: RocketClassifier(variant="rocket", random_state=seed),
    "MiniRocket": lambda seed: RocketClassifier(variant="minirocket", random_state=seed),
}
# The task's organism with its defaults (z-normalised or raw series chosen by
# cross-validation on the training part, MiniRocket features, ridge): no published
# figure of its own; it sits next to MiniRocket's, the model it is built on.
ORGANISM = ("classification.pipeline", lambda seed: ClassificationPipeline(random_state=seed))


def evaluate(name: str, seeds: int) -> dict[str, tuple[float, float]]:
    """(mean accuracy, mean seconds for fit + predict) of each model on one dataset."""
    X_train, y_train = DATASETS[name](split="train").load()
    X_test, y_test = DATASETS[name](split="test").load()
    results = {}
    for model_name, make in [*MODELS.items(), ORGANISM]:
        runs = 1 if model_name == "1-NN DTW" else seeds
        scores, seconds = [], []
        for seed in range(runs):
            start = time.perf_counter()
            model = make(seed).fit(X_train, y_train)
            pred = model.predict(X_test)
            seconds.append(time.perf_counter() - start)
            scores.append(Accuracy()(y_test, pred))
        results[model_name] = (float(np.mean(scores)), float(np.mean(seconds)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=list(DATASETS),
        default=["GunPoint", "ArrowHead", "ItalyPowerDemand", "OSULeaf"],
    )
    parser.add_argument("--seeds", type=int, default=3, help="runs of ROCKET and MiniRocket")
    args = parser.parse_args()

    # Compile aeon's numba code once so that the first dataset's times are not inflated.
    X, y = datasets.ItalyPowerDemandDataset(split="train").load()
    for make in [*MODELS.values(), ORGANISM[1]]:
        make(0).fit(X[:20], y[:20]).predict(X[:2])

    header = "| dataset | " + " | ".join(f"{m} ours | {m} published" for m in MODELS)
    print(header + f" | {ORGANISM[0]} (defaults) | seconds (fit + predict) |")
    print("|---" * (2 * len(MODELS) + 3) + "|")
    for name in args.datasets:
        results = evaluate(name, args.seeds)
        cells = [
            f"{results[m][0]:.3f} | {published:.3f}"
            for m, published in zip(MODELS, PUBLISHED[name], strict=True)
        ]
        cells.append(f"{results[ORGANISM[0]][0]:.3f}")
        times = " / ".join(f"{results[m][1]:.1f}" for m in [*MODELS, ORGANISM[0]])
        print(f"| {name} | " + " | ".join(cells) + f" | {times} |", flush=True)


if __name__ == "__main__":
    main()
