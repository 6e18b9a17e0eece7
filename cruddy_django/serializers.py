"""Generated model serializers: ``RocketSerializer`` for ``Rocket``, named after the model.

    serializer_class = site.get_resource("Rocket").serializer_class
    RocketSerializer(rocket).data  # {"id": 1, "code": "SAT-V", ...}

Forward to-one relations read and write as the related pk, forward to-many as a list of pks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

if TYPE_CHECKING:
    from .sites import Resource


class ResourceSerializer(serializers.ModelSerializer):
    """Base class of every generated serializer; subclass it for a custom ``serializer_class``."""

    serializer_related_field = serializers.PrimaryKeyRelatedField


def serializer_field_names(resource: Resource) -> list[str]:
    """``id`` first (the pk under a stable name), then the exposed fields in model order. A natural
    primary key (``code``) also keeps its own name, so clients can set it on create."""
    options = resource.options
    return ["id", *(name for name in options.exposed_fields if name != "id")]


def build_serializer_class(resource: Resource) -> type[ResourceSerializer]:
    options = resource.options
    graph = options.graph
    attrs: dict[str, Any] = {"__module__": resource.model.__module__}
    if graph.pk_name != "id":  # a natural key: also shown as `id`, typed like the key for the schema
        pk_field = graph.fields[graph.pk_name].model_field
        attrs["id"] = serializers.ModelField(model_field=pk_field, read_only=True)

    extra_kwargs: dict[str, dict[str, Any]] = {}
    for name, info in options.exposed_fields.items():
        if info.relation and info.relation.reverse:
            extra_kwargs[name] = {"read_only": True}

    read_only = [name for name in options.read_only_fields if name in options.exposed_fields]
    meta = type(
        "Meta",
        (),
        {
            "model": resource.model,
            "fields": serializer_field_names(resource),
            "read_only_fields": read_only,
            "extra_kwargs": extra_kwargs,
        },
    )
    attrs["Meta"] = meta
    return type(f"{resource.model.__name__}Serializer", (ResourceSerializer,), attrs)
