"""The search space comes from the catalog's metadata, and a new component joins it."""

from __future__ import annotations

import numpy as np
import optuna
import pytest

import catalog
from automl.space import DEFAULT, build_space, describe_change
from catalog.datasets.classification import ItalyPowerDemandDataset
from catalog.datasets.forecasting import AirlineDataset
from catalog.testing import make_anomaly_series

PROBE_ID = "forecasting.lookahead-probe"


def _records() -> dict[str, catalog.ComponentRecord]:
    records, _ = catalog.load_records()
    return {r.id: r for r in records}


def _airline_space(period: int = 12):
    y = AirlineDataset().load()
    return build_space("forecasting", (y, None), catalog.get_component("metric.mase")(), period)


def test_forecasting_roles_hold_the_catalogs_forecasters_and_invertible_transformers():
    space = _airline_space()
    roles = {role.name: role for role in space.roles}
    records = _records()
    forecasters = set(roles["forecaster"].candidates)
    expected = {
        r.id
        for r in records.values()
        if "forecasting" in r.meta.tasks
        and r.meta.kind in ("model", "pipeline")
        and r.meta.level in ("atom", "molecule")
    }
    # every candidate is such a component; those left out need constructor arguments
    assert forecasters <= expected
    assert {"forecasting.auto-ets", "forecasting.combination", "forecasting.naive"} <= forecasters
    for component_id in roles["transformer"].candidates:
        assert "inverse-transform" in records[component_id].meta.capabilities
    assert roles["forecaster"].choices[0] == DEFAULT
    assert roles["transformer"].choices[:2] == ["auto", "passthrough"]


def test_each_candidate_brings_its_own_search_space_but_never_a_season_list():
    roles = {role.name: role for role in _airline_space().roles}
    records = _records()
    ets = roles["forecaster"].candidates["forecasting.ets"]
    declared = {
        k: v.model_dump(mode="json")
        for k, v in records["forecasting.ets"].meta.search_space.items()
    }
    declared.pop("sp", None)
    assert ets == declared
    assert all("sp" not in space for space in roles["forecaster"].candidates.values())


def test_a_new_component_with_a_search_space_joins_with_no_automl_change(probe_component):
    roles = {role.name: role for role in _airline_space().roles}
    assert roles["forecaster"].candidates[PROBE_ID] == {
        "offset": {"type": "float", "low": 0.0, "high": 1.0, "log": False}
    }


def test_multichannel_data_only_get_multivariate_detectors():
    series, _ = make_anomaly_series(n=300)
    frame = series.to_frame("a").assign(b=series.to_numpy()[::-1])
    space = build_space(
        "anomaly-detection", (frame, None), catalog.get_component("metric.vus-pr")()
    )
    records = _records()
    detectors = {role.name: role for role in space.roles}["detector"].candidates
    assert detectors
    assert all("multivariate" in records[d].meta.capabilities for d in detectors)
    univariate_only = [
        r.id
        for r in records.values()
        if r.meta.kind == "model"
        and "anomaly-detection" in r.meta.tasks
        and "multivariate" not in r.meta.capabilities
    ]
    assert univariate_only and not set(univariate_only) & set(detectors)


def test_thresholds_are_searched_only_for_a_metric_of_labels():
    series, _ = make_anomaly_series(n=300)
    scores = build_space(
        "anomaly-detection", (series, None), catalog.get_component("metric.vus-pr")()
    )
    labels = build_space(
        "anomaly-detection", (series, None), catalog.get_component("metric.range-f1")()
    )
    assert "threshold" not in {r.name for r in scores.roles}
    thresholds = {r.name: r for r in labels.roles}["threshold"].candidates
    assert {"threshold.pot", "threshold.quantile"} <= set(thresholds)


def test_classification_offers_the_organism_with_its_defaults_as_trial_zero():
    X, y = ItalyPowerDemandDataset(split="train").load()
    space = build_space("classification", (X, y), catalog.get_component("metric.accuracy")())
    fixed = space.default_params()
    assert fixed["model"] == "classification.pipeline"
    spec = space.suggest(optuna.trial.FixedTrial(fixed))
    # the organism's defaults, seeded with the search's seed so a rerun scores the same
    assert spec == {
        "id": "classification.pipeline",
        "params": {
            "classifier": "ridge",
            "features": "minirocket",
            "normalize": "auto",
            "random_state": 0,
        },
    }
    built = catalog.build_component(spec)
    organism = catalog.get_component("classification.pipeline")(random_state=0)
    assert built.get_params() == organism.get_params()


@pytest.mark.parametrize("period, removed", [(12, False), (52, True)])
def test_a_chosen_forecaster_gets_the_datas_season(period, removed):
    space = _airline_space(period)
    trial = optuna.trial.FixedTrial(
        {
            "forecaster": "forecasting.ets",
            "transformer": "passthrough",
            "forecasting.ets:trend": None,
            "forecasting.ets:damped_trend": False,
            "forecasting.ets:seasonal": "add",
            "forecasting.ets:error": "add",
        }
    )
    spec = space.suggest(trial)
    assert spec["params"]["sp"] == period and spec["params"]["deseasonalize"] is removed
    assert spec["params"]["forecaster"]["params"]["sp"] == (1 if removed else period)
    pipeline = catalog.build_component(spec)
    assert type(pipeline.forecaster).__name__ == "ETSForecaster"


def test_sampled_parameters_lie_in_the_declared_ranges():
    space = _airline_space()
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=3))
    records = _records()
    for _ in range(40):
        trial = study.ask()
        spec = space.suggest(trial)
        study.tell(trial, 0.0)
        forecaster = spec["params"].get("forecaster")
        if not forecaster:
            continue
        declared = records[forecaster["id"]].meta.search_space
        for name, value in forecaster["params"].items():
            if name == "sp":
                continue
            rng = declared[name]
            if rng.type == "categorical":
                assert value in rng.choices
            else:
                assert rng.low <= value <= rng.high


def test_a_changed_space_is_described():
    old = _airline_space().signature()
    new = _airline_space().signature()
    assert describe_change(old, new) is None
    del new["roles"]["forecaster"]["candidates"]["forecasting.naive"]
    new["roles"]["forecaster"]["candidates"]["forecasting.new-model"] = {}
    new["period"] = 4
    change = describe_change(old, new)
    assert "period 12 is now 4" in change
    assert "forecaster gained forecasting.new-model" in change
    assert "forecaster lost forecasting.naive" in change
    assert np.isfinite(len(change))
