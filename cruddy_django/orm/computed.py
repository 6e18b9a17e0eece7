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

from django.db import models
from django.db.models import Expression, OuterRef, QuerySet, Subquery
from rest_framework import serializers

if TYPE_CHECKING:
    from cruddy_django.registry.sites import Resource

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


class ComputedField(serializers.ReadOnlyField):
    """A computed field in a DRF serializer: the annotation when the row was read with it, otherwise
    (a row just created or updated) one query for this row's value."""

    def __init__(self, resource: Resource, name: str, **kwargs: Any) -> None:
        self.resource = resource
        self.computed_name = name
        kwargs.setdefault("help_text", "Computed by the database; read-only.")
        super().__init__(**kwargs)
        # drf-spectacular reads this (as @extend_schema_field would set it) to type the field.
        self._spectacular_annotation = {"field": openapi_type(resource, name), "field_component_name": None}

    def get_attribute(self, instance: Any) -> Any:
        name = self.computed_name
        if name not in vars(instance):
            self._compute_for(self._peers(instance), name)
        return vars(instance).get(name)

    def _peers(self, instance: Any) -> list[Any]:
        """The rows serialized together with ``instance`` (a write's list of rows), to answer them all
        with one query instead of one per row."""
        rows = getattr(self.root, "instance", None)
        if isinstance(rows, list | tuple) and any(row is instance for row in rows):
            return [row for row in rows if isinstance(row, type(instance))]
        return [instance]

    def _compute_for(self, rows: list[Any], name: str) -> None:
        missing = [row for row in rows if name not in vars(row)]
        pks = [row.pk for row in missing if row.pk is not None]
        values: dict[Any, Any] = {}
        for start in range(0, len(pks), 500):  # under SQLite's bound on query parameters
            queryset = self.resource.model._default_manager.filter(pk__in=pks[start : start + 500])
            values.update(annotate_computed(self.resource, queryset, [name]).values_list("pk", name))
        for row in missing:
            setattr(row, name, values.get(row.pk))


def computed_serializer_fields(resource: Resource) -> dict[str, serializers.Field]:
    """The declared serializer fields for a resource's computed fields."""
    return {name: ComputedField(resource, name) for name in resource.options.computed}


# Model field class of the expression's result -> OpenAPI type name, searched along the MRO.
OPENAPI_TYPES: dict[type, str] = {
    models.BooleanField: "bool",
    models.IntegerField: "int",
    models.FloatField: "double",
    models.DecimalField: "decimal",
    models.DateTimeField: "datetime",
    models.DateField: "date",
    models.DurationField: "str",
    models.CharField: "str",
    models.TextField: "str",
    models.JSONField: "any",
}


def openapi_type(resource: Resource, name: str) -> Any:
    from drf_spectacular.types import OpenApiTypes

    output_field = expression_output_field(resource, name)
    for klass in type(output_field).__mro__:
        if klass in OPENAPI_TYPES:
            return getattr(OpenApiTypes, OPENAPI_TYPES[klass].upper())
    return OpenApiTypes.ANY


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

