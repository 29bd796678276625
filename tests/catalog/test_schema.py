"""The metadata model accepts good declarations and names the field of bad ones."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from catalog import TAGS, ComponentMeta

GOOD = {
    "id": "demo.ok",
    "name": "OK",
    "level": "atom",
    "kind": "model",
    "tasks": ["forecasting"],
    "summary": "Fine.",
}


def _locs(**changes) -> set[tuple]:
    with pytest.raises(ValidationError) as info:
        ComponentMeta.model_validate({**GOOD, **changes})
    return {tuple(e["loc"]) for e in info.value.errors()}


def test_minimal_declaration_is_valid_and_versioned() -> None:
    meta = ComponentMeta.model_validate(GOOD)
    assert meta.schema_version == 1 and meta.maturity == "experimental"


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"id": "Demo OK"}, ("id",)),
        ({"summary": "x" * 101}, ("summary",)),
        ({"tags": ["baseline", "nonsense"]}, ("tags", 1)),
        ({"capabilities": ["telepathy"]}, ("capabilities", 0)),
        ({"requires": ["ok>=1", "not ok"]}, ("requires", 1)),
        ({"references": ["see the book"]}, ("references", 0)),
        (
            {"search_space": {"a": {"type": "float", "low": 1.0, "high": 0.5}}},
            ("search_space", "a", "float"),
        ),
        (
            {"search_space": {"a": {"type": "int", "low": 0, "high": 5, "log": True}}},
            ("search_space", "a", "int"),
        ),
        ({"colour": "blue"}, ("colour",)),
    ],
)
def test_each_bad_field_is_located(changes, loc) -> None:
    assert loc in _locs(**changes)


def test_level_rules() -> None:
    with pytest.raises(ValidationError, match="an atom composes nothing"):
        ComponentMeta.model_validate({**GOOD, "composes": ["demo.x"]})
    with pytest.raises(ValidationError, match="must list the ids of its parts"):
        ComponentMeta.model_validate({**GOOD, "level": "molecule"})


def test_every_tag_has_a_description() -> None:
    assert TAGS and all(isinstance(d, str) and len(d) > 10 for d in TAGS.values())


def test_search_space_kinds_round_trip() -> None:
    meta = ComponentMeta.model_validate(
        {
            **GOOD,
            "search_space": {
                "n": {"type": "int", "low": 1, "high": 10},
                "lr": {"type": "float", "low": 1e-3, "high": 1.0, "log": True},
                "kind": {"type": "categorical", "choices": ["a", "b", None]},
            },
        }
    )
    assert meta.search_space["lr"].log is True
    assert meta.search_space["kind"].choices == ["a", "b", None]
