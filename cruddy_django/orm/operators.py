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
from django.db.models import F, Lookup, Q

from cruddy_django.introspection import FieldInfo
from cruddy_django.introspection.kinds import kind_of, kind_of_model_field
from cruddy_django.query import Condition, Pattern, UnknownOperator
from cruddy_django.query.errors import clip

__all__ = ["LOOKUPS", "SEARCH_TYPES", "LikePattern", "field_kind", "is_text",
    "json_reserved_keys", "like_q", "lookup_q", "query_kind"]


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


class LikePattern(Lookup):
    """``lhs LIKE pattern``: the pattern is in LIKE syntax already (``%``, ``_``, literals escaped with a
    backslash, as ``Pattern.to_like`` writes them), and the database's own LIKE runs it, with the left-hand
    cast and operator Django uses for ``contains`` (``icontains`` when ``insensitive``) on that database. A
    pattern with wildcards in the middle therefore never falls back to a regular expression, whose
    backtracking a hostile pattern could make exponential."""

    lookup_name = "cruddy_like"
    prepare_rhs = False
    insensitive = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        lookup = "icontains" if self.insensitive else "contains"
        lhs_sql = connection.ops.lookup_cast(lookup, self.lhs.output_field.get_internal_type()) % lhs_sql
        return f"{lhs_sql} {connection.operators[lookup] % rhs_sql}", (*lhs_params, *rhs_params)


class ILikePattern(LikePattern):
    lookup_name = "cruddy_ilike"
    insensitive = True


def like_q(lhs: Any, pattern: Pattern, *, insensitive: bool) -> Q:
    """``lhs`` (a lookup path or an expression) matches ``pattern``, through SQL LIKE."""
    expression = F(lhs) if isinstance(lhs, str) else lhs
    return Q((ILikePattern if insensitive else LikePattern)(expression, pattern.to_like()))
