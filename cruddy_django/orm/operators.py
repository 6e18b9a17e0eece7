"""Which operators suit which fields, and how a canonical operator becomes a Django lookup.

    field_kind(model_graph(Book).fields["pages"])   # -> ("integer", ("eq", "ne", "gt", ...))
    LOOKUPS["ge"]                                   # -> ("gte", False): Django lookup, negated?
    lookup_q("pages", "gte", 100, condition)        # -> Q(pages__gte=100)

Which operators a field takes comes from the field-kind table (``cruddy_django.introspection.kinds``): a
subclass of CharField filters like text; binary and file fields cannot be filtered.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from cruddy_django.introspection import FieldInfo
from cruddy_django.introspection.kinds import kind_of, kind_of_model_field
from cruddy_django.query import Condition, Pattern, UnknownOperator
from cruddy_django.query.errors import clip

__all__ = ["COLUMN_CAST_FIELDS", "LOOKUPS", "SEARCH_TYPES", "field_kind", "is_text", "json_reserved_keys",
    "lookup_q", "query_kind"]


# Canonical operator -> (Django lookup, negated).
LOOKUPS = {
    "eq": ("exact", False), "ne": ("exact", True), "gt": ("gt", False), "ge": ("gte", False),
    "lt": ("lt", False), "le": ("lte", False), "in": ("in", False), "nin": ("in", True),
    "null": ("isnull", False), "between": ("range", False), "contains": ("contains", False),
    "icontains": ("icontains", False), "startswith": ("startswith", False),
    "istartswith": ("istartswith", False), "endswith": ("endswith", False),
    "iendswith": ("iendswith", False), "regex": ("regex", False), "has_key": ("has_key", False),
    "has_any": ("has_any_keys", False), "has_all": ("has_keys", False),
    "contained_by": ("contained_by", False), "overlap": ("overlap", False),
}
# Column casts of the where dialect (``"pages:Text"``) -> the field the column is cast to.
COLUMN_CAST_FIELDS: dict[str, type[models.Field]] = {
    "text": models.TextField, "integer": models.IntegerField, "float": models.FloatField,
    "date": models.DateField, "datetime": models.DateTimeField,
}
SEARCH_TYPES = {"websearch": "websearch", "match": "plain"}


def query_kind(model_field: Any) -> tuple[str, tuple[str, ...]] | None:
    """The query family and operators of a model field (or an expression's output field); None when it
    cannot be filtered."""
    kind = kind_of_model_field(model_field)
    return (kind.query, kind.operators) if kind is not None and kind.query else None


def field_kind(info: FieldInfo) -> tuple[str, tuple[str, ...]] | None:
    """The query family and the operators of a field, or None when it cannot be filtered."""
    kind = kind_of(info)
    return (kind.query, kind.operators) if kind is not None and kind.query else None


def json_reserved_keys() -> set[str]:
    """JSON keys that Django would read as a lookup or transform instead of a key."""
    return set(models.JSONField.get_class_lookups())  # what get_lookups() is on a class | {"key"}


def is_text(value: Any) -> bool:
    """Is the value client text (from a query string), as opposed to a typed JSON value?"""
    if isinstance(value, tuple | list):
        return bool(value) and all(isinstance(item, str) for item in value)
    return isinstance(value, str | Pattern)


def lookup_q(lhs: Any, lookup: str, value: Any, condition: Condition) -> Q:
    """``lhs__lookup=value`` for a lookup path, or the lookup expression itself for an expression."""
    if isinstance(lhs, str):
        return Q(**{f"{lhs}__{lookup}": value})
    lookup_class = lhs.get_lookup(lookup)
    if lookup_class is None:
        raise UnknownOperator(f"'{clip(condition.source)}' cannot be compared with '{condition.operator}'.",
                              param=condition.param, path=condition.source)
    return Q(lookup_class(lhs, value))
