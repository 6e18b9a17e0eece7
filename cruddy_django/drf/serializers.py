"""Generated model serializers: ``RocketSerializer`` for ``Rocket``, named after the model.

    serializer_class = serializer_class_for(site.get_resource("Rocket"))   # also resource.serializer_class
    RocketSerializer(rocket, context={"request": request}).data          # {"id": 1, "code": "SAT-V", ...}

Forward to-one relations read and write as the related pk, to-many relations (forward, and reverse ones
listed in ``fields``) as a list of pks that replaces the set on write. Field rules come from the access
object of the request: an unreadable field is absent from the output, an unwritable one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator

from cruddy_django.access import Access, access_for
from cruddy_django.drf.bulk import UNIQUE_BY_DATABASE, BulkListSerializer
from cruddy_django.drf.describing import is_describing
from cruddy_django.drf.fields import ResourceRelatedField, computed_serializer_fields
from cruddy_django.drf.generic import GenericReferenceField
from cruddy_django.drf.postgres import RangeSerializerField, serializer_field_mapping
from cruddy_django.introspection import many_to_many_link

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["PROTECTED_MESSAGE", "ResourceSerializer", "build_serializer_class", "has_custom_save",
           "refuse_protected_relationships", "serializer_class_for", "through_refusal"]

PROTECTED_MESSAGE = "This relationship cannot be set through this API."


def refuse_protected_relationships(resource: Resource, data: Mapping[str, Any], *, creating: bool) -> None:
    """A write that names a protected relationship is a 400, never silently ignored."""
    refused = sorted(name for name in resource.options.protected_names(creating=creating) if name in data)
    if refused:
        action = "created" if creating else "updated"
        message = f"{PROTECTED_MESSAGE} (not when a row is {action})"
        raise serializers.ValidationError({name: [message] for name in refused})


def through_refusal(resource: Resource, name: str) -> str | None:
    """Why the many-to-many ``name`` cannot be written as a list of pks: its ``through`` model has columns
    without a default, so its rows must be written themselves (the message names where); None when it can."""
    info = resource.options.graph.fields.get(name)
    link = many_to_many_link(info) if info is not None else None
    if info is None or link is None or not link.required:
        return None
    columns = ", ".join(f"'{column}'" for column in link.required)
    rows = next((other for other in resource.options.graph.reverse_fields
                 if other.link.related_model is link.through and other.link.to_many), None)
    where = (f"write its rows as '{rows.name}' in the body, or on /{resource.options.url_prefix}/<pk>/{rows.name}/"
             if rows is not None and resource.related_resource(rows) is not None else "write its rows on their own")
    verb = "has" if len(link.required) == 1 else "have"
    return f"'{name}' links through {link.through.__name__}, whose {columns} {verb} no default: {where}."


class ResourceSerializer(serializers.ModelSerializer):
    """Base class of every generated serializer; subclass it for a custom ``serializer_class``, or name a
    subclass as the ``serializer_base_class`` of a site or resource."""

    serializer_related_field = ResourceRelatedField
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, **serializer_field_mapping()}
    resource: Resource | None = None

    @property
    def access(self) -> Access | None:
        """The request's access object on this serializer's resource: the generated class's, or for a
        user's subclass serving a resource's view, the view's (None outside a resource)."""
        resource = self.resource
        if resource is None:
            candidate = getattr(self.context.get("view"), "resource", None)
            if candidate is not None and candidate.model is getattr(getattr(self, "Meta", None), "model", None):
                resource = candidate
        return None if resource is None else access_for(self.context.get("request"), resource)

    @property
    def _row(self) -> Any:
        """The row being written, or None on create (and for a list of rows)."""
        instance = getattr(self, "instance", None)
        return None if isinstance(instance, list | tuple) or hasattr(instance, "model") else instance

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict[str, Any]]:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if issubclass(field_class, RangeSerializerField):  # it reads the range type off the model field
            field_kwargs["model_field"] = model_field
        return field_class, field_kwargs

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple[type, dict[str, Any]]:
        """Related pks are checked against the related resource of this serializer's site. A many-to-many
        through a model is written like any other (its join rows get the model's defaults; see
        ``through_refusal`` for one whose columns have none), where DRF would make it read-only."""
        field_class, field_kwargs = super().build_relational_field(field_name, relation_info)
        model_field = relation_info.model_field
        if relation_info.has_through_model and model_field is not None and model_field.editable:
            field_kwargs.pop("read_only", None)
            field_kwargs.update(queryset=relation_info.related_model._default_manager.all(), required=False)
        if self.resource is not None and issubclass(field_class, ResourceRelatedField):
            field_kwargs["target"] = self.resource.site.resource_for(relation_info.related_model)
        return field_class, field_kwargs

    # -- field rules: unreadable fields leave the output, unwritable ones are refused -------------------
    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        access = self.access
        if access is None:
            return fields
        if is_describing(self.context):  # a schema or a form: what the request may neither read nor write
            for name in access.options.field_rules:
                if name in fields and not access.can_read(name) and not access.can_write(name, self._row):
                    del fields[name]
        if not access.has_rules("write"):
            return fields
        for name, rule in access.options.field_rules.items():
            field = fields.get(name)
            if field is not None and "write" in rule and not field.read_only and \
                    not access.can_write(name, self._row):
                field.required = False  # the model's default applies; sending it is refused below
        return fields

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        access = self.access
        if access is not None and access.has_rules("read"):
            for name in access.options.field_rules:
                if name in data and not access.can_read(name, instance):
                    del data[name]  # absent, not null: null would claim a value
        return data

    def to_internal_value(self, data: Any) -> Any:
        access = self.access
        if access is not None and isinstance(data, Mapping):
            refuse_protected_relationships(access.resource, data, creating=self.instance is None)
            refused_through = {name: [message] for name in data if name in access.options.exposed_fields
                               and (message := through_refusal(access.resource, name))}
            if refused_through:
                raise serializers.ValidationError(refused_through)
            refused = {name: ["You may not set this field."] for name, rule in access.options.field_rules.items()
                       if name in data and "write" in rule and not access.can_write(name, self._row)}
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
    return ["id", *(name for name in resource.options.exposed_fields if name != "id")]


def build_serializer_class(resource: Resource) -> type[serializers.ModelSerializer]:
    options = resource.options
    graph = options.graph
    base = resource.configured_class("serializer_base_class", ResourceSerializer)
    attrs: dict[str, Any] = {"__module__": resource.model.__module__, "resource": resource}
    if graph.pk_name != "id":  # a natural key: also shown as `id`, typed like the key for the schema
        pk_field = graph.fields[graph.pk_name].model_field
        attrs["id"] = serializers.ModelField(model_field=pk_field, read_only=True)

    extra_kwargs: dict[str, dict[str, Any]] = {}
    for name, info in options.exposed_fields.items():
        if info.generic is not None:
            attrs[name] = GenericReferenceField(
                info.generic, resource, read_only=name in options.read_only_fields or not info.editable,
                required=not (info.null or info.blank), allow_null=info.null)
        elif info.relation and info.relation.reverse:
            # Writable to-many: a list of pks that replaces the set.
            if info.relation.to_many and name not in options.read_only_fields:
                attrs[name] = ResourceRelatedField(
                    many=True, required=False, queryset=info.relation.related_model._default_manager.all(),
                    target=resource.related_resource(info),
                )
            else:
                extra_kwargs[name] = {"read_only": True}

    read_only = [name for name in options.read_only_fields if name in options.exposed_fields]
    names = serializer_field_names(resource)
    meta = type("Meta", (), {
        "model": resource.model,
        "fields": [*names, *(name for name in options.computed if name not in names)],
        "read_only_fields": read_only,
        "extra_kwargs": extra_kwargs,
        "list_serializer_class": BulkListSerializer,
    })
    attrs.update(computed_serializer_fields(resource))  # read-only, after the model's fields
    attrs["Meta"] = meta
    return type(f"{resource.model.__name__}Serializer", (base,), attrs)


def has_custom_save(serializer: Any) -> bool:
    """Is ``serializer`` (or a list serializer's child) a user's whose own ``create``/``update`` must run?"""
    child = getattr(serializer, "child", serializer)
    return (type(child).create is not serializers.ModelSerializer.create
            or type(child).update is not serializers.ModelSerializer.update)


def serializer_class_for(resource: Resource) -> type[serializers.Serializer]:
    """The resource's serializer: its ``serializer_class`` option, else the generated one (cached on the
    site until its registry or the settings change)."""
    override = resource.configured_class("serializer_class", None, from_site=False)
    if override is not None:
        return override
    return resource.site.cache.get("serializer", resource, lambda: build_serializer_class(resource),
                                   reads_settings=False)
