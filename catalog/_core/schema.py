"""The metadata model: what a component declares by hand, and what is derived from it.

One pydantic model validates the metadata for the CLI, the Sphinx extension and the
indexer alike, so no two validators can disagree.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from catalog._core.vocabulary import CAPABILITIES, KINDS, LEVELS, MATURITIES, TAGS, TASKS

__all__ = [
    "SCHEMA_VERSION",
    "CategoricalRange",
    "ComponentMeta",
    "ComponentRecord",
    "DatasetInfo",
    "FloatRange",
    "IntRange",
    "ParameterDoc",
    "SearchRange",
]

SCHEMA_VERSION = 1

ID_PATTERN = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"
SUMMARY_MAX = 100

Level = Literal["atom", "molecule", "organism"]
Kind = Literal[
    "preprocessor",
    "feature",
    "model",
    "metric",
    "splitter",
    "postprocessor",
    "evaluator",
    "pipeline",
    "dataset",
]
Task = Literal["forecasting", "classification", "anomaly-detection"]
Maturity = Literal["experimental", "stable", "deprecated"]

# The Literal types and the vocabulary tables must name the same terms.
assert set(Level.__args__) == set(LEVELS)  # type: ignore[attr-defined]
assert set(Kind.__args__) == set(KINDS)  # type: ignore[attr-defined]
assert set(Task.__args__) == set(TASKS)  # type: ignore[attr-defined]
assert set(Maturity.__args__) == set(MATURITIES)  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IntRange(_Strict):
    """Integer parameter sampled in ``[low, high]``, optionally on a log scale."""

    type: Literal["int"]
    low: int
    high: int
    log: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> IntRange:
        _check_range(self.low, self.high, self.log)
        return self


class FloatRange(_Strict):
    """Float parameter sampled in ``[low, high]``, optionally on a log scale."""

    type: Literal["float"]
    low: float
    high: float
    log: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> FloatRange:
        _check_range(self.low, self.high, self.log)
        return self


class CategoricalRange(_Strict):
    """Parameter chosen among a list of literal values."""

    type: Literal["categorical"]
    choices: list[str | int | float | bool | None] = Field(min_length=1)


SearchRange = Annotated[IntRange | FloatRange | CategoricalRange, Field(discriminator="type")]


def _check_range(low: float, high: float, log: bool) -> None:
    if low >= high:
        raise ValueError(f"low must be smaller than high, found low={low}, high={high}")
    if log and low <= 0:
        raise ValueError(f"a log-scaled range needs low > 0, found low={low}")


class DatasetInfo(_Strict):
    """What a dataset entry declares besides the common metadata."""

    source: str = Field(description="Package (or user file) the data ships in.")
    license: str
    frequency: str | None = Field(default=None, description="Sampling frequency, e.g. 'MS'.")
    length: int = Field(gt=0, description="Number of time points (per series).")
    n_series: int = Field(default=1, gt=0)
    n_channels: int = Field(default=1, gt=0)
    n_classes: int | None = Field(default=None, gt=1)
    n_anomalies: int | None = Field(default=None, ge=0)


def _known(vocabulary: dict[str, str], what: str) -> AfterValidator:
    def check(term: str) -> str:
        if term not in vocabulary:
            close = get_close_matches(term, vocabulary, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(
                f"unknown {what} {term!r}; {hint}"
                f"add it to catalog/_core/vocabulary.py if it is really new"
            )
        return term

    return AfterValidator(check)


def _pep508(text: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement as error:
        reason = str(error).splitlines()[0]
        raise ValueError(f"not a PEP 508 requirement string ({reason})") from None
    return text


def _doi_or_url(text: str) -> str:
    if not re.match(r"^(https?://\S+|doi:10\.\S+|10\.\d{4,}/\S+)$", text):
        raise ValueError("expected a DOI (10.xxxx/...) or an http(s) URL")
    return text


ComponentId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Tag = Annotated[str, _known(TAGS, "tag")]
Capability = Annotated[str, _known(CAPABILITIES, "capability")]
Requirement508 = Annotated[str, AfterValidator(_pep508)]
Reference = Annotated[str, AfterValidator(_doi_or_url)]


class ComponentMeta(_Strict):
    """Metadata written by hand in the ``@component(...)`` decorator."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(
        pattern=ID_PATTERN, description="Stable unique id, e.g. anomaly.isolation-forest."
    )
    name: str = Field(min_length=1)
    level: Level
    kind: Kind
    tasks: list[Task] = Field(min_length=1)
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX)
    tags: list[Tag] = Field(default_factory=list)
    capabilities: list[Capability] = Field(default_factory=list)
    requires: list[Requirement508] = Field(default_factory=list, description="PEP 508 strings.")
    composes: list[ComponentId] = Field(default_factory=list, description="Ids of the parts.")
    search_space: dict[str, SearchRange] = Field(default_factory=dict)
    maturity: Maturity = "experimental"
    owner: str | None = None
    authors: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list, description="DOI or URL.")
    since: str = Field(default="0.1.0", pattern=r"^\d+\.\d+(\.\d+)?$")
    dataset: DatasetInfo | None = None

    @model_validator(mode="after")
    def _level_and_kind_rules(self) -> ComponentMeta:
        if self.level == "atom" and self.composes:
            raise ValueError("an atom composes nothing; make it a molecule or drop 'composes'")
        if self.level != "atom" and not self.composes:
            raise ValueError(f"a {self.level} must list the ids of its parts in 'composes'")
        if (self.kind == "dataset") != (self.dataset is not None):
            raise ValueError("'dataset' info is required for kind='dataset' and only for it")
        return self


class ParameterDoc(_Strict):
    """A constructor parameter: signature and numpydoc description."""

    name: str
    annotation: str | None = None
    default: str | None = None
    description: str = ""


class ComponentRecord(_Strict):
    """Everything known about a component: its metadata plus what is derived from code."""

    meta: ComponentMeta
    object_path: str = Field(description="Import path, e.g. catalog.atoms.scaling.StandardScaler.")
    source_file: str = Field(description="Path relative to the folder that holds the package.")
    source_line: int
    docstring_summary: str = ""
    parameters: list[ParameterDoc] = Field(default_factory=list)
    used_by: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def location(self) -> str:
        return f"{self.source_file}:{self.source_line}"

    @property
    def signature(self) -> str:
        parts = []
        for param in self.parameters:
            text = param.name
            if param.annotation:
                text += f": {param.annotation}"
            if param.default is not None:
                text += f" = {param.default}" if param.annotation else f"={param.default}"
            parts.append(text)
        return f"{self.object_path.rsplit('.', 1)[-1]}({', '.join(parts)})"

    def to_json(self) -> dict[str, Any]:
        data = self.meta.model_dump(mode="json")
        data.update(
            object_path=self.object_path,
            source_file=self.source_file,
            source_line=self.source_line,
            docstring_summary=self.docstring_summary,
            signature=self.signature,
            parameters=[p.model_dump(mode="json") for p in self.parameters],
            used_by=list(self.used_by),
            examples=list(self.examples),
        )
        return data
