"""PostgreSQL columns in queries: arrays, ranges, hstore and search vectors, compared whole or by their parts.

    .tags=overlap~red,blue             {"tags": {"*contains": ["red"]}}     arrays: contains, contained_by,
    .tags.len=gt~2   .tags.0=eq~red                                        overlap, length, items by index
    .ages=contains~5  .ages=overlap~1,10  {"ages.lower": {"*ge": 3}}        ranges: an element or [low, high];
                                                                           bounds as `lower` / `upper`
    .attributes.colour=red   {"attributes": {"*has_key": "size"}}          hstore: keys, containment
    .document=match~cat      {"document": {"*websearch": "cat -dog"}}      a search vector

    part = column_part(info, "len", condition_param, source)   # the integer length of an array column
    whole_value(info, condition, "red,blue")                   # ["red", "blue"], converted by the base field

On the query string a list is written with commas (``red,blue``, a range ``1,10``); in ``where`` as a JSON array.
Each item converts with the column's base field, so a bad item is a 400 naming it. Other databases have no such
columns: their operators never reach SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

from cruddy_django.introspection.kinds import IDENTITY, ORDERED, TEXT, kind_of_model_field
from cruddy_django.orm.values import convert
from cruddy_django.query import Condition, MalformedValue
from cruddy_django.query.errors import clip

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo

__all__ = ["PART_KINDS", "ColumnPart", "column_part", "whole_value"]

# Query families whose paths go on into the parts of a column.
PART_KINDS = frozenset({"array", "range", "hstore"})
# Range bounds as path steps -> Django's transforms.
RANGE_BOUNDS = {"lower": "startswith", "upper": "endswith"}


@dataclass(frozen=True)
class ColumnPart:
    """A part of a column that a path names: its lookup suffix, how it compares, what converts its values."""

    suffix: str
    kind: str
    operators: tuple[str, ...]
    field: Any


def _kind_of(model_field: Any) -> tuple[str, tuple[str, ...]]:
    kind = kind_of_model_field(model_field)
    return (kind.query, kind.operators) if kind is not None and kind.query else ("text", TEXT)


def column_part(info: FieldInfo, step: str, *, param: str, source: str) -> ColumnPart:
    """The part ``step`` of an array (``len``, an index), a range (``lower``, ``upper``) or an hstore (a key)
    column; a ``MalformedValue`` naming the parts otherwise."""
    model_field = info.model_field
    family = _kind_of(model_field)[0]
    if family == "array":
        if step == "len":
            return ColumnPart("__len", "integer", ORDERED, models.IntegerField())
        if step.isdigit():
            kind, operators = _kind_of(model_field.base_field)
            return ColumnPart(f"__{int(step)}", kind, operators, model_field.base_field)
        hint = "'len' (its length) or an index from 0"
    elif family == "range":
        if step in RANGE_BOUNDS:
            base = model_field.base_field
            return ColumnPart(f"__{RANGE_BOUNDS[step]}", _kind_of(base)[0], ORDERED, base)
        if step == "empty":
            return ColumnPart("__isempty", "boolean", IDENTITY, models.BooleanField())
        hint = "'lower', 'upper' (its bounds) or 'empty'"
    else:  # hstore: any key, compared as text
        if step in {"keys", "values", "contains", "contained_by", "has_key", "has_keys", "has_any_keys"}:
            hint = "a key that is not an operator's name"
        else:
            return ColumnPart(f"__{step}", "text", TEXT, models.TextField())
    raise MalformedValue(f"'{clip(step)}' in '{clip(source)}' is no part of {info.name}: use {hint}.",
                         param=param, path=source)


def _items(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",")] if value.strip() else []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def whole_value(info: FieldInfo, condition: Condition, value: Any) -> Any:
    """The value an array, range or hstore column is compared with as a whole."""
    model_field = info.model_field
    family = _kind_of(model_field)[0]
    operator = condition.operator
    if family == "array":
        base = model_field.base_field
        kind = _kind_of(base)[0]
        return [convert(base, item, condition, kind) for item in _items(value)]
    if family == "range":
        return _range(model_field, condition, value)
    if operator in {"has_key", "has_any", "has_all"}:
        return str(value)
    if not isinstance(value, dict) or not all(isinstance(item, str | None) for item in value.values()):
        raise MalformedValue(f"'{clip(condition.source)}' compares {info.name} with an object of texts, such as "
                             '{"colour": "red"}.', param=condition.param, path=condition.source)
    return value


def _range(model_field: Any, condition: Condition, value: Any) -> Any:
    """A range as ``[low, high]`` (or ``"low,high"``; an empty bound is unbounded), ``{"lower", "upper",
    "bounds"}``; or, for ``contains``, one element."""
    base = model_field.base_field
    kind = _kind_of(base)[0]
    bounds = "[)"
    if isinstance(value, dict):
        bounds = value.get("bounds", bounds)
        if bounds not in {"[)", "(]", "()", "[]"}:
            raise MalformedValue(f"The bounds in '{clip(condition.source)}' must be one of [) (] () [].",
                                 param=condition.param, path=condition.source)
        items = [value.get("lower"), value.get("upper")]
    else:
        items = _items(value)
    if len(items) == 1 and condition.operator == "contains":  # an element: the range [v, v] it spans (Django
        element = convert(base, items[0], condition, kind)  # casts a bare decimal to numeric(None, None))
        return model_field.range_type(element, element, "[]")
    if len(items) != 2:
        raise MalformedValue(f"'{clip(condition.source)}' needs a range: [low, high] (or 'low,high' in the query "
                             "string), or one element for contains.", param=condition.param, path=condition.source)
    low, high = (None if item in (None, "") else convert(base, item, condition, kind) for item in items)
    return model_field.range_type(low, high, bounds)
