"""backo's ``path.$op`` keys, and which keys the dispatcher should hand to this dialect."""

from __future__ import annotations

import pytest

from cruddy_django.query import (
    And,
    Condition,
    MalformedValue,
    QueryError,
    TooComplex,
    UnknownOperator,
    is_backo_param,
    parse_backo,
)
from cruddy_django.query.tree import PathStep


def cond(path: str, operator: str, value: object, key: str) -> Condition:
    steps = tuple(PathStep(name) for name in path.split("."))
    return Condition(steps, operator, value, param=key, source=key)


VALID = [
    # the seed documents' examples
    ([("age.$lt", "12")], cond("age", "lt", "12", "age.$lt")),
    ([("name.$re", "do")], cond("name", "regex", "do", "name.$re")),
    ([("address.city", "Paris")], cond("address.city", "eq", "Paris", "address.city")),
    ([("address.number", "1")], cond("address.number", "eq", "1", "address.number")),
    *[
        ([(f"n.{spelling}", "5")], cond("n", canonical, "5", f"n.{spelling}"))
        for spelling, canonical in [
            ("$eq", "eq"),
            ("$ne", "ne"),
            ("$lt", "lt"),
            ("$lte", "le"),
            ("$gt", "gt"),
            ("$gte", "ge"),
            ("$reg", "regex"),
        ]
    ],
    ([("age.$in", "1,2")], cond("age", "in", ("1", "2"), "age.$in")),
    ([("age.$nin", "1")], cond("age", "nin", ("1",), "age.$nin")),
    ([("city.$in", r"Paris\, TX,Lyon")], cond("city", "in", ("Paris, TX", "Lyon"), "city.$in")),
    # values stay verbatim strings, commas and backslashes included, outside lists
    ([("name.$eq", r"a,b\c")], cond("name", "eq", r"a,b\c", "name.$eq")),
    ([("$._id", "User_neil")], cond("_id", "eq", "User_neil", "$._id")),
    (
        [("$._meta.created_by.login", "alice")],
        cond("_meta.created_by.login", "eq", "alice", "$._meta.created_by.login"),
    ),
    # repeated keys AND together
    (
        [("age.$gt", "3"), ("age.$gt", "5")],
        And((cond("age", "gt", "3", "age.$gt"), cond("age", "gt", "5", "age.$gt"))),
    ),
    ([], And(())),
]


@pytest.mark.parametrize(("params", "expected"), VALID)
def test_valid(params: list[tuple[str, str]], expected: object) -> None:
    assert parse_backo(params) == expected


INVALID = [
    ([("name.$foo", "1")], UnknownOperator, "name.$foo", ["'$foo'", "$eq, $ne, $lt"]),
    ([("name.$RE", "1")], UnknownOperator, "name.$RE", ["'$RE'"]),
    ([("a.$lt.$gt", "1")], MalformedValue, "a.$lt.$gt", ["'$lt'"]),
    ([("name.$re", "[")], MalformedValue, "name.$re", ["regular expression"]),
    ([("name", "x")], MalformedValue, "name", ["not a backo filter"]),
    ([("_page", "2")], MalformedValue, "_page", ["not a backo filter"]),
    ([("a..b", "x")], MalformedValue, "a..b", ["empty name"]),
    ([("a.b__c", "x")], MalformedValue, "a.b__c", ["'__'"]),
    ([("a.$in", "x\\")], MalformedValue, "a.$in", ["lone"]),
    ([("a.$in", ",".join("1" * 501))], TooComplex, "a.$in", ["at most 500"]),
    ([("a.b", "1")] * 101, TooComplex, "a.b", ["more than 100"]),
    ([("a.b", "x" * 9000)], TooComplex, "a.b", ["8192"]),
]


@pytest.mark.parametrize(("params", "kind", "path", "words"), INVALID)
def test_invalid(params: list[tuple[str, str]], kind: type[QueryError], path: str, words: list[str]) -> None:
    with pytest.raises(kind) as caught:
        parse_backo(params)
    assert (caught.value.param, caught.value.path) == (params[0][0], path)
    for word in words:
        assert word in str(caught.value), str(caught.value)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("age.$lt", True),
        ("name.$re", True),
        ("name.$eq", True),
        ("address.city", True),
        ("$._id", True),
        ("$.name", True),
        ("name", False),  # django-filter's
        ("code__icontains", False),
        (".code", False),  # Plateforme's
        (".crew.lead.id", False),
        ("_page", False),  # control parameters
        ("_sort", False),
        ("_meta.created_by", False),
        ("where", False),
        ("page_size", False),
    ],
)
def test_is_backo_param(key: str, expected: bool) -> None:
    assert is_backo_param(key) is expected
