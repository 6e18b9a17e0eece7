"""Requests for the zoo's table-driven and property-based tests: for a field of a given kind and an operator,
the query string of each dialect that has the operator, with a value of the field's type."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from cruddy_django.introspection.kinds import FILTER_LOOKUPS
from cruddy_django.query import BACKO_OPERATORS, DOTTED_OPERATORS, WHERE_OPERATORS

# A value of each query family: as query-string text, and as a typed JSON value.
SAMPLES: dict[str, tuple[str, Any]] = {
    "text": ("a", "a"), "integer": ("1", 1), "number": ("1.5", 1.5), "boolean": ("true", True),
    "date": ("2024-01-02", "2024-01-02"), "datetime": ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
    "time": ("10:11:12", "10:11:12"), "duration": ("01:00:00", "01:00:00"),
    "uuid": (str(uuid.UUID(int=1)), str(uuid.UUID(int=1))), "json": ("a", {"a": 1}), "relation": ("1", 1),
    "to-many relation": ("1", 1), "array": ("a", ["a"]), "range": ("1,5", [1, 5]), "hstore": ("a", {"a": "b"}),
    "search": ("cat", "cat"),
}
WHERE_NAMES = {canonical: name for name, canonical in reversed(WHERE_OPERATORS.items())}
BACKO_NAMES = {canonical: name for name, canonical in reversed(BACKO_OPERATORS.items())}
PATTERN_OPERATORS = {"like", "nlike", "ilike", "nilike"}
LIST_OPERATORS = {"in", "nin", "between", "has_any", "has_all"}


def _text(kind: str, operator: str) -> str:
    text, _typed = SAMPLES.get(kind, ("1", 1))
    if operator in PATTERN_OPERATORS:
        return f"{text[0]}*"
    if operator == "null":
        return "true"
    if operator in LIST_OPERATORS:
        return f"{text},{text}"
    return text


def _typed(kind: str, operator: str) -> Any:
    _text_value, typed = SAMPLES.get(kind, ("1", 1))
    if operator in PATTERN_OPERATORS:
        return f"{str(typed)[0]}*"
    if operator in LIST_OPERATORS:
        return [typed, typed] if operator != "has_any" and operator != "has_all" else ["a"]
    if operator == "has_key":
        return "a"
    return typed


def dialect_requests(field: str, kind: str, operators: tuple[str, ...], lookups: list[str]
                     ) -> Iterator[tuple[str, str, str]]:
    """``(dialect, the parameter errors are keyed by, query string)`` for every operator in every dialect that
    has it, and every django-filter lookup."""
    for operator in operators:
        if operator in DOTTED_OPERATORS:
            key = f".{field}"
            yield "dotted", key, f"{key}={quote(operator + '~' + _text(kind, operator))}"
        if operator in WHERE_NAMES:
            value = None if operator == "null" else _typed(kind, operator)
            name = "*eq" if operator == "null" else WHERE_NAMES[operator]
            yield "where", "where", "where=" + quote(json.dumps({field: {name: value}}))
        if operator in BACKO_NAMES and operator != "regex":
            key = f"{field}.{BACKO_NAMES[operator]}"
            yield "backo", key, f"{quote(key)}={quote(_text(kind, operator))}"
    for lookup in lookups:
        key = field if lookup == "exact" else f"{field}__{lookup}"
        operator = next((name for name, value in FILTER_LOOKUPS.items() if value == lookup), "eq")
        value = "true" if lookup == "isnull" else _text(kind, operator)
        yield "django-filter", key, f"{key}={quote(value)}"
