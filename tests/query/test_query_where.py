"""The JSON ``where`` dialect: the fastapi-cruddy-framework README examples, every operator, every mistake."""

from __future__ import annotations

import json

import pytest

from cruddy_django.query import (
    And,
    Cast,
    Condition,
    MalformedValue,
    Not,
    Or,
    Pattern,
    QueryError,
    QueryLimits,
    TooComplex,
    UnknownOperator,
    Wildcard,
    parse_where,
)
from cruddy_django.query.tree import PathStep

ANY, ONE = Wildcard.ANY, Wildcard.ONE


def cond(path: str, operator: str, value: object, source: str, **cast: object) -> Condition:
    steps = tuple(PathStep(name) for name in path.split("."))
    return Condition(steps, operator, value, param="where", source=source, **cast)  # type: ignore[arg-type]


README = [
    (
        '{"*or":{"first_name":"bilbo","last_name":"baggins"}}',
        Or(
            (
                cond("first_name", "eq", "bilbo", "where.*or.first_name"),
                cond("last_name", "eq", "baggins", "where.*or.last_name"),
            )
        ),
    ),
    (
        '{"*or":{"first_name":{"*contains":"bilbo"},"last_name":"baggins"}}',
        Or(
            (
                cond("first_name", "contains", "bilbo", "where.*or.first_name.*contains"),
                cond("last_name", "eq", "baggins", "where.*or.last_name"),
            )
        ),
    ),
    (
        (
            '{"*or":{"first_name":{"*endswith":"bilbo"},"last_name":"baggins",'
            '"*and":{"email":{"*contains":"@"},"first_name":{"*contains":"helga"}}}}'
        ),
        Or(
            (
                cond("first_name", "endswith", "bilbo", "where.*or.first_name.*endswith"),
                cond("last_name", "eq", "baggins", "where.*or.last_name"),
                And(
                    (
                        cond("email", "contains", "@", "where.*or.*and.email.*contains"),
                        cond("first_name", "contains", "helga", "where.*or.*and.first_name.*contains"),
                    )
                ),
            )
        ),
    ),
    (
        (
            '{"*or":{"first_name":{"*endswith":"bilbo"},"last_name":"baggins",'
            '"*and":[{"email":{"*contains":"@"}},{"email":{"*contains":"helga"}}]}}'
        ),
        Or(
            (
                cond("first_name", "endswith", "bilbo", "where.*or.first_name.*endswith"),
                cond("last_name", "eq", "baggins", "where.*or.last_name"),
                And(
                    (
                        cond("email", "contains", "@", "where.*or.*and[0].email.*contains"),
                        cond("email", "contains", "helga", "where.*or.*and[1].email.*contains"),
                    )
                ),
            )
        ),
    ),
    (
        '[{"first_name":{"*endswith":"bilbo"}},{"last_name":"baggins"}]',
        And(
            (
                cond("first_name", "endswith", "bilbo", "where[0].first_name.*endswith"),
                cond("last_name", "eq", "baggins", "where[1].last_name"),
            )
        ),
    ),
    (
        '{"first_name":{"*endswith":"bilbo"},"last_name":"baggins"}',
        And(
            (
                cond("first_name", "endswith", "bilbo", "where.first_name.*endswith"),
                cond("last_name", "eq", "baggins", "where.last_name"),
            )
        ),
    ),
    (
        '{"user.config.favoriteColor":{"*eq":"black"}}',
        cond("user.config.favoriteColor", "eq", "black", "where.user.config.favoriteColor.*eq"),
    ),
    (
        # the README's own text lacks a quote after baz; this is the intended query
        '{"favorites.":{"*contained_by":{"tags":["foo","bar","baz"]}}}',
        cond("favorites", "contained_by", {"tags": ["foo", "bar", "baz"]}, "where.favorites..*contained_by"),
    ),
    (
        '{"favorites.tags":{"*contains":["foo"]}}',
        cond("favorites.tags", "contains", ["foo"], "where.favorites.tags.*contains"),
    ),
    (
        '{"column_name:tsvector:english": {"*websearch_to_tsquery": "foo or bar -baz"}}',
        cond(
            "column_name",
            "websearch",
            "foo or bar -baz",
            "where.column_name:tsvector:english.*websearch_to_tsquery",
            cast="tsvector",
            cast_args=("english",),
        ),
    ),
    (
        '{"a_json_column_name:Text": {"*icontains": "some substring"}}',
        cond(
            "a_json_column_name",
            "icontains",
            "some substring",
            "where.a_json_column_name:Text.*icontains",
            cast="text",
        ),
    ),
    (
        '{"datetime_column": {"*gt": {"*datetime": "2024-02-14T19:17:40.860657Z"}}}',
        cond(
            "datetime_column",
            "gt",
            Cast("datetime", "2024-02-14T19:17:40.860657Z"),
            "where.datetime_column.*gt",
        ),
    ),
    (
        '{"datetime_column": {"*gt": {"*datetime_naive": "2024-02-14T19:17:40.860657Z"}}}',
        cond(
            "datetime_column",
            "gt",
            Cast("datetime_naive", "2024-02-14T19:17:40.860657Z"),
            "where.datetime_column.*gt",
        ),
    ),
]


@pytest.mark.parametrize(("text", "expected"), README)
def test_readme_examples(text: str, expected: object) -> None:
    assert parse_where(text) == expected
    assert parse_where(json.loads(text)) == expected  # the GET body form gives the same tree


def test_readme_typo_is_a_json_error() -> None:
    with pytest.raises(MalformedValue, match="not valid JSON"):
        parse_where('{"favorites.":{"*contained_by":{"tags":["foo","bar","baz]}}}')


VALID = [
    ({}, And(())),
    ([], And(())),
    (
        {"age": {"*gte": 1, "*lt": 9}},
        And((cond("age", "ge", 1, "where.age.*gte"), cond("age", "lt", 9, "where.age.*lt"))),
    ),
    ({"event_date": {"*eq": None}}, cond("event_date", "null", True, "where.event_date.*eq")),
    ({"event_date": {"*neq": None}}, cond("event_date", "null", False, "where.event_date.*neq")),
    ({"event_date": None}, cond("event_date", "null", True, "where.event_date")),
    ({"is_superuser": False}, cond("is_superuser", "eq", False, "where.is_superuser")),
    # a bare string is equality: % is literal (cruddy made it LIKE)
    ({"name": "%Anon%"}, cond("name", "eq", "%Anon%", "where.name")),
    ({"name": {"*like": "Elves%"}}, cond("name", "like", Pattern(("Elves", ANY)), "where.name.*like")),
    (
        {"name": {"*ilike": "_lv%s"}},
        cond("name", "ilike", Pattern((ONE, "lv", ANY, "s")), "where.name.*ilike"),
    ),
    ({"name": {"*notlike": r"100\%"}}, cond("name", "nlike", Pattern(("100%",)), "where.name.*notlike")),
    ({"name": {"*not_ilike": r"a\_b"}}, cond("name", "nilike", Pattern(("a_b",)), "where.name.*not_ilike")),
    ({"name": {"*notilike": "%"}}, cond("name", "nilike", Pattern((ANY,)), "where.name.*notilike")),
    ({"id": {"*in": [1, 2]}}, cond("id", "in", (1, 2), "where.id.*in")),
    ({"id": {"*in_": ["a"]}}, cond("id", "in", ("a",), "where.id.*in_")),
    ({"id": {"*not_in": []}}, cond("id", "nin", (), "where.id.*not_in")),
    ({"id": {"*notin_": [1.5]}}, cond("id", "nin", (1.5,), "where.id.*notin_")),
    *[
        ({"n": {spelling: "x"}}, cond("n", canonical, "x", f"where.n.{spelling}"))
        for spelling, canonical in [
            ("*icontains", "icontains"),
            ("*startswith", "startswith"),
            ("*istartswith", "istartswith"),
            ("*endswith", "endswith"),
            ("*iendswith", "iendswith"),
            ("*regexp_match", "regex"),
            ("*has_key", "has_key"),
            ("*match", "match"),
            ("*gt", "gt"),
            ("*lte", "le"),
            ("*neq", "ne"),
        ]
    ],
    ({"n": {"*is": None}}, cond("n", "null", True, "where.n.*is")),
    ({"n": {"*is_": True}}, cond("n", "eq", True, "where.n.*is_")),
    ({"n": {"*isnot": None}}, cond("n", "null", False, "where.n.*isnot")),
    ({"n": {"*is_not": True}}, Not(cond("n", "eq", True, "where.n.*is_not"))),
    ({"n": {"*between": [1, 5]}}, cond("n", "between", (1, 5), "where.n.*between")),
    (
        {"d": {"*between": [{"*datetime": "2024-01-01"}, {"*datetime": 1700000000}]}},
        cond(
            "d", "between", (Cast("datetime", "2024-01-01"), Cast("datetime", 1700000000)), "where.d.*between"
        ),
    ),
    (
        {"d": {"*in": [{"*datetime_naive": "2024-01-01"}]}},
        cond("d", "in", (Cast("datetime_naive", "2024-01-01"),), "where.d.*in"),
    ),
    ({"data": {"*has_any": ["a", "b"]}}, cond("data", "has_any", ("a", "b"), "where.data.*has_any")),
    ({"data": {"*has_all": ["a"]}}, cond("data", "has_all", ("a",), "where.data.*has_all")),
    (
        {"data": {"*contains": {"a": [1, {"b": None}]}}},
        cond("data", "contains", {"a": [1, {"b": None}]}, "where.data.*contains"),
    ),
    ({"data": {"*contained_by": 3}}, cond("data", "contained_by", 3, "where.data.*contained_by")),
    ({"data": {"*eq": {"a": 1, "*b": 2}}}, cond("data", "eq", {"a": 1, "*b": 2}, "where.data.*eq")),
    (
        {"tags.categories": {"*eq": ["rant"]}},
        cond("tags.categories", "eq", ["rant"], "where.tags.categories.*eq"),
    ),
    ({"tags.0.n": {"*gt": 6}}, cond("tags.0.n", "gt", 6, "where.tags.0.n.*gt")),
    (
        {"body:tsvector": {"*match": "x"}},
        cond("body", "match", "x", "where.body:tsvector.*match", cast="tsvector"),
    ),
    ({"n:INTEGER": {"*gt": 3}}, cond("n", "gt", 3, "where.n:INTEGER.*gt", cast="integer")),
    ({"n:datetime": "x"}, cond("n", "eq", "x", "where.n:datetime", cast="datetime")),
    (
        {"*not": {"tags:Text": {"*icontains": "456"}}},
        Not(cond("tags", "icontains", "456", "where.*not.tags:Text.*icontains", cast="text")),
    ),
    (
        {"*not": {"a": 1, "b": 2}},
        Not(And((cond("a", "eq", 1, "where.*not.a"), cond("b", "eq", 2, "where.*not.b")))),
    ),
    # an array under *or: each element is one alternative, the AND of its keys
    (
        {"*or": [{"a": 1, "b": 2}, {"c": 3}]},
        Or(
            (
                And((cond("a", "eq", 1, "where.*or[0].a"), cond("b", "eq", 2, "where.*or[0].b"))),
                cond("c", "eq", 3, "where.*or[1].c"),
            )
        ),
    ),
    ({"*or": [{"a": 1}]}, cond("a", "eq", 1, "where.*or[0].a")),
    ([[{"a": 1}, {"b": 2}]], And((cond("a", "eq", 1, "where[0][0].a"), cond("b", "eq", 2, "where[0][1].b")))),
    ({"*and": {"*and": {"a": 1}}}, cond("a", "eq", 1, "where.*and.*and.a")),
]


@pytest.mark.parametrize(("data", "expected"), VALID)
def test_valid(data: object, expected: object) -> None:
    assert parse_where(data) == expected
    assert parse_where(json.dumps(data)) == expected
    assert parse_where(json.dumps(data).encode()) == expected


INVALID = [
    # (input, error class, path, words in the message)
    ('{"a":', MalformedValue, "where", ["not valid JSON"]),
    ("5", MalformedValue, "where", ["JSON object or array"]),
    ("null", MalformedValue, "where", ["JSON object or array"]),
    ('{"a": NaN}', MalformedValue, "where", ["not valid JSON"]),
    ('{"a": 1e999}', MalformedValue, "where.a", ["finite"]),
    ('{"a": 1, "a": 2}', MalformedValue, "where", ["repeats the key 'a'"]),
    (b"\xff", MalformedValue, "where", ["UTF-8"]),
    ({"a": {"*gtx": 1}}, UnknownOperator, "where.a.*gtx", ["'*gtx'", "*eq, *neq, *gt"]),
    ({"a": {"gt": 1}}, UnknownOperator, "where.a.gt", ["'gt'", "start with '*'"]),
    ({"a": {}}, MalformedValue, "where.a", ["at least one operator"]),
    ({"a": [1, 2]}, MalformedValue, "where.a", ["ambiguous", "*in"]),
    ({"*nor": {"a": 1}}, UnknownOperator, "where.*nor", ["'*nor'", "*and, *or, *not"]),
    ({"*or": []}, MalformedValue, "where.*or", ["non-empty"]),
    ({"*or": {}}, MalformedValue, "where.*or", ["non-empty"]),
    ({"*and": "junk"}, MalformedValue, "where.*and", ["non-empty object or array"]),
    ({"*or": [1, {"a": 1}]}, MalformedValue, "where.*or[0]", ["not a number"]),
    ([{}], MalformedValue, "where[0]", ["non-empty"]),
    ({"a": {"*in": 3}}, MalformedValue, "where.a.*in", ["takes an array"]),
    ({"a": {"*in": [None]}}, MalformedValue, "where.a.*in[0]", ["not null"]),
    ({"a": {"*in": [[1]]}}, MalformedValue, "where.a.*in[0]", ["string or a number"]),
    ({"a": {"*between": [1]}}, MalformedValue, "where.a.*between", ["[low, high]"]),
    ({"a": {"*like": 3}}, MalformedValue, "where.a.*like", ["takes a string"]),
    ({"a": {"*like": "x\\"}}, MalformedValue, "where.a.*like", ["lone"]),
    ({"a": {"*regexp_match": "["}}, MalformedValue, "where.a.*regexp_match", ["regular expression"]),
    ({"a": {"*gt": None}}, MalformedValue, "where.a.*gt", ["not null"]),
    ({"a": {"*gt": True}}, MalformedValue, "where.a.*gt", ["not a boolean"]),
    ({"a": {"*gt": [1]}}, MalformedValue, "where.a.*gt", ["not an array"]),
    ({"a": {"*contains": None}}, MalformedValue, "where.a.*contains", ["not null"]),
    ({"a": {"*icontains": {"x": 1}}}, MalformedValue, "where.a.*icontains", ["not an object"]),
    ({"a": {"*is": 1}}, MalformedValue, "where.a.*is", ["null, true or false"]),
    ({"a": {"*eq": {"*datetme": "x"}}}, UnknownOperator, "where.a.*eq", ["'*datetme'", "*datetime"]),
    ({"a": {"*like": {"*datetime": "x"}}}, MalformedValue, "where.a.*like", ["*datetime"]),
    ({"a": {"*gt": {"*datetime": True}}}, MalformedValue, "where.a.*gt", ["ISO"]),
    ({"a:Bogus": 1}, MalformedValue, "where.a:Bogus", ["'Bogus'", "Text, Integer"]),
    ({"a:": 1}, MalformedValue, "where.a:", ["column cast"]),
    ({"a:Text:x": 1}, MalformedValue, "where.a:Text:x", ["column cast"]),
    (
        {"a:tsvector:English;drop": {"*match": "x"}},
        MalformedValue,
        "where.a:tsvector:English;drop",
        ["lowercase"],
    ),
    ({"a:tsvector": {"*eq": "x"}}, MalformedValue, "where.a:tsvector.*eq", ["*match"]),
    ({"a..b": 1}, MalformedValue, "where.a..b", ["empty name"]),
    ({".": 1}, MalformedValue, "where..", ["empty name"]),
    ({"a__b": 1}, MalformedValue, "where.a__b", ["'__'"]),
    ({"a b": 1}, MalformedValue, "where.a b", ["'a b'"]),
    ({"a": {"*in": list(range(501))}}, TooComplex, "where.a.*in", ["at most 500"]),
    ({f"f{i}": i for i in range(101)}, TooComplex, "where.f100", ["more than 100"]),
    ("[" * 1000 + "]" * 1000, TooComplex, "where", ["too deeply"]),
    ([[[[[[[[[[[[{"a": 1}]]]]]]]]]]]], TooComplex, "where[0][0][0][0][0][0][0][0][0][0][0]", ["too deeply"]),
    ({"a": {"*contains": [[[[[[[[[[[[1]]]]]]]]]]]]}}, TooComplex, "where.a.*contains", ["too deeply"]),
    ({"a": {"*eq": {1: 2}}}, MalformedValue, "where.a.*eq", ["keys"]),
    ({"a": {"*eq": {1, 2}}}, MalformedValue, "where.a.*eq", ["not JSON"]),
    ({1: 2}, MalformedValue, "where", ["strings"]),
    ({"a": {1: 2}}, UnknownOperator, "where.a.1", ["'1'"]),
    ("x" * 9000, TooComplex, "where", ["8192"]),
]


@pytest.mark.parametrize(("data", "kind", "path", "words"), INVALID)
def test_invalid(data: object, kind: type[QueryError], path: str, words: list[str]) -> None:
    with pytest.raises(kind) as caught:
        parse_where(data)
    assert (caught.value.param, caught.value.path) == ("where", path)
    for word in words:
        assert word in str(caught.value), str(caught.value)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_a_query_error(depth: int) -> None:
    limits = QueryLimits(max_param_length=10 * depth)
    for text in ("[" * depth + "]" * depth, '{"*or":' * depth + "1" + "}" * depth, "[" * depth):
        with pytest.raises(TooComplex):
            parse_where(text, limits)
    nested: object = {"a": 1}
    for _ in range(depth):
        nested = {"*not": nested}
    with pytest.raises(TooComplex):
        parse_where(nested)


def test_cyclic_python_object_is_a_query_error() -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises(TooComplex):
        parse_where(cycle)


def test_param_name_is_reported() -> None:
    with pytest.raises(QueryError) as caught:
        parse_where({"a": {"*x": 1}}, param="body.where")
    assert (caught.value.param, caught.value.path) == ("body.where", "body.where.a.*x")


def test_depth_limit_is_configurable() -> None:
    parse_where({"*not": {"*not": {"a": 1}}}, QueryLimits(max_depth=2))
    with pytest.raises(TooComplex):
        parse_where({"*not": {"*not": {"*not": {"a": 1}}}}, QueryLimits(max_depth=2))
