"""Generated django-filter ``FilterSet`` classes: ``RocketFilterSet`` for ``Rocket``.

    GET /api/assets/rockets/?code__icontains=ari&name=Ariane%205
    filterset_class_for(site.get_resource("Rocket"))  # also resource.filterset_class

The lookups a field offers come from the field-kind table (``cruddy_django.introspection.kinds``), so they are
those of the other dialects. The generated class is the same for every request; the filter backend checks each
parameter against the request's access object before django-filter applies it, and ``filterset_for(access)``
narrows it to the filters the request may use (the browsable API's filter form, the OpenAPI parameters). A
relation's choices are the related rows in the request's scope; a relation to a model off the API is filtered
by primary key, never by a list of its rows.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db import models
from rest_framework.exceptions import ValidationError

from cruddy_django.access import access_for
from cruddy_django.introspection import model_graph
from cruddy_django.introspection.kinds import kind_of
from cruddy_django.orm.compiler import QueryCompiler
from cruddy_django.orm.generic import content_type_id, resource_of_type
from cruddy_django.query import PathStep, QueryError

if TYPE_CHECKING:
    from cruddy_django.access import Access
    from cruddy_django.introspection import FieldInfo, GenericKey
    from cruddy_django.registry import Resource

__all__ = ["ResourceFilterSet", "build_filterset_class", "filterset_class_for", "filterset_fields", "filterset_for",
           "generic_filters", "lookups_for", "narrowed_filterset"]


def lookups_for(info: FieldInfo) -> list[str]:
    """The django-filter lookups of a column or a forward to-one relation; none for to-many relations."""
    if info.relation and (info.relation.reverse or info.relation.to_many):
        return []
    kind = kind_of(info)
    if kind is None:
        return []
    if kind.query == "boolean":  # django-filter's list widget cannot read booleans (it splits a bool): 500s
        return [lookup for lookup in kind.lookups if lookup != "in"]
    return kind.lookups


# Integers beyond 64 bits fit no database column (SQLite raises OverflowError on them): refused as invalid.
INTEGER_BOUNDS = {"min_value": -(2**63), "max_value": 2**63 - 1}


class ResourceFilterSet(django_filters.FilterSet):
    """Base class of every generated filterset; name a subclass as the ``filterset_base_class`` of a site or
    resource. The choices of its relation filters are the related rows in the request's scope."""

    #: The resource the class was generated for (None on a project's own subclass).
    resource: Resource | None = None

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: Any = None) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        if self.resource is None:
            return
        site = self.resource.site
        for filter_ in self.filters.values():  # copies of the class's filters: safe to change
            model: type[models.Model] | None = getattr(getattr(filter_, "queryset", None), "model", None)
            target = site.resource_for(model) if model is not None else None
            if model is not None and target is not None:
                scoped = access_for(request, target).scope(model._default_manager.all())
                vars(filter_)["queryset"] = scoped  # a ModelChoiceFilter's choices

    @classmethod
    def filter_for_lookup(cls, field: Any, lookup_type: str) -> Any:
        """A ``GeneratedField`` filters as the column it generates (django-filter knows only the latter); an IP
        address compared as a whole must be one (PostgreSQL compares addresses, not text); an integer beyond
        64 bits fits no column (SQLite raised OverflowError on it) and is refused as invalid."""
        if isinstance(field, models.GeneratedField):
            field = field.output_field
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if isinstance(field, models.GenericIPAddressField) and lookup_type in ADDRESS_LOOKUPS:
            filter_class = {"in": AddressInFilter, "range": AddressRangeFilter}.get(lookup_type, AddressFilter)
        if isinstance(field, models.IntegerField) and issubclass(filter_class, django_filters.NumberFilter):
            params = {**INTEGER_BOUNDS, **params}
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
    attrs: dict[str, Any] = {"Meta": meta, "__module__": resource.model.__module__, "resource": resource,
                             **generic_filters(resource)}
    filterset_class: type[django_filters.FilterSet] = type(f"{resource.model.__name__}FilterSet", (base,), attrs)
    for name, filter_ in list(filterset_class.base_filters.items()):
        info = resource.options.graph.fields.get(filter_.field_name or name)
        if info is not None and info.relation is not None and resource.related_resource(info) is None:
            filterset_class.base_filters[name] = _primary_key_filter(filterset_class, info, filter_)
    return filterset_class


def _primary_key_filter(filterset_class: Any, info: FieldInfo, filter_: Any) -> Any:
    """A relation to a model off the API compares its primary key as a value: no choices listing its rows,
    and no "does it exist?" answer about them."""
    if filter_.lookup_expr == "isnull":
        return filter_
    graph = model_graph(info.link.related_model)
    filter_class, params = filterset_class.filter_for_lookup(graph.fields[graph.pk_name].model_field,
                                                            filter_.lookup_expr)
    return filter_class(field_name=filter_.field_name, lookup_expr=filter_.lookup_expr, **params)


def narrowed_filterset(filterset_class: type[django_filters.FilterSet], names: frozenset[str]
                       ) -> type[django_filters.FilterSet]:
    """A subclass of a FilterSet holding only the named filters. Its ``Meta`` lists no fields: django-filter
    would otherwise build every filter of the model again for the new class."""
    kept = OrderedDict((name, filter_) for name, filter_ in filterset_class.base_filters.items() if name in names)
    meta = type("Meta", (getattr(filterset_class, "Meta", object),), {"fields": []})
    narrowed: type[django_filters.FilterSet] = type(filterset_class.__name__, (filterset_class,),
                                                    {"__module__": filterset_class.__module__, "Meta": meta})
    narrowed.base_filters = kept
    return narrowed


def _readable(compiler: QueryCompiler, field_name: str) -> bool:
    """Does a generated filter's path resolve for the compiler's request, exactly as the filter backend
    resolves the parameter (readable fields, registered relations)?"""
    path = tuple(PathStep(name) for name in field_name.split("__"))
    try:
        compiler.resolve(path, compiler.access, param=field_name, source=field_name, allow_to_many=True,
                         purpose="filtered")
    except QueryError:
        return False
    return True


def filterset_for(access: Access) -> type[django_filters.FilterSet]:
    """The resource's FilterSet for one request: the generated one cut to the filters this request may use
    (its readable fields), or the ``filterset_class`` option as it is."""
    resource = access.resource
    filterset_class = filterset_class_for(resource)
    if resource.configured_class("filterset_class", None, from_site=False) is not None:
        return filterset_class
    # What decides the filters a request may use: the readable fields of the resource and of the resources
    # one to-one hop away (django-filter lookups cross at most one). Most requests share a few of these.
    signature = (tuple(access.readable), tuple(
        (name, tuple(related.readable)) for name, info in access.options.exposed_fields.items()
        if info.relation is not None and not info.relation.to_many
        and (related := access.related(info)) is not None))

    def usable_names() -> frozenset[str]:
        compiler = QueryCompiler(access)
        return frozenset(name for name, filter_ in filterset_class.base_filters.items()
                         if _readable(compiler, filter_.field_name or name))

    names = resource.site.cache.get("usable filters", (filterset_class, signature), usable_names, limit=256)
    if len(names) == len(filterset_class.base_filters):
        return filterset_class
    return resource.site.cache.get("narrowed filterset", (filterset_class, names),
                                   lambda: narrowed_filterset(filterset_class, names), limit=256)


def filterset_class_for(resource: Resource) -> type[django_filters.FilterSet]:
    """The resource's FilterSet: its ``filterset_class`` option, else the generated one (cached on the site)."""
    override = resource.configured_class("filterset_class", None, from_site=False)
    if override is not None:
        return override
    return resource.site.cache.get("filterset", resource, lambda: build_filterset_class(resource),
                                   reads_settings=False)
