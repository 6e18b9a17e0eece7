"""The serializer field of a generic foreign key: a reference ``{"type": "<resource>", "id": <pk>}`` read from
its two columns, written by naming a row of a resource of the same site that the request may see.

    GenericReferenceField(model_graph(Comment).fields["target"].generic, resource=comments)
    # reads {"type": "zoo/publications", "id": 3}; writes the publication 3, if the request can see it
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cruddy_django.access import access_for
from cruddy_django.introspection import model_graph
from cruddy_django.orm.generic import reference, resource_of_type

if TYPE_CHECKING:
    from cruddy_django.introspection import GenericKey
    from cruddy_django.registry import Resource

__all__ = ["EXPANDED_REFERENCE_SCHEMA", "REFERENCE_SCHEMA", "GenericReferenceField"]

# The OpenAPI schema of a reference (drf-spectacular reads ``_spectacular_annotation``), and of an expanded one.
_REFERENCE_PROPERTIES: dict[str, Any] = {
    "type": {"type": "string", "nullable": True, "description": "The resource of the row."},
    "id": {"description": "The primary key of the row."},
}
REFERENCE_SCHEMA: dict[str, Any] = {"type": "object", "properties": _REFERENCE_PROPERTIES, "required": ["type", "id"]}
EXPANDED_REFERENCE_SCHEMA: dict[str, Any] = {**REFERENCE_SCHEMA, "properties": {
    **_REFERENCE_PROPERTIES, "object": {"type": "object", "nullable": True,
                                       "description": "The row, in its resource's default fields."}}}


class GenericReferenceField(serializers.Field):
    """A generic foreign key as a reference to a row of any resource of the serializer's site."""

    default_error_messages = {
        "invalid": 'Expected {{"type": "<resource>", "id": <primary key>}}, not {given}.',
        "does_not_exist": "No {name} with id {value!r}.",
    }

    def __init__(self, key: GenericKey, resource: Resource, **kwargs: Any) -> None:
        self.key = key
        self.resource = resource
        kwargs.setdefault("help_text", 'A row of any resource: {"type": "<resource path>", "id": <pk>}.')
        super().__init__(**kwargs)
        self._spectacular_annotation = {"field": REFERENCE_SCHEMA, "field_component_name": None}

    def get_attribute(self, instance: Any) -> Any:
        # The two columns, never the referenced row (reading it would cost a query per row).
        return getattr(instance, self.key.content_type_attname), getattr(instance, self.key.object_id_attname)

    def to_representation(self, value: Any) -> Any:
        return reference(self.resource.site, *value)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict) or set(data) != {"type", "id"} or isinstance(data["id"], bool | dict | list):
            self.fail("invalid", given=str(data)[:80])
        try:
            target = resource_of_type(self.resource.site, data["type"])
        except LookupError as error:
            raise serializers.ValidationError(str(error), code="invalid") from None
        name = str(target.model._meta.verbose_name)
        graph = model_graph(target.model)
        try:
            pk = graph.fields[graph.pk_name].model_field.to_python(data["id"])
            row = access_for(self.context.get("request"), target).rows().filter(pk=pk).first()
        except (DjangoValidationError, ValueError, TypeError, OverflowError):  # not a pk of that resource
            row = None
        if row is None:
            self.fail("does_not_exist", name=name, value=data["id"])
        return row
