"""Serializers cut to a selection, for the DRF read path: the resource's own serializer class (generated
or custom), keeping the selected fields and nesting serializers for the expanded relations.

    serializer_class = selected_serializer_class(parse_selection(resource, request))
    serializer_class(page, many=True, context={"request": request}).data

Classes are built once per distinct selection and cached, like the generated serializers.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from cruddy_django.orm.computed import ComputedField

if TYPE_CHECKING:
    from cruddy_django.reads.selection import SelectableField, Selection


class _SelectionKey:
    """Hash a selection by its ``key()`` so that ``lru_cache`` can hold its serializer class."""

    __slots__ = ("key", "selection")

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self.key = selection.key()

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SelectionKey) and other.key == self.key


def selected_serializer_class(selection: Selection) -> type[serializers.Serializer]:
    return _build(_SelectionKey(selection))


selected_serializer_class.cache_clear = lambda: _build.cache_clear()  # type: ignore[attr-defined]


@lru_cache(maxsize=512)
def _build(wrapped: _SelectionKey) -> type[serializers.Serializer]:
    selection = wrapped.selection
    resource = selection.resource
    base = resource.serializer_class
    spec: list[tuple[str, SelectableField, type | None]] = [
        (name, selection.selectable[name], _build(_SelectionKey(child)) if child else None)
        for name, child in selection.fields.items()
    ]

    def get_fields(self: serializers.Serializer) -> dict[str, serializers.Field]:
        available = base.get_fields(self)
        fields: dict[str, serializers.Field] = {}
        for name, item, child_class in spec:
            if child_class is not None:
                options: dict[str, Any] = {"many": True} if item.to_many else {"allow_null": True}
                fields[name] = child_class(read_only=True, **options)
            elif name in available:
                fields[name] = available[name]
            elif item.kind == "computed":
                fields[name] = ComputedField(resource, name)
            else:  # a reverse relation the resource does not list: its pk(s)
                options = {"many": True} if item.to_many else {"allow_null": True}
                fields[name] = serializers.PrimaryKeyRelatedField(read_only=True, **options)
        return fields

    attrs = {"get_fields": get_fields, "__module__": base.__module__}
    return type(base.__name__, (base,), attrs)
