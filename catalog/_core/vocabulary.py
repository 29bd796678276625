"""Controlled vocabularies: tags and capabilities, each term with its meaning.

This is the one place a tag or a capability is defined (sktime's tag registry is the
model). ``kb catalog check`` rejects any term that is not listed here, and the metadata
reference in the knowledge base is generated from these tables.
"""

from __future__ import annotations

__all__ = ["CAPABILITIES", "KINDS", "LEVELS", "MATURITIES", "TAGS", "TASKS"]

TASKS: dict[str, str] = {
    "forecasting": "Predict future values of a series from its past (and exogenous data).",
    "classification": "Assign a label to a whole series (aeon's 3-D panel convention).",
    "anomaly-detection": "Score every point of a series; higher means more anomalous.",
}

LEVELS: dict[str, str] = {
    "atom": "A single, indivisible component: one transformation, model, metric or splitter.",
    "molecule": "A small composition of atoms that does one job (e.g. features + model).",
    "organism": "An end-to-end pipeline for a task, built from molecules and atoms.",
}

KINDS: dict[str, str] = {
    "preprocessor": "Transforms a series before modelling (scaling, imputation, differencing).",
    "feature": "Builds features from a series or a panel of series.",
    "model": "Learns from data and predicts: forecaster, classifier or anomaly scorer.",
    "metric": "Scores predictions against the truth.",
    "splitter": "Splits a series in time for validation (train/test, backtest folds).",
    "postprocessor": "Turns model output into a decision (thresholds, events).",
    "evaluator": "Runs a component over splits and metrics and reports the results.",
    "pipeline": "Chains components into one estimator.",
    "dataset": "A real data set with a loader and its metadata.",
}

MATURITIES: dict[str, str] = {
    "experimental": "Works and is tested, but its interface may still change.",
    "stable": "Interface settled; changes follow deprecation.",
    "deprecated": "Kept for old projects; do not use in new work.",
}

CAPABILITIES: dict[str, str] = {
    "univariate": "Handles a single series (one channel).",
    "multivariate": "Handles several channels at once.",
    "missing-values": "Accepts NaN in its input without raising.",
    "exogenous": "Uses exogenous variables (X) alongside the target series.",
    "probabilistic": "Returns probabilities or prediction intervals, not only point values.",
    "inverse-transform": "Can undo its transformation (inverse_transform).",
    "unequal-length": "Accepts series of different lengths in one panel.",
    "irregular-sampling": "Accepts series without a fixed sampling frequency.",
    "seasonal": "Models a seasonal period explicitly.",
    "randomized": "Uses randomness; reproducible through random_state.",
}

TAGS: dict[str, str] = {
    # families of methods
    "baseline": "Simple reference method every new model must beat.",
    "statistical": "Classical statistical model (likelihood, smoothing, tests).",
    "machine-learning": "Learned with a general-purpose machine-learning estimator.",
    "exponential-smoothing": "Exponential smoothing family (ETS, Holt-Winters).",
    "arima": "Autoregressive integrated moving-average family.",
    "reduction": "Turns a time-series problem into a tabular one (lag features + regressor).",
    "tree-ensemble": "Ensemble of decision trees (random forest, isolation forest).",
    "distance-based": "Relies on a distance between series or points (DTW, kNN).",
    "density-based": "Compares local density of points (LOF).",
    "kernel": "Kernel method (SVM, one-class SVM).",
    "convolution": "Random convolutional kernels (ROCKET family).",
    "interval-based": "Features computed over intervals of the series.",
    "matrix-profile": "Uses the matrix profile (nearest-neighbour subsequence distances).",
    "residual-based": "Flags what a model of normal behaviour fails to explain.",
    "ensemble": "Combines several models.",
    "automatic": "Chooses its own model, order or settings from the data at fit time.",
    # what the component does
    "scaling": "Rescales values (standard, min-max, robust).",
    "imputation": "Fills missing values.",
    "transformation": "Reversible change of the values (log, Box-Cox, differencing).",
    "resampling": "Changes the sampling frequency of a series.",
    "lag-features": "Builds lagged copies of a series as features.",
    "window": "Works on sliding or rolling windows.",
    "calendar": "Uses the calendar (month, weekday, holidays) as information.",
    "seasonality": "Captures repeating seasonal patterns.",
    "trend": "Captures a trend.",
    "feature-extraction": "Summarises a series into a fixed-length feature vector.",
    "thresholding": "Turns scores into labels with a threshold.",
    "point-anomaly": "Targets single anomalous points.",
    "subsequence-anomaly": "Targets anomalous subsequences (discords, events).",
    "backtesting": "Time-ordered validation over several cutoffs.",
    "evaluation": "Measures the quality of predictions.",
    "scale-free": "Gives comparable values across series of different scales.",
    "range-based": "Evaluates anomalous ranges rather than single points.",
    "fast": "Fits and predicts in well under a second on typical series.",
    "interpretable": "Its output can be explained in terms of the input.",
    # data sets
    "real-data": "Real recorded data, not synthetic.",
    "monthly": "Monthly observations.",
    "yearly": "Yearly observations.",
    "quarterly": "Quarterly observations.",
    "high-frequency": "Sub-daily or sensor-rate observations.",
    "benchmark": "Used in published benchmarks (UCR/UEA archive, M competitions).",
}
