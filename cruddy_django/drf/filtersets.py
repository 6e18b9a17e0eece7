"""Generated django-filter ``FilterSet`` classes: ``RocketFilterSet`` for ``Rocket``.

    GET /api/assets/rockets/?code__icontains=ari&name=Ariane%205
    filterset_class_for(site.get_resource("Rocket"))  # also resource.filterset_class

The lookups a field offers come from the field-kind table (``cruddy_django.introspection.kinds``), so they are
those of the other dialects. The class is the same for every request; the filter backend checks each
parameter against the request's access object before django-filter applies it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db import models
from rest_framework.exceptions import ValidationError

from cruddy_django.introspection.kinds import kind_of
from cruddy_django.orm.generic import content_type_id, resource_of_type

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo, GenericKey
    from cruddy_django.registry import Resource

__all__ = ["ResourceFilterSet", "build_filterset_class", "filterset_class_for", "filterset_fields", "generic_filters",
           "lookups_for"]


def lookups_for(info: FieldInfo) -> list[str]:
    """The django-filter lookups of a column or a forward to-one relation; none for to-many relations."""
    if info.relation and (info.relation.reverse or info.relation.to_many):
        return []
    kind = kind_of(info)
    return kind.lookups if kind is not None else []


class ResourceFilterSet(django_filters.FilterSet):
    """Base class of every generated filterset; name a subclass as the ``filterset_base_class`` of a site or
    resource."""

    @classmethod
    def filter_for_lookup(cls, field: Any, lookup_type: str) -> Any:
        """A ``GeneratedField`` filters as the column it generates (django-filter knows only the latter); an IP
        address compared as a whole must be one (PostgreSQL compares addresses, not text)."""
        if isinstance(field, models.GeneratedField):
            field = field.output_field
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if isinstance(field, models.GenericIPAddressField) and lookup_type in ADDRESS_LOOKUPS:
            filter_class = {"in": AddressInFilter, "range": AddressRangeFilter}.get(lookup_type, AddressFilter)
        return filter_class, params


class AddressFilter(django_filters.CharFilter):
    field_class = forms.GenericIPAddressField


class AddressInFilter(django_filters.BaseInFilter, AddressFilter):
    pass


class AddressRangeFilter(django_filters.BaseRangeFilter, AddressFilter):
    pass


# django-filter lookups that compare an address column with whole addresses.
ADDRESS_LOOKUPS = frozenset({"exact", "gt", "gte", "lt", "lte", "in", "range"})


def filterset_fields(resource: Resource) -> dict[str, list[str]]:
    """Every exposed field with the lookups of its kind, and one hop further along to-one relations into
    resources of the same site (``crew__name``, a reverse one-to-one's ``cover__colour``), as django-filter
    users expect."""
    fields: dict[str, list[str]] = {}
    for name, info in {**resource.options.exposed_fields, **resource.reverse_relations}.items():
        lookups = lookups_for(info)
        if lookups:
            fields[name] = lookups
        related = resource.related_resource(info)
        if related is None or info.relation is None or info.relation.to_many or info.query_name != name:
            continue
        for related_name, related_info in related.options.exposed_fields.items():
            related_lookups = lookups_for(related_info)
            if related_lookups and not related_info.relation:
                fields[f"{name}__{related_name}"] = related_lookups
    return fields


class _TypeInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class _IdInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


def generic_filters(resource: Resource) -> dict[str, django_filters.Filter]:
    """``target__type``, ``target__type__in``, ``target__id`` and ``target__id__in`` for each exposed generic
    foreign key: the resource of the referenced row (by name) and its primary key. Their ``field_name`` is the
    API's path (``target__type``), which the filter backend checks like any other."""
    filters: dict[str, django_filters.Filter] = {}
    for name, info in resource.options.exposed_fields.items():
        key = info.generic
        if key is None:
            continue
        for part, single, many in (("type", django_filters.CharFilter, _TypeInFilter),
                                   ("id", django_filters.NumberFilter, _IdInFilter)):
            for parameter, filter_class in ((f"{name}__{part}", single), (f"{name}__{part}__in", many)):
                filters[parameter] = filter_class(field_name=f"{name}__{part}",
                                                  method=_generic_filter(resource, key, part, parameter))
    return filters


def _generic_filter(resource: Resource, key: GenericKey, part: str, parameter: str) -> Any:
    def filter_generic(queryset: Any, name: str, value: Any) -> Any:
        values = value if isinstance(value, list) else [value]
        if part == "id":
            return queryset.filter(**{f"{key.object_id}__in": values})
        try:
            content_types = [content_type_id(key, resource_of_type(resource.site, item)) for item in values]
        except LookupError as error:
            raise ValidationError({parameter: [str(error)]}) from None
        return queryset.filter(**{f"{key.content_type}__in": content_types})

    return filter_generic


def build_filterset_class(resource: Resource) -> type[django_filters.FilterSet]:
    base = resource.configured_class("filterset_base_class", ResourceFilterSet)
    meta = type("Meta", (), {"model": resource.model, "fields": filterset_fields(resource)})
    attrs: dict[str, Any] = {"Meta": meta, "__module__": resource.model.__module__, **generic_filters(resource)}
    return type(f"{resource.model.__name__}FilterSet", (base,), attrs)


def filterset_class_for(resource: Resource) -> type[django_filters.FilterSet]:
    """The resource's FilterSet: its ``filterset_class`` option, else the generated one (cached on the site)."""
    override = resource.configured_class("filterset_class", None, from_site=False)
    if override is not None:
        return override
    return resource.site.cache.get("filterset", resource, lambda: build_filterset_class(resource),
                                   reads_settings=False)
