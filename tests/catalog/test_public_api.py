"""The public API of catalog is exactly what its __init__ exports (griffe's habit)."""

from __future__ import annotations

import subprocess
import sys

import catalog


def test_public_api_is_exactly_this_list() -> None:
    assert sorted(catalog.__all__) == sorted(
        [
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
    )
    for name in catalog.__all__:
        assert hasattr(catalog, name)


def test_importing_catalog_imports_no_heavy_library() -> None:
    code = (
        "import sys, catalog; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sklearn', 'scipy', 'pandas', 'numpy', 'griffe', 'statsmodels', 'aeon'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_catalog_imports_none_of_the_other_packages() -> None:
    from pathlib import Path

    root = Path(catalog.__file__).parent
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if "templates" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith(
            (
                "from cli",
                "import cli",
                "from indexer",
                "import indexer",
                "from sphinx_ext",
                "import sphinx_ext",
            )
        )
    ]
    assert offenders == []
