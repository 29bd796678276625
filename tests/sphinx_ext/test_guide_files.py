"""The component file the "Add a component" guide offers to copy must itself be valid."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

from catalog import ComponentMeta
from catalog.testing import check_component

GUIDE_FILE = Path(__file__).resolve().parents[2] / "kb" / "guides" / "files" / "winsorizer.py"


def load_guide_module():
    spec = importlib.util.spec_from_file_location("kb_guide_winsorizer", GUIDE_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pickling in the conformance suite needs it
    spec.loader.exec_module(module)
    return module


def test_guide_component_passes_the_conformance_suite() -> None:
    module = load_guide_module()
    ComponentMeta.model_validate(module.Winsorizer.__kb_component__)
    check_component(module.Winsorizer)


def test_guide_component_doctests_pass() -> None:
    result = doctest.testmod(load_guide_module())
    assert result.attempted > 0 and result.failed == 0
