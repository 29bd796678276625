"""The ``@component`` decorator: how a component declares its metadata."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["META_ATTRIBUTE", "component"]

META_ATTRIBUTE = "__kb_component__"

T = TypeVar("T")


def component(**metadata: Any) -> Callable[[T], T]:
    """Declare a class as a catalog component.

    Every argument must be a literal (strings, numbers, lists, dicts), so that the static
    reader can read it without importing the module. The metadata is stored unvalidated
    on the class; validation happens in the readers and in ``kb catalog check``, so a
    broken declaration never breaks an import.

    Parameters
    ----------
    **metadata
        The fields of :class:`catalog.ComponentMeta`: ``id``, ``name``, ``level``,
        ``kind``, ``tasks``, ``summary``, ``tags``, ``capabilities``, ``requires``,
        ``composes``, ``search_space``, ``maturity``, ``owner``, ``authors``,
        ``references``, ``since`` and, for datasets, ``dataset``.

    Returns
    -------
    callable
        A class decorator that returns the class unchanged.

    Examples
    --------
    >>> from catalog import component
    >>> @component(id="demo.identity", name="Identity", level="atom", kind="preprocessor",
    ...            tasks=["forecasting"], summary="Returns its input.")
    ... class Identity:
    ...     pass
    >>> Identity.__kb_component__["id"]
    'demo.identity'
    """

    def mark(obj: T) -> T:
        setattr(obj, META_ATTRIBUTE, dict(metadata))
        return obj

    return mark
