"""Serializers cut to a selection, for the DRF read path: the resource's own serializer class (generated
or custom), keeping the selected fields and nesting serializers for the expanded relations.

    serializer_class = selected_serializer_class(parse_selection(access))
    serializer_class(page, many=True, context={"request": request}).data

Classes are built once per distinct selection and cached, like the generated serializers.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from cruddy_django.drf.fields import ComputedField
from cruddy_django.drf.serializers import serializer_class_for
from cruddy_django.reads.rows import MORE_ATTRIBUTE, MORE_URL, reference_fields

if TYPE_CHECKING:
    from cruddy_django.reads.selection import SelectableField, Selection

__all__ = ["selected_serializer_class"]


def selected_serializer_class(selection: Selection, base: type[serializers.Serializer] | None = None
                              ) -> type[serializers.Serializer]:
    """The serializer of a selection: ``base`` (default: the resource's serializer) cut to the selected
    fields, with nested serializers for the expanded relations. Built once per site and selection."""
    resource = selection.resource
    base = base if base is not None else serializer_class_for(resource)
    return resource.site.cache.get("selected serializer", (selection.key(), base),
                                   lambda: _build(selection, base), limit=512)


def _build(selection: Selection, base: type[serializers.Serializer]) -> type[serializers.Serializer]:
    resource = selection.resource
    spec: list[tuple[str, SelectableField, type | None]] = [
        (name, selection.selectable[name], selected_serializer_class(child) if child else None)
        for name, child in selection.fields.items()
    ]

    custom = base is not serializer_class_for(resource)

    def get_fields(self: serializers.Serializer) -> dict[str, serializers.Field]:
        available = base.get_fields(self)
        fields: dict[str, serializers.Field] = {}
        for name, item, child_class in spec:
            if child_class is not None:
                options: dict[str, Any] = {"many": True} if item.to_many else {"allow_null": True}
                fields[name] = child_class(read_only=True, **options)
            elif name in available:
                fields[name] = available[name]
            elif custom and name in (reference := reference_fields(resource)):
                fields[name] = copy.deepcopy(reference[name])  # selected, but not in the view's serializer
            elif item.kind == "computed":
                fields[name] = ComputedField(resource, name)
            else:  # a reverse relation the resource does not list: its pk(s)
                options = {"many": True} if item.to_many else {"allow_null": True}
                fields[name] = serializers.PrimaryKeyRelatedField(read_only=True, **options)
        return fields

    limited = [name for name, item, _child in spec if item.to_many]

    def to_representation(self: serializers.Serializer, instance: Any) -> Any:
        """Adds ``_more`` links for the to-many lists cut at ``expand_limit`` (see reads.planning)."""
        data = base.to_representation(self, instance)
        cut = vars(instance).get(MORE_ATTRIBUTE) if hasattr(instance, "__dict__") else None
        if cut:
            more_url = self.context.get(MORE_URL)
            data["_more"] = {name: more_url(resource, instance.pk, name) if more_url else None
                             for name in limited if name in cut}
        return data

    attrs = {"get_fields": get_fields, "to_representation": to_representation, "__module__": base.__module__}
    return type(base.__name__, (base,), attrs)
