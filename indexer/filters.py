"""One filter language for both backends: Meilisearch's filter syntax, parsed once.

Supported: ``= != > >= < <=``, ``low TO high``, ``IN [a, b]``, ``NOT IN [...]``,
``EXISTS``, ``NOT EXISTS``, ``NOT``, ``AND``, ``OR``, parentheses, and values bare or
quoted with ``'`` or ``"`` (backslash escapes the quote). ``AND`` binds tighter than
``OR``, as in Meilisearch. :func:`parse_filter` returns a tree; each backend renders it
(:func:`to_meilisearch` back to a canonical string; the embedded backend to SQL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indexer.records import FILTERABLE_ATTRIBUTES

__all__ = [
    "And",
    "Condition",
    "FilterError",
    "Not",
    "Or",
    "combine_filters",
    "parse_filter",
    "quote_value",
    "to_meilisearch",
]

COMPARISONS = ("=", "!=", ">", ">=", "<", "<=")
MAX_FILTER_LENGTH = 4096
MAX_DEPTH = 64


class FilterError(ValueError):
    """A filter that cannot be parsed, or that names a non-filterable attribute."""


@dataclass(frozen=True)
class Condition:
    """``attribute op values``; ``op`` is a comparison, ``IN``, ``TO`` or ``EXISTS``."""

    attribute: str
    op: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Condition | Not | And | Or

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>!=|>=|<=|=|>|<)
      | (?P<punct>[()\[\],])
      | (?P<word>[^\s()\[\],=!<>"']+)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "TO", "EXISTS"}


@dataclass(frozen=True)
class _Token:
    kind: str  # string, op, punct, word, keyword
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FilterError(
                f"filter: unexpected character {text[position:].lstrip()[:1]!r} at position "
                f"{position}; quote values that contain special characters"
            )
        kind = match.lastgroup or "word"
        value = match.group(kind)
        start = match.start(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "keyword", value.upper()
        tokens.append(_Token(kind, value, start))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], filterable: Sequence[str]) -> None:
        self.tokens = tokens
        self.index = 0
        self.filterable = filterable
        self.depth = 0

    def peek(self, offset: int = 0) -> _Token | None:
        position = self.index + offset
        return self.tokens[position] if position < len(self.tokens) else None

    def fail(self, expected: str) -> FilterError:
        token = self.peek()
        found = f"{token.text!r} at position {token.position}" if token else "the end"
        return FilterError(
            f"filter: expected {expected}, found {found}; "
            'write conditions like tasks = forecasting AND tags IN ["baseline", "arima"]'
        )

    def accept(self, kind: str, text: str | None = None) -> _Token | None:
        token = self.peek()
        if token and token.kind == kind and (text is None or token.text == text):
            self.index += 1
            return token
        return None

    def expect(self, kind: str, text: str | None, expected: str) -> _Token:
        token = self.accept(kind, text)
        if token is None:
            raise self.fail(expected)
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise FilterError("filter: expected a condition, found an empty filter; omit it")
        node = self.parse_or()
        if self.peek() is not None:
            raise self.fail("AND, OR or the end of the filter")
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.accept("keyword", "OR"):
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_not()]
        while self.accept("keyword", "AND"):
            children.append(self.parse_not())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_not(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"filter: nested deeper than {MAX_DEPTH} levels; simplify the filter")
        try:
            if self.accept("keyword", "NOT"):
                return Not(self.parse_not())
            if self.accept("punct", "("):
                node = self.parse_or()
                self.expect("punct", ")", "')'")
                return node
            return self.parse_condition()
        finally:
            self.depth -= 1

    def value(self) -> str:
        token = self.peek()
        if token is None or token.kind not in ("string", "word"):
            raise self.fail("a value (quote it if it is a keyword)")
        self.index += 1
        return token.text

    def parse_condition(self) -> Condition:
        token = self.peek()
        if token is None or token.kind not in ("word", "string"):
            raise self.fail("an attribute name")
        self.index += 1
        attribute = token.text
        if attribute not in self.filterable:
            raise FilterError(
                f"filter: attribute {attribute!r} is not filterable; "
                f"use one of {', '.join(self.filterable)}"
            )
        if op := self.accept("op"):
            return Condition(attribute, op.text, (self.value(),))
        if self.accept("keyword", "EXISTS"):
            return Condition(attribute, "EXISTS")
        if self.accept("keyword", "IN"):
            return Condition(attribute, "IN", self.value_list())
        if self.accept("keyword", "NOT"):
            if self.accept("keyword", "EXISTS"):
                return Not(Condition(attribute, "EXISTS"))  # type: ignore[return-value]
            self.expect("keyword", "IN", "IN or EXISTS after NOT")
            return Not(Condition(attribute, "IN", self.value_list()))  # type: ignore[return-value]
        if self.peek() is not None and self.peek().kind in ("word", "string"):
            low = self.value()
            self.expect("keyword", "TO", "TO in a range (attribute low TO high)")
            return Condition(attribute, "TO", (low, self.value()))
        raise self.fail(f"an operator after {attribute!r} (= != > >= < <= IN EXISTS TO)")

    def value_list(self) -> tuple[str, ...]:
        self.expect("punct", "[", "'[' to open the list of values")
        values = []
        if not self.accept("punct", "]"):
            values.append(self.value())
            while self.accept("punct", ","):
                if self.peek() and self.peek().text == "]" and self.peek().kind == "punct":
                    break
                values.append(self.value())
            self.expect("punct", "]", "',' or ']' in the list of values")
        return tuple(values)


def parse_filter(text: str, filterable: Sequence[str] = FILTERABLE_ATTRIBUTES) -> Node:
    """Parse a Meilisearch filter expression into a tree.

    Parameters
    ----------
    text : str
        The filter, e.g. ``tasks = forecasting AND NOT level = atom``.
    filterable : sequence of str
        Attributes a condition may name.

    Returns
    -------
    Node
        A :class:`Condition`, :class:`Not`, :class:`And` or :class:`Or`.

    Raises
    ------
    FilterError
        A ``ValueError`` naming the problem, where it is and how to write it.

    Examples
    --------
    >>> parse_filter('kind = component AND tags IN [baseline, "arima"]')
    And(children=(Condition(attribute='kind', op='=', values=('component',)), \
Condition(attribute='tags', op='IN', values=('baseline', 'arima'))))
    >>> parse_filter("color = red")
    Traceback (most recent call last):
    ...
    indexer.filters.FilterError: filter: attribute 'color' is not filterable; ...
    """
    if not isinstance(text, str):
        raise FilterError(f"filter: expected a string, found {type(text).__name__}")
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(
            f"filter: expected at most {MAX_FILTER_LENGTH} characters, found {len(text)}; "
            "shorten it"
        )
    return _Parser(_tokenize(text), filterable).parse()


def quote_value(value: str) -> str:
    """A value quoted for Meilisearch's filter syntax.

    Examples
    --------
    >>> quote_value('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_meilisearch(node: Node) -> str:
    """Render a tree as a canonical Meilisearch filter string (fully parenthesised).

    Examples
    --------
    >>> to_meilisearch(parse_filter("NOT tasks = forecasting OR level IN [atom]"))
    '(NOT (tasks = "forecasting")) OR (level IN ["atom"])'
    """
    if isinstance(node, Condition):
        if node.op == "EXISTS":
            return f"{node.attribute} EXISTS"
        if node.op == "IN":
            return f"{node.attribute} IN [{', '.join(quote_value(v) for v in node.values)}]"
        if node.op == "TO":
            low, high = node.values
            return f"{node.attribute} {quote_value(low)} TO {quote_value(high)}"
        return f"{node.attribute} {node.op} {quote_value(node.values[0])}"
    if isinstance(node, Not):
        return f"NOT ({to_meilisearch(node.child)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return joiner.join(f"({to_meilisearch(child)})" for child in node.children)


def combine_filters(
    expression: str | None = None, **equals: Iterable[str] | str | None
) -> Node | None:
    """One tree from a free expression and ``attribute=value(s)`` options, joined by AND.

    Examples
    --------
    >>> to_meilisearch(combine_filters("level = atom", tasks="forecasting"))
    '(level = "atom") AND (tasks = "forecasting")'
    """
    parts: list[Node] = []
    if expression:
        parts.append(parse_filter(expression))
    for attribute, values in equals.items():
        if values is None:
            continue
        for value in [values] if isinstance(values, str) else values:
            if attribute not in FILTERABLE_ATTRIBUTES:
                raise FilterError(f"filter: attribute {attribute!r} is not filterable")
            parts.append(Condition(attribute, "=", (value,)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))
