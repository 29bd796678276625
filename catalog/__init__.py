"""atomkb's component catalog: metadata, readers, checks and the components themselves.

The public API is exactly what this module exports (``__all__``). It is light to import:
nothing here imports scikit-learn or any component; components are imported on demand
by :func:`all_components` and :func:`get_component`. Base classes live in
:mod:`catalog.base`, input validation in :mod:`catalog.validation` and the conformance
suite in :mod:`catalog.testing`.
"""

from __future__ import annotations

from catalog._core.checks import check_catalog
from catalog._core.declare import component
from catalog._core.records import Problem
from catalog._core.registry import (
    UnknownComponentError,
    all_components,
    build_component,
    filter_records,
    find_record,
    get_component,
    load_records,
)
from catalog._core.schema import (
    SCHEMA_VERSION,
    CategoricalRange,
    ComponentMeta,
    ComponentRecord,
    DatasetInfo,
    FloatRange,
    IntRange,
    ParameterDoc,
)
from catalog._core.vocabulary import CAPABILITIES, KINDS, LEVELS, MATURITIES, TAGS, TASKS

__all__ = [
    "CAPABILITIES",
    "KINDS",
    "LEVELS",
    "MATURITIES",
    "SCHEMA_VERSION",
    "TAGS",
    "TASKS",
    "CategoricalRange",
    "ComponentMeta",
    "ComponentRecord",
    "DatasetInfo",
    "FloatRange",
    "IntRange",
    "ParameterDoc",
    "Problem",
    "UnknownComponentError",
    "all_components",
    "build_component",
    "check_catalog",
    "component",
    "filter_records",
    "find_record",
    "get_component",
    "load_records",
]
