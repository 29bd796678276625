"""Backtest and model settings that fit the user's own series, chosen at scaffold time.

The forecasting template's defaults (a yearly season of 12 months, a first training
window of 96 points) suit the catalog's airline series, not a user's daily or hourly
file. From the series itself kb picks the seasonal period (from its frequency), the
horizon, and an expanding-window backtest of three folds that fits its length.
"""

from __future__ import annotations

from typing import Any

from cli.errors import KbError

__all__ = ["forecasting_settings", "seasonal_period"]

FOLDS = 3
MIN_TRAIN = 10  # points a non-seasonal model needs at least in its first fold


def seasonal_period(freq: str | None) -> int:
    """The usual seasonal period of data of a pandas frequency; 1 when none applies.

    One owner: :func:`catalog.atoms.shared.seasonality.frequency_period`.

    Examples
    --------
    >>> seasonal_period("MS"), seasonal_period("D"), seasonal_period("W-SUN"), seasonal_period(None)
    (12, 7, 52, 1)
    """
    from catalog.atoms.shared.seasonality import frequency_period

    return frequency_period(freq)


def forecasting_settings(y: Any, source: str) -> dict[str, dict[str, Any]]:
    """Model and splitter parameters for the series ``y`` read from ``source``.

    Returns ``{"model": {...ETS params}, "splitter": {...expanding-window params}}``.
    Raises :class:`KbError` when the series is too short for three backtest folds, has
    missing values, or has time stamps without a regular frequency.
    """
    import pandas as pd

    if len(y) < MIN_TRAIN + FOLDS:
        raise _too_short(source, len(y))
    missing = int(y.isna().sum())
    if missing:
        first = y.index[y.isna().to_numpy()][0]
        raise KbError(
            f"{source}: the series is missing values at {missing} of its time points (the "
            f"first at {first}); "
            "the template's model needs a complete series: fill them in the file"
        )
    freq = getattr(y.index, "freqstr", None) if isinstance(y.index, pd.DatetimeIndex) else None
    if isinstance(y.index, pd.DatetimeIndex) and freq is None:
        raise KbError(
            f"{source}: the time stamps are not evenly spaced (pandas finds no frequency in "
            "them), so the forecasts have no dates; add the missing dates (empty values are "
            "fine to fill) or resample the series before scaffolding"
        )
    sp = seasonal_period(freq)
    n = len(y)
    # Seasonal if two seasons fit before the folds, with folds of one season down to half.
    longest = min(sp, 24)
    seasonal_horizons = range(longest, max(1, min(sp // 2, longest)) - 1, -1) if sp > 1 else ()
    horizon = next((h for h in seasonal_horizons if n - FOLDS * h >= 2 * sp + 1), 0)
    seasonal = horizon > 0
    if not seasonal:  # no room for two seasons: a non-seasonal model, folds shortened to fit
        horizon = min(sp, 24) if sp > 1 else max(1, min(12, n // 10))
        while horizon > 1 and n - FOLDS * horizon < MIN_TRAIN:
            horizon -= 1
    first_window = n - FOLDS * horizon
    if first_window < MIN_TRAIN:
        raise _too_short(source, n)
    model = {"sp": sp} if seasonal else {"seasonal": None}
    splitter = {"initial_window": first_window, "step": horizon, "horizon": horizon}
    return {"model": model, "splitter": splitter}


def _too_short(source: str, n: int) -> KbError:
    return KbError(
        f"{source}: {n} time points are too few for the forecasting template's backtest "
        f"({FOLDS} folds of at least one step after {MIN_TRAIN} training points, so "
        f"{MIN_TRAIN + FOLDS} points at least); pass a longer series"
    )
