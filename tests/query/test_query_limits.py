"""Bounded JSON decoding for client input (``where`` texts and GET bodies) and the limits themselves."""

from __future__ import annotations

import pytest

from cruddy_django.query import (
    DEFAULT_LIMITS,
    MalformedValue,
    QueryLimits,
    TooComplex,
    check_json_depth,
    load_json,
)


def test_defaults() -> None:
    assert QueryLimits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_json_depth == 4 * DEFAULT_LIMITS.max_depth + 4


def test_load_json_decodes_ordinary_bodies() -> None:
    body = '{"filter": {"id": "ge~1"}, "where": [{"a": "[{\\"}"}], "page": 2}'
    assert load_json(body, DEFAULT_LIMITS, param="body") == {
        "filter": {"id": "ge~1"},
        "where": [{"a": '[{"}'}],
        "page": 2,
    }


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("[" * 45 + "]" * 45, TooComplex, "too deeply"),
        ("[" * 100_000, TooComplex, "too deeply"),
        ('{"a": 1, "a": 2}', MalformedValue, "repeats the key 'a'"),
        ("[Infinity]", MalformedValue, "not valid JSON"),
        ("[" + "9" * 5000 + "]", MalformedValue, "not valid JSON"),
        ("{", MalformedValue, "not valid JSON"),
    ],
)
def test_load_json_refuses(text: str, kind: type[Exception], words: str) -> None:
    with pytest.raises(kind, match=words) as caught:
        load_json(text, QueryLimits(max_param_length=200_000), param="body")
    assert caught.value.param == "body"  # type: ignore[attr-defined]


def test_brackets_inside_strings_do_not_count() -> None:
    assert load_json('["' + "[" * 100 + '"]', DEFAULT_LIMITS, param="body") == ["[" * 100]


def test_check_json_depth() -> None:
    nested: object = 1
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(TooComplex):
        check_json_depth(nested, DEFAULT_LIMITS, param="body")
    check_json_depth({"a": [[1]]}, DEFAULT_LIMITS, param="body")
