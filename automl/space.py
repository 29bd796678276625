"""The search space of a task, derived from the catalog's metadata at run time.

Nothing here lists components. For a task, the candidates of each role are the catalog
components whose metadata fit it: the task in ``tasks``, the ``kind`` of the role, the
``capabilities`` the data need (``univariate`` or ``multivariate``), every ``requires``
installed, and a constructor that works with its defaults. Each candidate brings its
own ``search_space``, sampled only when the candidate is chosen (Optuna's define-by-run
conditional space, parameter names ``"<component id>:<parameter>"``). A component added
to the catalog joins the search with no change here.

The roles of a task:

- **forecasting**, in the task's organism (``forecasting.pipeline``, which imputes,
  transforms, deseasonalises and inverts): ``forecaster`` (forecasting models and
  pipelines below the organism, or ``"default"``, the organism's own combination) and
  ``transformer`` (``"auto"``, ``"passthrough"`` or any preprocessor that can invert
  itself). A forecaster's seasonal period ``sp`` is not searched: it is the period the
  data show (:func:`catalog.atoms.shared.seasonality.seasonal_period` on the search
  part); seasons longer than 24 steps are removed first by the organism's
  decomposition, as its own defaults do;
- **classification**: ``model``, every classification model or pipeline (the organism
  included, with its own search space over features and classifiers);
- **anomaly detection**, in the task's organism (``anomaly.pipeline``): ``detector``
  (anomaly models, or ``"default"``), ``scaler`` (scaling preprocessors, or
  ``"default"``) and, only when the objective metric judges labels rather than scores,
  ``threshold`` (the thresholds).

Trial 0 is always the organism with its defaults, so a search is never worse on its own
evaluation than the catalog's default pipeline.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from automl.errors import AutoMLError

__all__ = ["DEFAULT", "Role", "SearchSpace", "build_space"]

DEFAULT = "default"  # the organism's own choice for a role
MAX_MODELLED_PERIOD = 24


@dataclass(frozen=True)
class Role:
    """A place in the pipeline and the catalog components that may fill it."""

    name: str
    candidates: dict[str, dict[str, Any]]  # component id -> its search_space
    extra: tuple[str, ...] = ()  # choices that are not components ("default", "auto")

    @property
    def choices(self) -> list[str]:
        return [*self.extra, *sorted(self.candidates)]


@dataclass
class SearchSpace:
    """Roles to fill and how a chosen set of components becomes one pipeline spec."""

    task: str
    frame: str | None  # the organism the roles are parameters of (None: the model is all)
    roles: list[Role]
    period: int = 1
    fixed: dict[str, Any] = field(default_factory=dict)
    seed: int | None = 0

    def suggest(self, trial: Any) -> dict[str, Any]:
        """The pipeline spec ``{"id", "params"}`` of one trial (define-by-run)."""
        chosen: dict[str, Any] = {}
        for role in self.roles:
            choice = trial.suggest_categorical(role.name, role.choices)
            if choice in role.candidates:
                params = _suggest_params(trial, choice, role.candidates[choice])
                chosen[role.name] = (choice, params)
            else:
                chosen[role.name] = (choice, None)
        return self.assemble(chosen)

    def assemble(self, chosen: dict[str, tuple[str, dict[str, Any] | None]]) -> dict[str, Any]:
        """The spec of the chosen components; randomized ones get the search's seed, so a
        trial scores the same when it is run again (and the refit is the trial's model)."""
        return _seeded(self._assemble(chosen), self.seed)

    def _assemble(self, chosen: dict[str, tuple[str, dict[str, Any] | None]]) -> dict[str, Any]:
        if self.frame is None:
            component_id, params = chosen["model"]
            return {"id": component_id, "params": dict(params or {})}
        params: dict[str, Any] = dict(self.fixed)
        for name, (choice, values) in chosen.items():
            if values is None:  # "default", "auto", "passthrough"
                if choice != DEFAULT:
                    params[name] = choice
                continue
            params[name] = {"id": choice, "params": dict(values)}
        if self.task == "forecasting" and isinstance(params.get("forecaster"), dict):
            self._seasons(params)
        return {"id": self.frame, "params": params}

    def _seasons(self, params: dict[str, Any]) -> None:
        """A chosen forecaster gets the data's period, or a deseasonalised series."""
        import catalog

        forecaster = params["forecaster"]
        removed = self.period > MAX_MODELLED_PERIOD
        params["sp"] = self.period
        params["deseasonalize"] = removed
        cls = catalog.get_component(forecaster["id"])
        if "sp" in inspect.signature(cls).parameters:
            forecaster["params"]["sp"] = 1 if removed else self.period

    def default_params(self) -> dict[str, Any]:
        """The fixed trial parameters of the organism with its defaults (trial 0)."""
        if self.frame is None:
            organism = _organism_id(self.task)
            space = self.roles[0].candidates.get(organism, {})
            return {"model": organism, **_defaults_in(organism, space)}
        return {role.name: role.extra[0] for role in self.roles}

    def signature(self) -> dict[str, Any]:
        """A JSON description of the space: a resumed study must find the same one."""
        return {
            "task": self.task,
            "frame": self.frame,
            "period": self.period,
            "roles": {
                role.name: {"extra": list(role.extra), "candidates": role.candidates}
                for role in self.roles
            },
        }


def describe_change(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """What differs between two space signatures, in a few words; ``None`` if nothing."""
    if old == new:
        return None
    changes = []
    for key in ("task", "frame", "period"):
        if old.get(key) != new.get(key):
            changes.append(f"{key} {old.get(key)!r} is now {new.get(key)!r}")
    old_roles, new_roles = old.get("roles", {}), new.get("roles", {})
    for name in sorted(set(old_roles) | set(new_roles)):
        before = old_roles.get(name, {}).get("candidates", {})
        after = new_roles.get(name, {}).get("candidates", {})
        added, gone = sorted(set(after) - set(before)), sorted(set(before) - set(after))
        if added:
            changes.append(f"{name} gained {', '.join(added)}")
        if gone:
            changes.append(f"{name} lost {', '.join(gone)}")
        changed = sorted(c for c in set(before) & set(after) if before[c] != after[c])
        if changed:
            changes.append(f"the search space of {', '.join(changed)} changed")
        if name not in old_roles or name not in new_roles:
            changes.append(f"role {name} {'added' if name not in old_roles else 'removed'}")
    return "; ".join(changes) or "its description changed"


def _seeded(spec: dict[str, Any], seed: int | None) -> dict[str, Any]:
    """``random_state=seed`` for every component of ``spec`` that takes one and has none."""
    import catalog

    if seed is None:
        return spec
    params = spec.setdefault("params", {})
    for value in params.values():
        if isinstance(value, dict) and "id" in value:
            _seeded(value, seed)
    takes = inspect.signature(catalog.get_component(spec["id"])).parameters
    if "random_state" in takes and params.get("random_state") is None:
        params["random_state"] = seed
    return spec


def _defaults_in(component_id: str, space: dict[str, Any]) -> dict[str, Any]:
    """The trial parameters that give a component its constructor defaults."""
    import catalog

    signature = inspect.signature(catalog.get_component(component_id))
    fixed = {}
    for name, rng in space.items():
        default = signature.parameters[name].default if name in signature.parameters else None
        inside = (
            default in rng["choices"]
            if rng["type"] == "categorical"
            else isinstance(default, int | float) and rng["low"] <= default <= rng["high"]
        )
        if inside:
            fixed[f"{component_id}:{name}"] = default
    return fixed


def _suggest_params(trial: Any, component_id: str, space: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, rng in sorted(space.items()):
        key = f"{component_id}:{name}"
        if rng["type"] == "int":
            values[name] = trial.suggest_int(key, rng["low"], rng["high"], log=rng["log"])
        elif rng["type"] == "float":
            values[name] = trial.suggest_float(key, rng["low"], rng["high"], log=rng["log"])
        else:
            values[name] = trial.suggest_categorical(key, rng["choices"])
    return values


def _installed(requirement: str) -> bool:
    from packaging.requirements import Requirement

    wanted = Requirement(requirement)
    try:
        found = metadata.version(wanted.name)
    except metadata.PackageNotFoundError:
        return False
    return wanted.specifier.contains(found, prereleases=True)


def _organism_id(task: str) -> str:
    import catalog

    records, _ = catalog.load_records()
    organisms = sorted(r.id for r in records if r.meta.level == "organism" and task in r.meta.tasks)
    if not organisms:
        raise AutoMLError(f"the catalog has no organism for {task}, so AutoML has no frame")
    return organisms[0]


def _candidates(
    task: str,
    kinds: tuple[str, ...],
    base: type,
    n_channels: int,
    *,
    levels: tuple[str, ...] = ("atom", "molecule"),
    capability: str | None = None,
    tag: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Components of ``task`` fitting the role and the data: id -> search_space."""
    import catalog

    records, _ = catalog.load_records()
    needed = "multivariate" if n_channels > 1 else "univariate"
    found: dict[str, dict[str, Any]] = {}
    for record in records:
        meta = record.meta
        if task not in meta.tasks or meta.kind not in kinds or meta.level not in levels:
            continue
        if meta.maturity == "deprecated" or needed not in meta.capabilities:
            continue
        if capability and capability not in meta.capabilities:
            continue
        if tag and tag not in meta.tags:
            continue
        if not all(_installed(r) for r in meta.requires):
            continue
        try:
            cls = catalog.get_component(record.id)
            if not issubclass(cls, base):
                continue
            cls()
        except Exception:  # noqa: BLE001 - needs arguments or an import that fails: not a candidate
            continue
        space = {name: rng.model_dump(mode="json") for name, rng in meta.search_space.items()}
        space.pop("sp", None)  # the period comes from the data, never from a list
        found[record.id] = space
    return found


def build_space(
    task: str, train: tuple[Any, Any], metric: Any, period: int = 1, seed: int | None = 0
) -> SearchSpace:
    """The search space of ``task`` for the search part ``train`` and the objective ``metric``."""
    from catalog.base import (
        BaseClassifier,
        BaseDetector,
        BaseForecaster,
        BaseSeriesTransformer,
        BaseThreshold,
    )

    if task == "forecasting":
        frame = _organism_id(task)
        forecasters = _candidates(task, ("model", "pipeline"), BaseForecaster, 1)
        transformers = _candidates(
            task, ("preprocessor",), BaseSeriesTransformer, 1, capability="inverse-transform"
        )
        roles = [
            Role("forecaster", forecasters, (DEFAULT,)),
            Role("transformer", transformers, ("auto", "passthrough")),
        ]
        return SearchSpace(task, frame, roles, period=period, seed=seed)
    if task == "classification":
        X, _ = train
        channels = int(X.shape[1]) if getattr(X, "ndim", 0) == 3 else 1
        models = _candidates(
            task,
            ("model", "pipeline"),
            BaseClassifier,
            channels,
            levels=("atom", "molecule", "organism"),
        )
        return SearchSpace(task, None, [Role("model", models)], seed=seed)
    series, _ = train
    channels = int(series.shape[1]) if getattr(series, "ndim", 1) == 2 else 1
    frame = _organism_id(task)
    roles = [
        Role("detector", _candidates(task, ("model",), BaseDetector, channels), (DEFAULT,)),
        Role(
            "scaler",
            _candidates(task, ("preprocessor",), BaseSeriesTransformer, channels, tag="scaling"),
            (DEFAULT,),
        ),
    ]
    if getattr(type(metric), "prediction", "scores") == "labels":
        thresholds = _candidates(task, ("postprocessor",), BaseThreshold, 1)
        roles.append(Role("threshold", thresholds, (DEFAULT,)))
    return SearchSpace(task, frame, roles, seed=seed)


def spec_text(spec: dict[str, Any]) -> str:
    """A spec as one line of JSON, for tables and logs."""
    return json.dumps(spec, sort_keys=True, default=str)
