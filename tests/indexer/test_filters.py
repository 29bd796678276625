"""The filter language: Meilisearch's syntax, parsed once, rendered per backend."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.filters import (
    And,
    Condition,
    FilterError,
    Not,
    Or,
    combine_filters,
    parse_filter,
    to_meilisearch,
)
from indexer.records import FILTERABLE_ATTRIBUTES


def test_and_binds_tighter_than_or():
    tree = parse_filter("kind = guide OR kind = example AND level = atom")
    assert isinstance(tree, Or)
    assert isinstance(tree.children[1], And)


def test_parentheses_override_precedence():
    tree = parse_filter("(kind = guide OR kind = example) AND level = atom")
    assert isinstance(tree, And)
    assert isinstance(tree.children[0], Or)


def test_quoted_values_keep_spaces_keywords_and_escaped_quotes():
    tree = parse_filter("""tags = "AND or" OR tags = 'it\\'s'""")
    assert tree == Or((Condition("tags", "=", ("AND or",)), Condition("tags", "=", ("it's",))))


def test_not_in_and_not_exists_are_negations():
    assert parse_filter("tags NOT IN [a, b]") == Not(Condition("tags", "IN", ("a", "b")))
    assert parse_filter("level NOT EXISTS") == Not(Condition("level", "EXISTS"))


def test_range_with_to():
    assert parse_filter("level a TO c") == Condition("level", "TO", ("a", "c"))


def test_keywords_are_case_insensitive():
    assert parse_filter("kind = a and not level exists") == parse_filter(
        "kind = a AND NOT level EXISTS"
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("page_rank > 1", "'page_rank' is not filterable"),
        ("kind =", "expected a value"),
        ("kind = a AND", "expected an attribute"),
        ("(kind = a", "expected ')'"),
        ("tags IN [a, b", "expected ',' or ']'"),
        ("kind = a b", "expected AND, OR"),
        ("", "empty filter"),
        ("kind", "expected an operator"),
    ],
)
def test_errors_say_what_was_expected_and_found(expression, message):
    with pytest.raises(
        FilterError,
        match="filter: .*" + message.replace("(", r"\(").replace("[", r"\[").replace(")", r"\)"),
    ):
        parse_filter(expression)


def test_combine_joins_options_and_expression_with_and():
    tree = combine_filters("kind = component", tasks="forecasting", tags=("baseline", "fast"))
    assert isinstance(tree, And)
    assert len(tree.children) == 4
    assert combine_filters(None, tasks=None) is None


values = st.text(min_size=1, max_size=12)
conditions = (
    st.builds(
        Condition,
        st.sampled_from(FILTERABLE_ATTRIBUTES),
        st.sampled_from(["=", "!=", ">", ">=", "<", "<="]),
        st.tuples(values),
    )
    | st.builds(
        Condition,
        st.sampled_from(FILTERABLE_ATTRIBUTES),
        st.just("IN"),
        st.lists(values, max_size=4).map(tuple),
    )
    | st.builds(Condition, st.sampled_from(FILTERABLE_ATTRIBUTES), st.just("EXISTS"))
)
trees = st.recursive(
    conditions,
    lambda children: (
        st.builds(Not, children)
        | st.builds(And, st.lists(children, min_size=2, max_size=3).map(tuple))
        | st.builds(Or, st.lists(children, min_size=2, max_size=3).map(tuple))
    ),
    max_leaves=8,
)


def _flatten(node):
    """Equal meaning, canonical shape: nested AND/OR of the same kind merged."""
    if isinstance(node, Not):
        return Not(_flatten(node.child))
    if isinstance(node, And | Or):
        children = []
        for child in map(_flatten, node.children):
            children += child.children if type(child) is type(node) else [child]
        return type(node)(tuple(children))
    return node


@settings(max_examples=300, deadline=None)
@given(trees)
def test_rendering_for_meilisearch_parses_back_to_the_same_tree(tree):
    assert _flatten(parse_filter(to_meilisearch(tree))) == _flatten(tree)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_fails_with_a_filter_error(text):
    try:
        tree = parse_filter(text)
    except FilterError as error:
        assert str(error).startswith("filter:")
    else:
        assert isinstance(tree, Condition | Not | And | Or)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "kind",
                "tags",
                "=",
                "!=",
                ">",
                "IN",
                "[",
                "]",
                ",",
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "EXISTS",
                "TO",
                '"a b"',
                "x",
                "'y'",
            ]
        ),
        max_size=14,
    )
)
def test_token_soup_never_crashes_the_parser(tokens):
    try:
        tree = parse_filter(" ".join(tokens))
    except FilterError as error:
        assert str(error).startswith("filter:")
    else:
        assert isinstance(tree, Condition | Not | And | Or)
