"""Generated model serializers: ``RocketSerializer`` for ``Rocket``, named after the model.

    serializer_class = site.get_resource("Rocket").serializer_class
    RocketSerializer(rocket).data  # {"id": 1, "code": "SAT-V", ...}

Forward to-one relations read and write as the related pk, to-many relations (forward, and reverse ones
listed in ``fields``) as a list of pks that replaces the set on write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from cruddy_django.drf.bulk import UNIQUE_BY_DATABASE, BulkListSerializer, ResourceRelatedField
from cruddy_django.orm.computed import computed_serializer_fields

if TYPE_CHECKING:
    from cruddy_django.registry.sites import Resource


class ResourceSerializer(serializers.ModelSerializer):
    """Base class of every generated serializer; subclass it for a custom ``serializer_class``."""

    serializer_related_field = ResourceRelatedField
    resource: Resource | None = None

    # -- field rules: unreadable fields leave the output, unwritable ones are refused -------------------
    @property
    def _rules(self) -> Mapping[str, Mapping[str, Any]]:
        return self.resource.options.field_rules if self.resource is not None else {}

    @property
    def _row(self) -> Any:
        """The row being written, or None on create (and for a list of rows)."""
        instance = getattr(self, "instance", None)
        return None if isinstance(instance, list | tuple) or hasattr(instance, "model") else instance

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        for name, rule in self._rules.items():
            field = fields.get(name)
            if field is not None and "write" in rule and not field.read_only and \
                    not self.resource.can_write_field(name, request, self._row):
                field.required = False  # the model's default applies; sending it is refused below
        return fields

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if self._rules:
            request = self.context.get("request")
            for name in self._rules:
                if name in data and not self.resource.can_read_field(name, request, instance):
                    del data[name]  # absent, not null: null would claim a value
        return data

    def to_internal_value(self, data: Any) -> Any:
        if self.resource is not None and isinstance(data, Mapping):
            from cruddy_django.http.relations import refuse_protected_relationships

            refuse_protected_relationships(self.resource.options, data, creating=self.instance is None)
            request = self.context.get("request")
            refused = {name: ["You may not set this field."] for name, rule in self._rules.items()
                       if name in data and "write" in rule
                       and not self.resource.can_write_field(name, request, self._row)}
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def get_validators(self) -> list[Any]:
        validators = super().get_validators()
        settled = set(self.context.get(UNIQUE_BY_DATABASE, ()))
        if not settled:
            return validators
        return [validator for validator in validators
                if not (isinstance(validator, UniqueTogetherValidator) and set(validator.fields) == settled)]

    def run_validators(self, value: Any) -> None:
        # DRF gathers read-only defaults for the serializer's validators before running them; with no
        # validators (no unique_together) that work is wasted once per item of a bulk write.
        if self.validators:
            super().run_validators(value)


def serializer_field_names(resource: Resource) -> list[str]:
    """``id`` first (the pk under a stable name), then the exposed fields in model order. A natural
    primary key (``code``) also keeps its own name, so clients can set it on create."""
    options = resource.options
    return ["id", *(name for name in options.exposed_fields if name != "id")]


def build_serializer_class(resource: Resource) -> type[ResourceSerializer]:
    options = resource.options
    graph = options.graph
    attrs: dict[str, Any] = {"__module__": resource.model.__module__, "resource": resource}
    if graph.pk_name != "id":  # a natural key: also shown as `id`, typed like the key for the schema
        pk_field = graph.fields[graph.pk_name].model_field
        attrs["id"] = serializers.ModelField(model_field=pk_field, read_only=True)

    extra_kwargs: dict[str, dict[str, Any]] = {}
    for name, info in options.exposed_fields.items():
        if info.relation and info.relation.reverse:
            # Writable to-many: a list of pks that replaces the set.
            if info.relation.to_many and name not in options.read_only_fields:
                attrs[name] = ResourceRelatedField(
                    many=True, required=False, queryset=info.relation.related_model._default_manager.all()
                )
            else:
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
            "list_serializer_class": BulkListSerializer,
        },
    )
    attrs.update(computed_serializer_fields(resource))  # read-only, after the model's fields
    meta.fields = [*meta.fields, *(name for name in options.computed if name not in meta.fields)]
    attrs["Meta"] = meta
    return type(f"{resource.model.__name__}Serializer", (ResourceSerializer,), attrs)
