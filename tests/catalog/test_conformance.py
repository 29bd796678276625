"""Every registered component passes the conformance suite (catalog.testing)."""

from __future__ import annotations

import pytest

from catalog import all_components
from catalog.testing import component_checks

CASES = [
    pytest.param(cls, check, id=f"{cid}-{check.__name__.removeprefix('check_')}")
    for cid, cls in all_components()
    for check in component_checks(cls)
]


@pytest.mark.parametrize(("cls", "check"), CASES)
def test_component_passes_check(cls: type, check) -> None:
    check(cls)


def test_every_component_is_checked() -> None:
    assert {c.values[0] for c in CASES} == {cls for _, cls in all_components()}
