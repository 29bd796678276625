"""Render a filter tree as SQL over the embedded index's ``facets`` table.

Every filterable value of a record is one row ``(doc, attribute, value, number)``; a list
attribute (``tasks``, ``tags``) gives one row per item and every record has one ``NULL``
row per attribute, so ``EXISTS`` is true for every record (as in Meilisearch, where a
``null`` field exists). Comparisons are case-insensitive, like Meilisearch's.
"""

from __future__ import annotations

from typing import Any

from indexer.filters import And, Condition, Node, Not, Or

__all__ = ["as_number", "to_sql"]

_SUBQUERY = "d.rowid IN (SELECT doc FROM facets WHERE attribute = ? AND {test})"


def as_number(value: Any) -> float | None:
    """The value as a float when it reads as a number, else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is not a number here


def _condition(node: Condition) -> tuple[str, list[Any]]:
    attribute, op, values = node.attribute, node.op, node.values
    if op == "EXISTS":
        return "d.rowid IN (SELECT doc FROM facets WHERE attribute = ?)", [attribute]
    if op == "IN":
        if not values:
            return "0", []
        marks = ", ".join("?" for _ in values)
        return _SUBQUERY.format(test=f"value IN ({marks})"), [attribute, *values]
    if op in ("=", "!="):
        sql = _SUBQUERY.format(test="value = ?")
        return (sql if op == "=" else f"NOT ({sql})"), [attribute, values[0]]
    if op == "TO":
        low, high = (as_number(v) for v in values)
        if low is not None and high is not None:
            return _SUBQUERY.format(test="number BETWEEN ? AND ?"), [attribute, low, high]
        return _SUBQUERY.format(test="value BETWEEN ? AND ?"), [attribute, *values]
    number = as_number(values[0])
    if number is not None:
        return _SUBQUERY.format(test=f"number {op} ?"), [attribute, number]
    return _SUBQUERY.format(test=f"value IS NOT NULL AND value {op} ?"), [attribute, values[0]]


def to_sql(node: Node) -> tuple[str, list[Any]]:
    """A SQL boolean expression over ``d.rowid`` and its parameters.

    Examples
    --------
    >>> from indexer.filters import parse_filter
    >>> sql, params = to_sql(parse_filter("NOT level = atom"))
    >>> sql
    'NOT (d.rowid IN (SELECT doc FROM facets WHERE attribute = ? AND value = ?))'
    >>> params
    ['level', 'atom']
    """
    if isinstance(node, Condition):
        sql, params = _condition(node)
        return sql, params
    if isinstance(node, Not):
        sql, params = to_sql(node.child)
        return f"NOT ({sql})", params
    parts, params = [], []
    for child in node.children:
        sql, child_params = to_sql(child)
        parts.append(f"({sql})")
        params += child_params
    joiner = " AND " if isinstance(node, And) else " OR "
    assert isinstance(node, And | Or)
    return joiner.join(parts), params
