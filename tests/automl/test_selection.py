"""The winner: the best trial only when it beats the defaults by more than the noise."""

from __future__ import annotations

import optuna
import pytest

from automl.selection import select


def trial(number: int, folds: list[float]) -> optuna.trial.FrozenTrial:
    made = optuna.trial.create_trial(
        value=sum(folds) / len(folds), user_attrs={"fold_scores": folds}
    )
    made.number = number
    return made


def test_a_clear_improvement_wins():
    default, best = trial(0, [0.80, 0.82, 0.78]), trial(7, [0.90, 0.91, 0.89])
    winner, why = select([best, default], default, greater_is_better=True)
    assert winner is best and "better than the defaults by 0.1 per fold" in why


def test_an_improvement_within_one_standard_error_keeps_the_defaults():
    # one lucky fold: mean gain .03, standard error .03
    default, best = trial(0, [0.80, 0.80, 0.80]), trial(4, [0.89, 0.80, 0.80])
    winner, why = select([best, default], default, greater_is_better=True)
    assert winner is default and "within one standard error" in why and "trial 4" in why


def test_lower_is_better_is_read_from_the_direction():
    default, best = trial(0, [1.0, 1.1, 0.9, 1.0]), trial(2, [0.70, 0.72, 0.69, 0.71])
    assert select([best, default], default, greater_is_better=False)[0] is best
    assert select([default, best], best, greater_is_better=True)[0] is default


def test_without_defaults_or_folds_to_compare_the_best_wins():
    best, other = trial(3, [0.9]), trial(0, [0.8])
    assert select([best, other], other, greater_is_better=True)[0] is best  # one fold
    assert select([best], None, greater_is_better=True)[0] is best
    with pytest.raises(ValueError, match="no complete trial"):
        select([], None, greater_is_better=True)
