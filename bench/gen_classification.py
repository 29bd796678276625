"""Generalisation of ``classification.pipeline``: every univariate set bundled with aeon.

Fits ``classification.pipeline`` with its defaults (``normalize="auto"``: z-normalised
or raw series chosen by cross-validation on the training part, MiniRocket features,
ridge), the same pipeline with the former fixed default (``normalize=True``), and two
baselines, on the default train/test split of every univariate, equal-length
classification set whose ``_TRAIN.ts`` and ``_TEST.ts`` files ship inside the installed
aeon wheel (found by listing its data folder, nothing downloaded; every other file
there is listed as skipped, with the reason):

- 1-NN DTW: ``classification.knn-dtw`` with the full warping window, as the UCR
  archive's published figure; deterministic, one run. aeon's ``n_jobs`` did not make
  it faster on this 2-core machine (40 OSULeaf queries: 7.9 s with 1 job, 9.1 s with 2)
  and a narrower window would no longer be the published baseline, so neither is used.
- MiniRocket: ``classification.rocket`` (MiniRocket features of the raw series +
  ridge, as in the paper).

Randomised models are scored as the mean over ``SEEDS`` seeds. Published figures
(UCR archive DataSummary.csv for 1-NN DTW, angus924/minirocket resample 0) are those of
``/work/shared/BENCHMARKS.md``, kept in ``classification_ucr.PUBLISHED``; the other
bundled sets have none. Times are seconds per fit (and for 1-NN DTW, whose fit only
stores the cases, per predict of the whole test split), after a warm-up that compiles
aeon's numba code (its time is printed as the first-call time).

Run: ``python bench/gen_classification.py [--quick]`` (``--quick``: four small sets,
one seed). Prints Markdown; not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from catalog.atoms.classification.distance import KNeighborsDTWClassifier
from catalog.atoms.classification.metrics import Accuracy
from catalog.molecules.classification_rocket import RocketClassifier
from catalog.organisms.classification_pipeline import ClassificationPipeline

try:  # run as a script: bench/ is on the path
    from classification_ucr import PUBLISHED
except ImportError:  # imported from the repository root
    from bench.classification_ucr import PUBLISHED

SEEDS = 3
QUICK_SETS = ("GunPoint", "ItalyPowerDemand", "UnitTest", "ArrowHead")
# Sets bundled with aeon that are not plain UCR archive problems, and what they are.
ORIGINS = {
    "UnitTest": "aeon's reduced UCR Chinatown",
    "Covid3Month_disc": "aeon's discretised Covid3Month (a regression set)",
    "PickupGestureWiimoteZ_eq": "aeon's equal-length version of the UCR set",
}

PIPELINE = "pipeline (auto)"
MODELS: dict[str, Callable[[int], object]] = {
    PIPELINE: lambda seed: ClassificationPipeline(random_state=seed),
    "pipeline (z-norm)": lambda seed: ClassificationPipeline(normalize=True, random_state=seed),
    "MiniRocket": lambda seed: RocketClassifier(variant="minirocket", random_state=seed),
    "1-NN DTW": lambda seed: KNeighborsDTWClassifier(),
}
DETERMINISTIC = {"1-NN DTW"}
# model -> index of its figure in classification_ucr.PUBLISHED's (DTW, ROCKET, MiniRocket)
PUBLISHED_COLUMN = {"1-NN DTW": 0, "MiniRocket": 2}
BASELINES = ("1-NN DTW", "MiniRocket", "pipeline (z-norm)")


@dataclass
class Problem:
    """One bundled train/test pair."""

    name: str
    train: Path
    test: Path


@dataclass
class Result:
    """Scores and times of every model on one problem."""

    problem: Problem
    shape: str
    accuracy: dict[str, float] = field(default_factory=dict)
    fit_seconds: dict[str, float] = field(default_factory=dict)
    predict_seconds: dict[str, float] = field(default_factory=dict)
    choices: list[bool] = field(default_factory=list)  # normalize_ of each seed
    cv_means: list[tuple[float, float]] = field(default_factory=list)  # (z, raw) per seed


def data_folder() -> Path:
    import aeon.datasets

    return Path(aeon.datasets.__file__).parent / "data"


def load(path: Path) -> tuple[np.ndarray | list, np.ndarray, dict]:
    from aeon.datasets import load_from_ts_file

    return load_from_ts_file(str(path), return_meta_data=True)


def discover() -> tuple[list[Problem], list[tuple[str, str]]]:
    """The univariate equal-length classification problems, and every other entry with why."""
    problems, skipped = [], []
    for folder in sorted(p for p in data_folder().iterdir() if p.is_dir()):
        trains = sorted(folder.glob("*_TRAIN.ts"))
        if not trains:
            files = ", ".join(sorted({p.suffix for p in folder.iterdir()}))
            skipped.append((folder.name, f"no _TRAIN.ts file ({files}): not a classification set"))
        for train in trains:
            name = train.name.removesuffix("_TRAIN.ts")
            test = folder / f"{name}_TEST.ts"
            reason = None
            if not test.exists():
                reason = "no _TEST.ts split"
            else:
                try:
                    X, _, meta = load(train)
                except (OSError, ValueError) as error:  # reported, not fatal
                    reason = f"does not load ({type(error).__name__}: {error})"
                else:
                    reason = skip_reason(X, meta)
            if reason:
                skipped.append((name, reason))
            else:
                problems.append(Problem(name, train, test))
    return problems, skipped


def skip_reason(X: np.ndarray | list, meta: dict) -> str | None:
    if not meta.get("classlabel"):
        return "regression target, not class labels"
    if meta.get("timestamps"):
        return "time-stamped series (a loader test file)"
    if not meta.get("univariate"):
        return f"multivariate ({np.asarray(X[0]).shape[0]} channels)"
    if not meta.get("equallength") or not isinstance(X, np.ndarray):
        return "unequal lengths (its equal-length _eq version is run when bundled)"
    if meta.get("missing"):
        return "missing values"
    return None


def evaluate(problem: Problem, seeds: int) -> Result:
    X_train, y_train, _ = load(problem.train)
    X_test, y_test, _ = load(problem.test)
    sizes = (len(X_train), len(X_test), X_train.shape[2], len(np.unique(y_train)))
    result = Result(problem, "/".join(map(str, sizes)))  # train/test/length/classes
    for name, make in MODELS.items():
        runs = 1 if name in DETERMINISTIC else seeds
        scores, fits, predicts = [], [], []
        for seed in range(runs):
            start = time.perf_counter()
            model = make(seed).fit(X_train, y_train)
            fitted = time.perf_counter()
            pred = model.predict(X_test)
            fits.append(fitted - start)
            predicts.append(time.perf_counter() - fitted)
            scores.append(Accuracy()(y_test, pred))
            if name == PIPELINE:
                result.choices.append(bool(model.normalize_))
                cv = model.normalize_cv_scores_
                if cv:
                    result.cv_means.append((float(cv[True].mean()), float(cv[False].mean())))
        result.accuracy[name] = float(np.mean(scores))
        result.fit_seconds[name] = float(np.mean(fits))
        result.predict_seconds[name] = float(np.mean(predicts))
    return result


def warm_up() -> dict[str, float]:
    """Compile aeon's numba code on a tiny set outside the timed runs; seconds per model."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 1, 30)), np.array(["a", "b"] * 5)
    seconds = {}
    for name, make in MODELS.items():
        start = time.perf_counter()
        make(0).fit(X, y).predict(X[:2])
        seconds[name] = time.perf_counter() - start
    return seconds


def published(name: str, model: str) -> float | None:
    if model not in PUBLISHED_COLUMN or name not in PUBLISHED:
        return None
    return PUBLISHED[name][PUBLISHED_COLUMN[model]]


def chosen(result: Result) -> str:
    """Which normalisation auto chose over the seeds, with the mean CV accuracies."""
    z = sum(result.choices)
    raw = len(result.choices) - z
    picks = " ".join(f"{label}×{n}" for label, n in (("z", z), ("raw", raw)) if n)
    if not result.cv_means:
        return f"{picks} (no CV)"
    z_cv, raw_cv = np.mean(result.cv_means, axis=0)
    return f"{picks} (CV {z_cv:.3f} / {raw_cv:.3f})"


def win_tie_loss(results: list[Result], baseline: str) -> str:
    diffs = [r.accuracy[PIPELINE] - r.accuracy[baseline] for r in results]
    wins = sum(d > 1e-9 for d in diffs)
    losses = sum(d < -1e-9 for d in diffs)
    return f"{wins}/{len(diffs) - wins - losses}/{losses}"


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_header() -> None:
    print(
        "| dataset | train/test/length/classes | pipeline (auto) | auto chose: z/raw "
        "(mean CV accuracy z / raw) | pipeline (z-norm) | MiniRocket | MiniRocket published "
        "| 1-NN DTW | 1-NN DTW published | fit s: auto / z-norm / MiniRocket "
        "| 1-NN DTW predict s |"
    )
    print("|---" * 11 + "|")


def print_row(r: Result) -> None:
    name = r.problem.name
    label = f"{name} ({ORIGINS[name]})" if name in ORIGINS else name
    acc = r.accuracy
    fits = " / ".join(f"{r.fit_seconds[m]:.1f}" for m in MODELS if m not in DETERMINISTIC)
    print(
        f"| {label} | {r.shape} | {acc[PIPELINE]:.3f} | {chosen(r)} "
        f"| {acc['pipeline (z-norm)']:.3f} | {acc['MiniRocket']:.3f} "
        f"| {fmt(published(name, 'MiniRocket'))} | {acc['1-NN DTW']:.3f} "
        f"| {fmt(published(name, '1-NN DTW'))} | {fits} "
        f"| {r.predict_seconds['1-NN DTW']:.1f} |",
        flush=True,
    )


def print_summary(results: list[Result]) -> None:
    n = len(results)
    print(f"\nOver all {n} sets (ours) and over those with a published figure:\n")
    print(
        "| model | mean accuracy | median | mean fit s | mean predict s | mean accuracy, "
        "sets with a published figure: ours / published (n) |"
    )
    print("|---|---|---|---|---|---|")
    for model in MODELS:
        accs = [r.accuracy[model] for r in results]
        fit = statistics.mean(r.fit_seconds[model] for r in results)
        predict = statistics.mean(r.predict_seconds[model] for r in results)
        pairs = [
            (r.accuracy[model], published(r.problem.name, model))
            for r in results
            if published(r.problem.name, model) is not None
        ]
        versus = (
            f"{np.mean([p[0] for p in pairs]):.3f} / {np.mean([p[1] for p in pairs]):.3f} "
            f"({len(pairs)})"
            if pairs
            else "—"
        )
        print(
            f"| {model} | {np.mean(accs):.3f} | {np.median(accs):.3f} | {fit:.2f} | {predict:.2f} "
            f"| {versus} |"
        )
    print("\nWin/tie/loss of pipeline (auto) against each (accuracy on the test split):\n")
    print("| against | win/tie/loss |")
    print("|---|---|")
    for baseline in BASELINES:
        print(f"| {baseline} | {win_tie_loss(results, baseline)} |")
    raw = sum(not c for r in results for c in r.choices)
    total = sum(len(r.choices) for r in results)
    print(f"\nauto kept the raw series in {raw} of {total} fits (sets × seeds).")


def run(quick: bool = False) -> None:
    """Print the per-set table, the aggregates and the skipped entries."""
    problems, skipped = discover()
    if quick:
        problems = [p for p in problems if p.name in QUICK_SETS]
    seeds = 1 if quick else SEEDS
    first_call = warm_up()
    print(
        f"## classification.pipeline on {len(problems)} bundled univariate sets "
        f"({seeds} seed(s) for the randomised models)\n"
    )
    print_header()
    results = []
    for problem in problems:
        results.append(evaluate(problem, seeds))
        print_row(results[-1])
    print_summary(results)
    print("\nFirst call (numba compilation, tiny set), seconds: ", end="")
    print(", ".join(f"{m} {s:.1f}" for m, s in first_call.items()))
    print("\nSkipped entries of aeon's data folder:\n")
    for name, reason in skipped:
        print(f"- {name}: {reason}")


if __name__ == "__main__":
    run(quick="--quick" in sys.argv)
