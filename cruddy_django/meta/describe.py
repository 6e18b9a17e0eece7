"""The admin-style description of a resource behind ``_meta``, ``OPTIONS`` and the overview page.

    description = describe_resource(site.get_resource("Crew"))   # cached on the site: the same for everyone
    mine = user_view(description, access, rights=..., routes=...)  # + rights, minus the fields I cannot read
    mine["fields"][1]  # {"name": "code", "type": "string", "max_length": 10, "unique": True, ...}

The static part is a pure function of the introspection and the options, cached per resource on its site;
only the field list (from the access object), the rights (evaluated by the HTTP layer, which knows the
viewsets) and absolute URLs are per request. Field types and formats come from the field-kind table,
constraints from the tables of ``meta.types``.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django.core.exceptions import FieldError
from rest_framework import serializers

from cruddy_django.conf import cruddy_settings
from cruddy_django.drf.routes import KeyField, parameter_serializer
from cruddy_django.drf.serializers import ResourceSerializer, serializer_class_for
from cruddy_django.introspection import FieldInfo, model_label, verbose_names
from cruddy_django.introspection.kinds import IDENTITY, ORDERED, kind_of
from cruddy_django.meta.types import (
    CHOICE_TYPES,
    PARAMETER_TYPES,
    constraints,
    field_format,
    json_default,
    to_json,
    type_label,
)
from cruddy_django.orm.operators import field_kind, query_kind
from cruddy_django.registry.routes import RouteSpec, model_routes, return_model

if TYPE_CHECKING:
    from cruddy_django.access import Access
    from cruddy_django.registry import Resource

# Records carry the primary key as `id`, and sort keys accept it: show the default order that way.
PK_ALIASES = {"pk": "id", "-pk": "-id"}
# Operators that the site may switch off: setting name -> operators it gates.
GATED_OPERATORS = {"ALLOW_REGEX": frozenset({"regex"})}

__all__ = ["describe_resource", "json_default", "to_json", "type_label", "user_view"]


# -- fields ------------------------------------------------------------------------------------------------
def _relation_keys(resource: Resource, info: FieldInfo) -> dict[str, Any]:
    related = resource.related_resource(info)
    relation = info.link
    return {
        "target": related.options.url_prefix if related else None,
        "target_model": model_label(relation.related_model),
        # relative to the API root until user_view makes it absolute for the request
        "url": f"{related.options.url_prefix}/" if related else None,
        "cardinality": relation.cardinality,
        "reverse": relation.reverse,
        "remote_name": relation.remote_name,
    }


def describe_field(resource: Resource, info: FieldInfo, name: str | None = None,
                   serializer_field: Any = None) -> dict[str, Any]:
    """One field, for every request: type, constraints, relation, filtering and sorting."""
    name = name or info.name
    relation = info.relation
    read_only = serializer_field is None or bool(serializer_field.read_only)
    kind = field_kind(info)
    generic = kind_of(info) if info.generic else None  # a reference to a row of any resource
    description: dict[str, Any] = {
        "name": name,
        "type": "relation" if relation else generic.label if generic else type_label(info.model_field),
        "format": None if relation else generic.format if generic else field_format(info.model_field),
        "verbose_name": info.verbose_name,
        "help_text": info.help_text,
        "required": bool(serializer_field is not None and serializer_field.required and not read_only),
        "read_only": read_only,
        "nullable": bool(info.null and not (relation and relation.to_many)),
        "default": json_default(info.default),
        "has_default": info.has_default,
        "primary_key": info.primary_key,
        "unique": info.unique,
        "max_length": info.max_length,
        **constraints(info),
        "choices": [{"value": to_json(value), "label": label} for value, label in info.choices] or None,
        "operators": list(kind[1]) if kind else [],
        "sortable": not (relation and relation.to_many) and not generic,
        "computed": False,
    }
    if relation:
        description.update(_relation_keys(resource, info))
    if generic:  # filtered through its parts: `target.type` names a resource, `target.id` its row's pk
        description["parts"] = {"type": list(IDENTITY), "id": list(ORDERED)}
    return description


def computed_output_field(resource: Resource, name: str, expression: Any) -> Any:
    """The model field a computed expression yields, resolving it against the model when it must."""
    try:
        return expression.output_field
    except (AttributeError, FieldError):
        pass
    try:  # building the query resolves the expression's types; nothing runs on the database
        query = resource.model._default_manager.annotate(**{name: expression}).query
        return query.annotations[name].output_field
    except (AttributeError, FieldError, ValueError, TypeError):
        return None


def describe_computed(resource: Resource, name: str, expression: Any) -> dict[str, Any]:
    output_field = computed_output_field(resource, name, expression)
    # as the query compiler does: an expression of an unknown kind compares like a number
    kind = (query_kind(output_field) if output_field is not None else None) or ("number", ORDERED)
    return {
        "name": name, "type": type_label(output_field) if output_field is not None else "unknown",
        "format": None, "verbose_name": name.replace("_", " "), "help_text": "", "required": False,
        "read_only": True, "nullable": True, "default": None, "has_default": False, "primary_key": False,
        "unique": False, "max_length": None, "min": None, "max": None, "choices": None,
        "operators": list(kind[1]), "sortable": True, "computed": True,
    }


# -- routes ------------------------------------------------------------------------------------------------
def describe_parameter(resource: Resource, name: str, field: Any,
                       default: Any = inspect.Parameter.empty) -> dict[str, Any]:
    description: dict[str, Any] = {
        "name": name, "type": PARAMETER_TYPES.get(field, "json"),
        "required": bool(field.required), "nullable": bool(field.allow_null),
        "default": None if default is inspect.Parameter.empty else json_default(default),
    }
    if isinstance(field, serializers.ChoiceField):
        values = list(field.choices)
        description["type"] = CHOICE_TYPES.get(type(values[0]), "string") if values else "string"
        description["choices"] = [{"value": to_json(value), "label": str(label)}
                                  for value, label in field.choices.items()]
    if isinstance(field, KeyField):
        related = resource.site.resource_for(field.model)
        description.update(target=related.options.url_prefix if related else None,
                           target_model=model_label(field.model), cardinality="to_one")
    if isinstance(field, serializers.ListField):
        description["items"] = describe_parameter(resource, "items", field.child)
        description["items"].pop("name")
    return description


def describe_route(resource: Resource, spec: RouteSpec) -> dict[str, Any]:
    parameters = parameter_serializer(spec, resource)().fields
    signature = inspect.signature(spec.function).parameters
    returned = return_model(spec, resource.model)
    returned_resource = resource.site.resource_for(returned) if returned else None
    return {
        "name": spec.name,
        "url_path": spec.url_path,
        "methods": [method.upper() for method in spec.methods],
        "detail": spec.detail,
        "description": spec.description,
        "parameters": [describe_parameter(resource, name, field, signature[name].default)
                       for name, field in parameters.items()],
        "returns": returned_resource.options.url_prefix if returned_resource else None,
    }


# -- resources ---------------------------------------------------------------------------------------------
def _serializer_fields(resource: Resource) -> Mapping[str, Any]:
    """The fields a write accepts, before field rules: those depend on the request (``user_view``)."""
    serializer = serializer_class_for(resource)(context={})
    if isinstance(serializer, ResourceSerializer):  # skip its per-request field rules
        return serializers.ModelSerializer.get_fields(serializer)
    return serializer.fields


def _static_description(resource: Resource) -> dict[str, Any]:
    options = resource.options
    graph = options.graph
    serializer_fields = _serializer_fields(resource)
    fields = []
    if "id" not in options.exposed_fields:  # records always carry the pk as `id`
        fields.append(describe_field(resource, graph.fields[graph.pk_name], "id", serializer_fields.get("id")))
    fields += [describe_field(resource, info, name, serializer_fields.get(name))
               for name, info in options.exposed_fields.items()]
    fields += [describe_computed(resource, name, expression) for name, expression in options.computed.items()]
    verbose_name, verbose_name_plural = verbose_names(resource.model)
    return {
        "name": options.path,
        "model": graph.label,
        "verbose_name": verbose_name,
        "verbose_name_plural": verbose_name_plural,
        "description": resource.description,
        "url": f"{options.url_prefix}/",
        "namespace": options.namespace,
        "primary_key": graph.pk_name,
        "ordering": [PK_ALIASES.get(term, term) for term in options.ordering],
        "upsert_keys": list(options.effective_upsert_keys),
        "unique_together": [list(group) for group in graph.unique_together],
        "search_fields": list(options.search_fields),
        "selections": sorted(options.selections),
        "disabled": sorted(options.disable),
        "routes": [describe_route(resource, spec) for spec in model_routes(resource.model)],
        "fields": fields,
    }


def describe_resource(resource: Resource) -> dict[str, Any]:
    """The static description of a resource, cached on its site until the registry changes (relation
    targets depend on which models are registered). Treat the result as read-only: it is shared."""
    return resource.site.cache.get("description", resource, lambda: _static_description(resource))


# -- the per-request view ------------------------------------------------------------------------------------
def _absolute(base: str | None, url: str | None) -> str | None:
    return urljoin(base, url) if base and url is not None else url


def _readable_name(name: str, readable: set[str]) -> bool:
    return name.lstrip("-+").split("__")[0] in readable | {"pk"}


def user_view(description: Mapping[str, Any], access: Access, *, rights: Mapping[str, bool],
              routes: Mapping[str, bool], obj: Any = None, api_root: str | None = None) -> dict[str, Any]:
    """The description as the access object's request sees it (for ``obj``, or for any row): unreadable
    fields dropped, field rights evaluated, the resource's ``rights`` and the ``routes`` it may execute
    (both evaluated by the caller, which knows the views) added, URLs absolute under ``api_root``."""
    stored = obj is not None and obj.pk is not None and not obj._state.adding
    # a field can be changed only through a write the user may make: an update of a stored row, else a create
    may_write = rights["update"] if stored else rights["create"] or (obj is None and rights["update"])
    readable = access.readable_on(obj)
    per_row = access.per_row if obj is None else frozenset()  # shown on some rows, never queried
    pk_name = access.options.graph.pk_name
    gated = frozenset().union(*(operators for setting, operators in GATED_OPERATORS.items()
                                if not getattr(cruddy_settings, setting)))
    visible = []
    for field in description["fields"]:
        name = field["name"]
        if not (name in readable or name in per_row or (name == "id" and pk_name in readable) or (
                field["computed"] and access.can_read(name, obj))):
            continue
        # as the serializer does: a field its write rule refuses is not required (the default applies)
        rule_allows = not field["read_only"] and access.can_write(name, obj)
        entry = {**field, "required": field["required"] and rule_allows,
                 "operators": [operator for operator in field["operators"] if operator not in gated],
                 "rights": {"read": True, "modify": rule_allows and may_write}}
        if "url" in field:
            entry["url"] = _absolute(api_root, field["url"])
        if name in per_row:
            entry.update(per_row=True, operators=[], sortable=False)
        visible.append(entry)
    names = {field["name"] for field in visible}
    return {
        **description,
        "url": _absolute(api_root, description["url"]),
        "ordering": [name for name in description["ordering"] if _readable_name(name, names)],
        "upsert_keys": [name for name in description["upsert_keys"] if name in names],
        "unique_together": [group for group in description["unique_together"] if set(group) <= names],
        "search_fields": [name for name in description["search_fields"] if _readable_name(name, names)],
        "rights": dict(rights),
        "routes": [{**route, "rights": {"execute": routes[route["name"]]}} for route in description["routes"]],
        "fields": visible,
    }
