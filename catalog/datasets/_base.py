"""Helpers shared by the dataset loaders: optional imports and files inside installed packages.

Every catalog dataset reads a file that ships inside an installed package (aeon,
statsmodels, ...); nothing is downloaded. These two helpers give the same clear message
everywhere when the package, or the file inside it, is missing.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

__all__ = ["import_optional", "package_file"]


def import_optional(module: str, requirement: str) -> ModuleType:
    """Import an optional library, or say which requirement to install.

    Parameters
    ----------
    module : str
        Module to import, e.g. ``"statsmodels.datasets"``.
    requirement : str
        PEP 508 requirement that provides it, e.g. ``"statsmodels>=0.14"``.

    Returns
    -------
    module
        The imported module.

    Raises
    ------
    ImportError
        If the module cannot be imported; the message says what to ``pip install``.

    Examples
    --------
    >>> import_optional("json", "python").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"this dataset needs {module!r}, which is not installed; "
            f'install it with `pip install "{requirement}"` ({error})'
        ) from error


def package_file(package: str, *parts: str, requirement: str) -> Path:
    """Path of a data file shipped inside an installed package.

    Parameters
    ----------
    package : str
        Importable package that holds the file, e.g. ``"aeon.datasets"``.
    *parts : str
        Path of the file relative to the package folder.
    requirement : str
        PEP 508 requirement that provides the package (used in messages).

    Returns
    -------
    pathlib.Path
        The file's path.

    Raises
    ------
    ImportError
        If the package is not installed.
    FileNotFoundError
        If the installed version does not ship the file.

    Examples
    --------
    >>> package_file("catalog", "datasets", "_base.py", requirement="atomkb").name
    '_base.py'
    """
    module = import_optional(package, requirement)
    path = Path(module.__file__).parent.joinpath(*parts)
    if not path.is_file():
        version = getattr(importlib.import_module(package.split(".")[0]), "__version__", "?")
        raise FileNotFoundError(
            f"{package} {version} does not ship {'/'.join(parts)}; install a version that "
            f'does with `pip install "{requirement}"`'
        )
    return path
