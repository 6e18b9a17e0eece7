"""Sort specifications from ``sort``, ``ordering`` and backo's ``_sort``."""

from __future__ import annotations

import pytest

from cruddy_django.query import (
    MalformedValue,
    QueryError,
    QueryLimits,
    SortKey,
    TooComplex,
    parse_sort,
)
from cruddy_django.query.tree import PathStep


def key(
    path: str, index: int, descending: bool = False, nulls: str | None = None, param: str = "sort"
) -> SortKey:
    steps = tuple(
        PathStep(name.rstrip("*"), True if name.endswith("*") else None) for name in path.split(".")
    )
    return SortKey(steps, descending, nulls, param=param, source=f"{param}[{index}]")  # type: ignore[arg-type]


VALID = [
    (["-launch_date,+name"], (key("launch_date", 0, True), key("name", 1))),
    (["-launch_date", "name"], (key("launch_date", 0, True), key("name", 1))),
    ([" name"], (key("name", 0),)),  # an unencoded '+' decodes to a space
    (["name:desc"], (key("name", 0, True),)),
    (["name:asc"], (key("name", 0),)),
    (["name:nf"], (key("name", 0, False, "first"),)),
    (["-name:nl"], (key("name", 0, True, "last"),)),
    (["name:desc:nl", "id:nf:asc"], (key("name", 0, True, "last"), key("id", 1, False, "first"))),
    (["crew.name"], (key("crew.name", 0),)),
    (["-parts*.quantity"], (key("parts*.quantity", 0, True),)),
    (["name desc", "id asc", "code DESC"], (key("name", 0, True), key("id", 1), key("code", 2, True))),
    (["name:nl desc"], (key("name", 0, True, "last"),)),
    (["-$.age,+$.name"], (key("age", 0, True), key("name", 1))),
    ([], ()),
]


@pytest.mark.parametrize(("values", "expected"), VALID)
def test_valid(values: list[str], expected: tuple[SortKey, ...]) -> None:
    assert parse_sort(values) == expected


def test_param_names_are_kept() -> None:
    assert parse_sort(["-age"], param="_sort") == (key("age", 0, True, param="_sort"),)
    assert parse_sort(["-id"], param="ordering") == (key("id", 0, True, param="ordering"),)


INVALID = [
    (["a,a"], MalformedValue, "sort[1]", ["'a' twice", "sort[0]"]),
    (["a", "-a"], MalformedValue, "sort[1]", ["'a' twice"]),
    (["parts*.q", "parts.q"], MalformedValue, "sort[1]", ["twice"]),
    ([""], MalformedValue, "sort[0]", ["Empty sort key"]),
    (["a,"], MalformedValue, "sort[1]", ["Empty sort key"]),
    (["a,,b"], MalformedValue, "sort[1]", ["Empty sort key"]),
    (["-"], MalformedValue, "sort[0]", ["empty name"]),
    (["-a:desc"], MalformedValue, "sort[0]", ["direction once"]),
    (["+a:asc"], MalformedValue, "sort[0]", ["direction once"]),
    (["-a desc"], MalformedValue, "sort[0]", ["direction once"]),
    (["a:asc:desc"], MalformedValue, "sort[0]", ["repeats"]),
    (["a:nl:nf"], MalformedValue, "sort[0]", ["repeats"]),
    (["a:xx"], MalformedValue, "sort[0]", ["unknown suffix ':xx'", ":asc, :desc, :nf"]),
    (["a:"], MalformedValue, "sort[0]", ["unknown suffix ':'"]),
    (["a:DESC"], MalformedValue, "sort[0]", ["unknown suffix"]),
    (["crew__name"], MalformedValue, "sort[0]", ["'__'"]),
    (["--a"], MalformedValue, "sort[0]", ["'-a'"]),
    (["a b c"], MalformedValue, "sort[0]", ["'a b c'"]),
    (["a.b.c.d.e.f.g.h.i"], TooComplex, "sort[0]", ["at most 8"]),
    ([",".join(f"f{i}" for i in range(9))], TooComplex, "sort[8]", ["more than 8"]),
    (["x" * 9000], TooComplex, "sort", ["8192"]),
]


@pytest.mark.parametrize(("values", "kind", "path", "words"), INVALID)
def test_invalid(values: list[str], kind: type[QueryError], path: str, words: list[str]) -> None:
    with pytest.raises(kind) as caught:
        parse_sort(values)
    assert (caught.value.param, caught.value.path) == ("sort", path)
    for word in words:
        assert word in str(caught.value), str(caught.value)


def test_max_sort_keys_is_configurable() -> None:
    assert len(parse_sort(["a,b"], QueryLimits(max_sort_keys=2))) == 2
    with pytest.raises(TooComplex):
        parse_sort(["a,b,c"], QueryLimits(max_sort_keys=2))
