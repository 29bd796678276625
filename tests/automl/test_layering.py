"""automl depends on catalog only, and importing it loads no heavy library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import automl

FORBIDDEN = ("cli", "indexer", "sphinx_ext")


def test_automl_imports_no_other_atomkb_layer_than_catalog():
    found = []
    for path in Path(automl.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert found == []


def test_importing_automl_loads_neither_optuna_nor_mlflow():
    code = (
        "import sys, automl, automl.errors\n"
        "heavy = ('optuna', 'mlflow', 'sklearn', 'statsmodels')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
