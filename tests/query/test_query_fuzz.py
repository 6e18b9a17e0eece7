"""Whatever a client sends, the parsers answer with a tree or a QueryError, never anything else."""

from __future__ import annotations

import contextlib
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cruddy_django.query import (
    And,
    Condition,
    Group,
    Node,
    Not,
    Or,
    QueryError,
    QueryLimits,
    parse_backo,
    parse_dotted,
    parse_dotted_body,
    parse_sort,
    parse_where,
)

SPECIAL = ".*$~,;:\\%_+- =[]{}\"'"
TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(SPECIAL), max_size=40)
NAMES = st.sampled_from(["id", "name", "crew", "lead", "astronauts*", "a__b", "", "ID", "x-y", "0"])
DOTTED_KEY = st.lists(NAMES, min_size=1, max_size=4).map(lambda names: "." + ".".join(names)) | TEXT
OPERATOR = st.sampled_from(
    ["eq", "ne", "ge", "le", "like", "nlike", "ilike", "in", "nin", "null", "EQ", "xx", ""]
)
DOTTED_VALUE = st.builds(lambda op, value: f"{op}~{value}" if op else value, OPERATOR, TEXT) | TEXT
SMALL = QueryLimits(max_clauses=20, max_depth=4)

FIELD_KEYS = st.sampled_from(["a", "b.c", "data:Text", "body:tsvector:english", "x:Bogus", "a__b", "", "d."])
WHERE_KEYS = (
    st.sampled_from(
        ["*and", "*or", "*not", "*eq", "*gt", "*in", "*like", "*between", "*datetime", "*has_any"]
    )
    | FIELD_KEYS
    | TEXT
)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(WHERE_KEYS, children, max_size=4),
    max_leaves=30,
)


def walk(node: Node) -> list[Condition]:
    """Every condition in a tree, checking the tree's shape on the way."""
    if isinstance(node, Condition):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in walk(child)]
    if isinstance(node, Not | Group):
        return walk(node.child if isinstance(node, Not) else node.node)
    raise AssertionError(f"not a node: {node!r}")


@given(st.lists(st.tuples(DOTTED_KEY, DOTTED_VALUE), max_size=5))
def test_dotted_never_raises_anything_else(params: list[tuple[str, str]]) -> None:
    try:
        node = parse_dotted(params, SMALL)
    except QueryError as error:
        assert error.param in {key for key, _ in params}
        return
    assert len(walk(node)) <= SMALL.max_clauses


@given(JSON)
def test_dotted_body_never_raises_anything_else(data: object) -> None:
    try:
        parse_dotted_body(data, SMALL)
    except QueryError as error:
        assert error.param == "filter"


@given(
    st.lists(st.tuples(TEXT | st.sampled_from(["a.$lt", "a.$in", "$.x", "a.$re", "a.b"]), TEXT), max_size=5)
)
def test_backo_never_raises_anything_else(params: list[tuple[str, str]]) -> None:
    with contextlib.suppress(QueryError):
        parse_backo(params, SMALL)


@given(st.lists(TEXT | st.sampled_from(["-a", "a:desc:nl", "b desc", "+c", "a,b"]), max_size=5))
def test_sort_never_raises_anything_else(values: list[str]) -> None:
    try:
        keys = parse_sort(values, SMALL)
    except QueryError as error:
        assert error.param == "sort"
        return
    assert len(keys) <= SMALL.max_sort_keys


@given(JSON)
def test_where_object_never_raises_anything_else(data: object) -> None:
    for source in (data, json.dumps(data)):
        try:
            node = parse_where(source, SMALL)
        except QueryError as error:
            assert error.param == "where"
            assert error.path is None or error.path.startswith("where")
            continue
        assert len(walk(node)) <= SMALL.max_clauses


@given(TEXT | st.binary(max_size=40))
def test_where_text_never_raises_anything_else(text: str | bytes) -> None:
    with contextlib.suppress(QueryError):
        parse_where(text, SMALL)


@settings(max_examples=50)
@given(st.integers(min_value=5, max_value=3000), st.sampled_from(["[", '{"*or":', '{"a":{"*eq":[']))
def test_where_deep_text_is_too_complex(depth: int, opener: str) -> None:
    with contextlib.suppress(QueryError):
        parse_where(opener * depth, QueryLimits(max_depth=1, max_param_length=100_000))


def escape(value: str) -> str:
    return re.sub(r"([\\,;*$~])", r"\\\1", value)


@given(TEXT)
def test_escaped_values_round_trip(value: str) -> None:
    assert parse_dotted([(".a", "eq~" + escape(value))]).value == value  # type: ignore[union-attr]
    assert parse_dotted([(".a", escape(value))]).value == value  # type: ignore[union-attr]


@given(st.lists(TEXT, min_size=1, max_size=5))
def test_escaped_lists_round_trip(values: list[str]) -> None:
    node = parse_dotted([(".a", "in~" + ",".join(escape(value) for value in values))])
    assert node.value == tuple(values)  # type: ignore[union-attr]
