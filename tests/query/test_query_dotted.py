"""Plateforme's dotted dialect: valid parameters give the expected tree, mistakes a precise QueryError."""

from __future__ import annotations

import pytest

from cruddy_django.query import (
    And,
    Condition,
    FieldRef,
    Group,
    MalformedValue,
    Pattern,
    QueryError,
    QueryLimits,
    TooComplex,
    UnknownOperator,
    Wildcard,
    parse_dotted,
    parse_dotted_body,
)
from cruddy_django.query.tree import PathStep

ANY, ONE = Wildcard.ANY, Wildcard.ONE


def steps(text: str) -> tuple[PathStep, ...]:
    return tuple(PathStep(name.rstrip("*"), name.endswith("*")) for name in text.split("."))


def cond(path: str, operator: str, value: object, param: str, source: str | None = None) -> Condition:
    return Condition(steps(path), operator, value, param=param, source=source or param)


VALID = [
    # the seed documents' examples
    ([(".code", "like~*2")], cond("code", "like", Pattern((ANY, "2")), ".code")),
    ([(".id", "in~3,4")], cond("id", "in", ("3", "4"), ".id")),
    ([(".crew.lead.id", "in~1,2,3")], cond("crew.lead.id", "in", ("1", "2", "3"), ".crew.lead.id")),
    (
        [(".astronauts*.id", "ge~1;le~15")],
        Group(
            steps("astronauts*"),
            And(
                (
                    cond("id", "ge", "1", ".astronauts*.id", ".astronauts*.id[0]"),
                    cond("id", "le", "15", ".astronauts*.id", ".astronauts*.id[1]"),
                )
            ),
        ),
    ),
    # no operator means eq; a single in item is fine; empty values are empty strings
    ([(".name", "Bob")], cond("name", "eq", "Bob", ".name")),
    ([(".id", "in~3")], cond("id", "in", ("3",), ".id")),
    ([(".id", "nin~3,,4")], cond("id", "nin", ("3", "", "4"), ".id")),
    ([(".description", "eq~")], cond("description", "eq", "", ".description")),
    ([(".description", "")], cond("description", "eq", "", ".description")),
    # every operator
    *[([(".n", f"{op}~5")], cond("n", op, "5", ".n")) for op in ("eq", "ne", "gt", "ge", "lt", "le")],
    ([(".n", "nlike~a*")], cond("n", "nlike", Pattern(("a", ANY)), ".n")),
    ([(".n", "ilike~*A*")], cond("n", "ilike", Pattern((ANY, "A", ANY)), ".n")),
    ([(".n", "nilike~a**b")], cond("n", "nilike", Pattern(("a", ANY, "b")), ".n")),
    ([(".lead", "null~true")], cond("lead", "null", True, ".lead")),
    ([(".lead", "null~False")], cond("lead", "null", False, ".lead")),
    # % and _ typed by the user are literal; \* is a literal star
    ([(".code", "like~100%_*")], cond("code", "like", Pattern(("100%_", ANY)), ".code")),
    ([(".code", r"like~a\*b*")], cond("code", "like", Pattern(("a*b", ANY)), ".code")),
    # only the first ~ separates; values are verbatim
    ([(".code", "eq~abc~1")], cond("code", "eq", "abc~1", ".code")),
    ([(".name", "James Preston")], cond("name", "eq", "James Preston", ".name")),
    ([(".name", "hello world~x")], cond("name", "eq", "hello world~x", ".name")),
    ([(".name", "a=b")], cond("name", "eq", "a=b", ".name")),
    # escapes
    ([(".name", r"a\,b")], cond("name", "eq", "a,b", ".name")),
    ([(".name", r"a\;b")], cond("name", "eq", "a;b", ".name")),
    ([(".name", r"a\~b")], cond("name", "eq", "a~b", ".name")),
    ([(".name", r"a\\b")], cond("name", "eq", "a\\b", ".name")),
    ([(".tags", r"in~a\,b,c")], cond("tags", "in", ("a,b", "c"), ".tags")),
    # column references, and a literal leading $
    ([(".code", "ne~$name")], cond("code", "ne", FieldRef(steps("name")), ".code")),
    ([(".code", "$crew.code")], cond("code", "eq", FieldRef(steps("crew.code")), ".code")),
    ([(".code", r"\$name")], cond("code", "eq", "$name", ".code")),
    ([(".price", "a$b")], cond("price", "eq", "a$b", ".price")),
    ([(".id", "in~$a,2")], cond("id", "in", (FieldRef(steps("a")), "2"), ".id")),
    ([(".code", r"like~\$*")], cond("code", "like", Pattern(("$", ANY)), ".code")),
    # ; without a to-many hop is a plain AND; repeated keys AND together
    (
        [(".id", "ge~2;le~3;ne~3")],
        And(
            (
                cond("id", "ge", "2", ".id", ".id[0]"),
                cond("id", "le", "3", ".id", ".id[1]"),
                cond("id", "ne", "3", ".id", ".id[2]"),
            )
        ),
    ),
    ([(".id", "ge~5"), (".id", "le~7")], And((cond("id", "ge", "5", ".id"), cond("id", "le", "7", ".id")))),
    # a single condition beyond a hop needs no group; the group stops at the last hop before the column
    ([(".parts*.quantity", "gt~2")], cond("parts*.quantity", "gt", "2", ".parts*.quantity")),
    (
        [(".crews*.astronauts*.name", "like~A*;ne~Al")],
        Group(
            steps("crews*.astronauts*"),
            And(
                (
                    cond(
                        "name",
                        "like",
                        Pattern(("A", ANY)),
                        ".crews*.astronauts*.name",
                        ".crews*.astronauts*.name[0]",
                    ),
                    cond("name", "ne", "Al", ".crews*.astronauts*.name", ".crews*.astronauts*.name[1]"),
                )
            ),
        ),
    ),
    (
        [(".crew.astronauts*.lead.id", "ge~1;le~2")],
        Group(
            steps("crew.astronauts*"),
            And(
                (
                    cond("lead.id", "ge", "1", ".crew.astronauts*.lead.id", ".crew.astronauts*.lead.id[0]"),
                    cond("lead.id", "le", "2", ".crew.astronauts*.lead.id", ".crew.astronauts*.lead.id[1]"),
                )
            ),
        ),
    ),
    ([], And(())),
]


@pytest.mark.parametrize(("params", "expected"), VALID)
def test_valid(params: list[tuple[str, str]], expected: object) -> None:
    assert parse_dotted(params) == expected


INVALID = [
    # (params, error class, param, path, words the message must contain)
    ([(".id", "gtx~1")], UnknownOperator, ".id", ".id", ["'gtx'", "eq, ne, gt"]),
    ([(".id", "EQ~3")], UnknownOperator, ".id", ".id", ["'EQ'", "lowercase"]),
    ([(".code", "abc~1")], UnknownOperator, ".code", ".code", ["'abc'", "eq~"]),
    ([(".id", "ge~1;xx~2")], UnknownOperator, ".id", ".id[1]", ["'xx'"]),
    ([(".id", "eq~3,4")], MalformedValue, ".id", ".id", ["'eq' takes one value", "in~"]),
    ([(".code", "like~a,b")], MalformedValue, ".code", ".code", ["'like' takes one value"]),
    ([(".id", "ge~2;;le~3")], MalformedValue, ".id", ".id", ["Empty condition"]),
    ([(".id", "ge~2;")], MalformedValue, ".id", ".id", ["Empty condition"]),
    ([(".lead", "null~maybe")], MalformedValue, ".lead", ".lead", ["'true' or 'false'", "maybe"]),
    ([(".code", "like~$name")], MalformedValue, ".code", ".code", ["column", "\\$"]),
    ([(".code", "null~$name")], MalformedValue, ".code", ".code", ["'true' or 'false'"]),
    ([(".code", "$")], MalformedValue, ".code", ".code", ["column name"]),
    ([(".code", "$crew*.code")], MalformedValue, ".code", ".code", ["'crew*'"]),
    ([(".code", "abc\\")], MalformedValue, ".code", ".code", ["lone"]),
    ([("code", "1")], MalformedValue, "code", None, ["must start with '.'"]),
    ([(".", "1")], MalformedValue, ".", ".", ["empty name"]),
    ([(".a..b", "1")], MalformedValue, ".a..b", ".a..b", ["empty name"]),
    ([(".crew__name", "1")], MalformedValue, ".crew__name", ".crew__name", ["'__'"]),
    ([(".na me", "1")], MalformedValue, ".na me", ".na me", ["'na me'"]),
    ([(".a.b.c.d.e.f.g.h.i", "1")], TooComplex, ".a.b.c.d.e.f.g.h.i", ".a.b.c.d.e.f.g.h.i", ["at most 8"]),
    ([(".id", "in~" + ",".join(["1"] * 501))], TooComplex, ".id", ".id", ["at most 500"]),
    ([(".id", "1")] * 101, TooComplex, ".id", ".id", ["more than 100"]),
    ([(".id", "x" * 9000)], TooComplex, ".id", ".id", ["8192"]),
    ([("." + "a" * 9000, "x")], TooComplex, "." + "a" * 9000, None, ["8192"]),
]


@pytest.mark.parametrize(("params", "kind", "param", "path", "words"), INVALID)
def test_invalid(
    params: list[tuple[str, str]], kind: type[QueryError], param: str, path: str | None, words: list[str]
) -> None:
    with pytest.raises(kind) as caught:
        parse_dotted(params)
    assert (caught.value.param, caught.value.path) == (param, path)
    for word in words:
        assert word in str(caught.value)


def test_error_message_lists_operators() -> None:
    with pytest.raises(UnknownOperator) as caught:
        parse_dotted([(".id", "gtx~1")])
    assert str(caught.value) == (
        "Unknown operator 'gtx' in '.id': use one of eq, ne, gt, ge, lt, le, like, nlike, ilike, nilike, "
        "in, nin, null, contains, contained_by, overlap, has_key, match, websearch; write 'eq~' before a value "
        "that contains '~', or escape it as '\\~'."
    )
    assert caught.value.code == "unknown_operator"


def test_names_with_capitals_digits_and_dashes_are_left_to_the_compiler() -> None:
    node = parse_dotted([(".Launch-date2", "1")])
    assert node == cond("Launch-date2", "eq", "1", ".Launch-date2")


def test_limits_are_configurable() -> None:
    with pytest.raises(TooComplex):
        parse_dotted([(".a", "1"), (".b", "2")], QueryLimits(max_clauses=1))
    with pytest.raises(TooComplex):
        parse_dotted([(".a.b", "1")], QueryLimits(max_path_length=1))


BODY_VALID = [
    (
        {"crew.lead.id": "in~1,2,3", "id": "ge~1;le~30"},
        And(
            (
                cond("crew.lead.id", "in", ("1", "2", "3"), "filter", "filter.crew.lead.id"),
                cond("id", "ge", "1", "filter", "filter.id[0]"),
                cond("id", "le", "30", "filter", "filter.id[1]"),
            )
        ),
    ),
    ({"astronauts*.id": "ge~1;le~15"}, parse_dotted([(".astronauts*.id", "ge~1;le~15")])),
    ({".id": "3"}, cond("id", "eq", "3", "filter", "filter..id")),
    ({"id": 50}, cond("id", "eq", "50", "filter", "filter.id")),
    (
        {"id": ["ge~1", "le~3"]},
        And(
            (cond("id", "ge", "1", "filter", "filter.id[0]"), cond("id", "le", "3", "filter", "filter.id[1]"))
        ),
    ),
    ({}, And(())),
]


@pytest.mark.parametrize(("body", "expected"), BODY_VALID)
def test_body_valid(body: dict[str, object], expected: object) -> None:
    node = parse_dotted_body(body)
    if isinstance(expected, Group):  # same tree as the query-string form, reported under "filter"
        assert node.path == expected.path  # type: ignore[union-attr]
        assert [c.source for c in node.node.children] == [
            "filter.astronauts*.id[0]",
            "filter.astronauts*.id[1]",
        ]  # type: ignore[union-attr]
    else:
        assert node == expected


BODY_INVALID = [
    ("in~1", "filter", ["must be an object"]),
    ({"crew": {"lead": {"id": "in~1,2,3"}}}, "filter.crew", ["must be a string"]),
    ({"id": {"operator": "gt", "value": 1}}, "filter.id", ["must be a string"]),
    ({"id": None}, "filter.id", ["must be a string"]),
    ({"id": True}, "filter.id", ["must be a string"]),
    ({"id": ["ge~1", 2.5, [1]]}, "filter.id[2]", ["must be a string"]),
    ({"id": "xx~1"}, "filter.id", ["Unknown operator 'xx'"]),
    ({1: "2"}, "filter", ["keys"]),
]


@pytest.mark.parametrize(("body", "path", "words"), BODY_INVALID)
def test_body_invalid(body: object, path: str, words: list[str]) -> None:
    with pytest.raises(QueryError) as caught:
        parse_dotted_body(body)
    assert (caught.value.param, caught.value.path) == ("filter", path)
    for word in words:
        assert word in str(caught.value)
