"""Serializer fields that the generated serializers use: related pks checked against the target's scope, and
computed values.

    ResourceRelatedField(queryset=Astronaut.objects.all(), target=astronauts)   # a pk the request may see
    ComputedField(rockets, "price")                                              # the database's value

A related pk is valid only when it names a row the request may see on the target resource of the same site;
the access object (``cruddy_django.access``) says which rows those are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.fields import get_attribute
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from cruddy_django.access import access_for
from cruddy_django.introspection.kinds import kind_of_model_field
from cruddy_django.orm.batches import chunks
from cruddy_django.orm.computed import annotate_computed, expression_output_field

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["ComputedField", "ResourceManyRelatedField", "ResourceRelatedField", "computed_serializer_fields",
           "openapi_type"]


class ResourceRelatedField(serializers.PrimaryKeyRelatedField):
    """A pk that must name a row the request may see (the scope of ``target``, the related resource on the
    serializer's site), answered from the batch cache of a bulk write when there is one."""

    _batch_cache: dict[str, Any] | None = None

    def __init__(self, *, target: Resource | None = None, **kwargs: Any) -> None:
        self.target = target
        if target is None:  # a model off the API: its rows are never listed, a form asks for a pk
            kwargs["style"] = {"base_template": "input.html", **kwargs.get("style", {})}
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> ResourceManyRelatedField:
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        if kwargs.get("target") is None:
            list_kwargs["style"] = {"base_template": "input.html", **kwargs.get("style", {})}
        return ResourceManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)

    def get_choices(self, cutoff: int | None = None) -> Any:
        """The rows a form offers: those of ``target`` in the request's scope; none for a model off the API."""
        if self.target is None:
            return {}
        return super().get_choices(cutoff)

    def get_queryset(self) -> Any:
        return self.scope(super().get_queryset())

    def scope(self, queryset: Any) -> Any:
        """``queryset`` narrowed to the rows of ``target`` the request may see."""
        request = self.context.get("request")
        if request is None or queryset is None or self.target is None:
            return queryset
        return access_for(request, self.target).scope(queryset)

    def to_internal_value(self, data: Any) -> Any:
        cache = self._batch_cache
        if cache is not None and isinstance(data, str | int) and not isinstance(data, bool):
            found = cache.get(str(data))
            if found is not None:
                return found
        return super().to_internal_value(data)


class ResourceManyRelatedField(ManyRelatedField):
    """A to-many relation as a list of pks: only the members the request may see are shown. Members
    prefetched by a read plan are shown as fetched (the plan scoped them); others are read within the target's
    scope."""

    child_relation: ResourceRelatedField

    def get_attribute(self, instance: Any) -> Any:
        if getattr(instance, "pk", 0) is None:
            return []
        relationship = get_attribute(instance, self.source_attrs)
        if not hasattr(relationship, "all"):
            return relationship
        members = relationship.all()
        if getattr(members, "_result_cache", None) is not None:  # prefetched
            return members
        return self.child_relation.scope(members)


class ComputedField(serializers.ReadOnlyField):
    """A computed field in a DRF serializer: the annotation when the row was read with it, otherwise
    (a row just created or updated) one query for the values of all the rows serialized together."""

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
        for part in chunks(pks):
            queryset = self.resource.model._default_manager.filter(pk__in=part)
            values.update(annotate_computed(self.resource, queryset, [name]).values_list("pk", name))
        for row in missing:
            setattr(row, name, values.get(row.pk))


def computed_serializer_fields(resource: Resource) -> dict[str, serializers.Field]:
    """The declared serializer fields for a resource's computed fields."""
    return {name: ComputedField(resource, name) for name in resource.options.computed}


def openapi_type(resource: Resource, name: str) -> Any:
    """The OpenAPI type of a computed field, from the kind of its expression's output field."""
    kind = kind_of_model_field(expression_output_field(resource, name))
    return getattr(OpenApiTypes, kind.openapi) if kind is not None else OpenApiTypes.ANY
