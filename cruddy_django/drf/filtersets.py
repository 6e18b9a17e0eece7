"""Generated django-filter ``FilterSet`` classes: ``RocketFilterSet`` for ``Rocket``.

    GET /api/assets/rockets/?code__icontains=ari&name=Ariane%205
    site.get_resource("Rocket").filterset_class  # the browsable API's filter form, the OpenAPI parameters

Which lookups a field offers is a table keyed by model field class, searched along the field's MRO.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django.db import models

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry.sites import Resource

TEXT_LOOKUPS = ["exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith",
                "iendswith", "in", "isnull"]
ORDERED_LOOKUPS = ["exact", "gt", "gte", "lt", "lte", "in", "range", "isnull"]
IDENTITY_LOOKUPS = ["exact", "in", "isnull"]

# Model field class -> the django-filter lookups it offers. Searched along the field class's MRO, so a
# subclass of CharField gets the text lookups; a class found nowhere gets no filters.
LOOKUPS_BY_FIELD_CLASS: dict[type[models.Field], list[str]] = {
    models.CharField: TEXT_LOOKUPS,
    models.TextField: TEXT_LOOKUPS,
    models.IntegerField: ORDERED_LOOKUPS,
    models.FloatField: ORDERED_LOOKUPS,
    models.DecimalField: ORDERED_LOOKUPS,
    models.DateField: ORDERED_LOOKUPS,
    models.DateTimeField: ORDERED_LOOKUPS,
    models.TimeField: ORDERED_LOOKUPS,
    models.DurationField: ORDERED_LOOKUPS,
    models.AutoField: ORDERED_LOOKUPS,
    models.BigAutoField: ORDERED_LOOKUPS,
    models.SmallAutoField: ORDERED_LOOKUPS,
    models.BooleanField: ["exact", "isnull"],
    models.UUIDField: IDENTITY_LOOKUPS,
    models.GenericIPAddressField: IDENTITY_LOOKUPS,
    models.ForeignKey: IDENTITY_LOOKUPS,
    models.OneToOneField: IDENTITY_LOOKUPS,
}


def lookups_for(info: FieldInfo) -> list[str]:
    if info.relation and (info.relation.reverse or info.relation.to_many):
        return []
    for klass in type(info.model_field).__mro__:
        if klass in LOOKUPS_BY_FIELD_CLASS:
            return list(LOOKUPS_BY_FIELD_CLASS[klass])
    return []


class ResourceFilterSet(django_filters.FilterSet):
    """Base class of every generated filterset."""


def filterset_fields(resource: Resource) -> dict[str, list[str]]:
    """Every exposed field with the lookups of its type, and one hop further along forward to-one relations
    into registered resources (``crew__name``), as django-filter users expect."""
    fields: dict[str, list[str]] = {}
    for name, info in resource.options.exposed_fields.items():
        lookups = lookups_for(info)
        if lookups:
            fields[name] = lookups
        related = resource.related_resource(info)
        if related is None or info.relation.to_many or info.relation.reverse:
            continue
        for related_name, related_info in related.options.exposed_fields.items():
            related_lookups = lookups_for(related_info)
            if related_lookups and not related_info.relation:
                fields[f"{name}__{related_name}"] = related_lookups
    return fields


def build_filterset_class(resource: Resource) -> type[ResourceFilterSet]:
    meta = type("Meta", (), {"model": resource.model, "fields": filterset_fields(resource)})
    return type(
        f"{resource.model.__name__}FilterSet",
        (ResourceFilterSet,),
        {"Meta": meta, "__module__": resource.model.__module__},
    )
