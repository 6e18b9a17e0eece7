"""Computed fields: read-only fields whose value the database computes, declared as query expressions.

    class Rocket(ResourceModel):
        class Resource:
            computed = {"price": Sum(F("parts__material__price") * F("parts__quantity"))}
    annotate_computed(site.get_resource(Rocket), Rocket.objects.all(), ["price"]).order_by("-price")

An aggregate is evaluated in a correlated subquery on the row's primary key, so the value stays right
whatever other joins a filter or an expansion adds to the outer query (a join over another to-many
relation would otherwise multiply the sum), and the outer query needs no GROUP BY.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Expression, OuterRef, QuerySet, Subquery

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["annotate_computed", "computed_expression", "expression_output_field"]

VALUE_ALIAS = "cruddy_value"


def computed_expression(resource: Resource, name: str, outer_pk: str = "pk") -> Any:
    """The expression computing ``name`` for the row whose primary key the outer query holds at
    ``outer_pk`` (``pk`` at the root, ``crew__pk`` for an expanded crew of a mission)."""
    expression = resource.options.computed[name]
    model = resource.model
    if outer_pk == "pk" and not _is_aggregate(expression):
        return expression
    inner = model._default_manager.filter(pk=OuterRef(outer_pk)).values("pk")
    inner = inner.annotate(**{VALUE_ALIAS: expression}).values(VALUE_ALIAS).order_by()
    return Subquery(inner[:1])


def _is_aggregate(expression: Any) -> bool:
    return bool(getattr(expression, "contains_aggregate", False))


def annotate_computed(resource: Resource, queryset: QuerySet, names: Iterable[str]) -> QuerySet:
    """Annotate ``queryset`` with the named computed fields under their own names, so that filters,
    sort keys and ``values()`` can use them like columns. Names already annotated are left alone."""
    present = queryset.query.annotations
    wanted = {name: computed_expression(resource, name) for name in names if name not in present}
    return queryset.annotate(**wanted) if wanted else queryset


def expression_output_field(resource: Resource, name: str) -> Any:
    """The model field type a computed expression produces, for schemas and ``_meta``; None if unknown."""
    expression = resource.options.computed[name]
    if not isinstance(expression, Expression):
        return None
    try:
        queryset = annotate_computed(resource, resource.model._default_manager.all(), [name])
        return queryset.query.annotations[name].output_field
    except Exception:  # an expression that cannot resolve its type: the schema says "any"
        return None

