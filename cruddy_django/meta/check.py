"""Partial items sent to ``_meta`` and ``_check``: read them into rows, and validate one field of one.

    row, stored = item_row(access, queryset, {"id": 3, "name": "Apollo"})   # stored row 3, with the new name
    check_field(access, serializer, {"code": "C1"}, "code", stored=None)    # None, or "crew with this code ..."

``_check`` runs the validators of a real write: the resource's serializer field (type, choices, max_length,
field validators, uniqueness excluding the row being edited), then the unique-together validators whose
other fields the item also carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty
from rest_framework.validators import UniqueTogetherValidator

from cruddy_django.introspection import model_graph
from cruddy_django.orm.values import to_column_value

if TYPE_CHECKING:
    from django.db import models
    from django.db.models import QuerySet

    from cruddy_django.access import Access

__all__ = ["NOT_ALLOWED", "READ_ONLY", "check_field", "check_path", "item_row", "known_names", "refuse_unknown",
           "stored_row"]

READ_ONLY = "This field is read-only."
NOT_ALLOWED = "You may not set this field."


def known_names(access: Access) -> dict[str, Any]:
    """Names an item may carry for this request: its readable fields, ``id`` and the primary key."""
    readable = dict(access.readable)
    graph = access.options.graph
    readable.setdefault("id", graph.fields[graph.pk_name])
    return readable


def refuse_unknown(access: Access, item: Mapping[str, Any], param: str) -> None:
    known = known_names(access)
    unknown = [str(name) for name in item if name not in known]
    if unknown:
        raise ValidationError({param: [f"Unknown field(s) {', '.join(map(repr, sorted(unknown)))}: "
                                       f"{access.options.path} has {', '.join(known)}."]})


def stored_row(access: Access, queryset: QuerySet, item: Mapping[str, Any]) -> models.Model | None:
    """The row the item names by ``id`` among ``queryset`` (the view's rows, within the request's scope), or by
    its primary key's name when clients cannot set that key. A natural key that clients set (``code``) names
    the row to create: an item for an update carries ``id``, as every record does."""
    graph = access.options.graph
    key = graph.fields[graph.pk_name]
    pk = item.get("id") if key.editable and not key.auto_created else item.get("id", item.get(graph.pk_name))
    if pk is None or isinstance(pk, bool | list | dict):
        return None
    try:
        return queryset.filter(pk=pk).first()
    except (ValueError, TypeError, DjangoValidationError):  # a pk of the wrong type names no row
        return None


def item_row(access: Access, queryset: QuerySet, item: Mapping[str, Any]) -> tuple[models.Model, bool]:
    """The row a partial item describes: the stored one it names (else a new one) with the item's values
    set where they convert; values that do not are left out (a form being filled is often invalid)."""
    refuse_unknown(access, item, "item")
    stored = stored_row(access, queryset, item)
    row = stored if stored is not None else access.resource.model()
    readable = known_names(access)
    for name, value in item.items():
        info = readable[name]
        relation = info.relation
        if name == "id" or info.primary_key or (relation and (relation.to_many or relation.reverse)):
            continue
        try:
            setattr(row, info.attname or name, to_column_value(info.model_field, value))
        except (DjangoValidationError, TypeError, ValueError):
            continue
    return row, stored is not None


def _message(error: ValidationError | DjangoValidationError) -> str:
    detail: object = error.detail if isinstance(error, ValidationError) else error.messages
    while isinstance(detail, Mapping):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list | tuple):
        return " ".join(str(message) for message in detail)
    return str(detail)


def check_path(access: Access, path: str) -> None:
    """``path`` must name a field the request may read: a 400 otherwise."""
    known = known_names(access)
    if path not in known:
        raise ValidationError({"path": [f"Unknown field '{path}': {access.options.path} has "
                                        f"{', '.join(known)}."]})


def check_field(access: Access, serializer: serializers.Serializer, item: Mapping[str, Any], path: str,
                stored: models.Model | None) -> str | None:
    """Validate the field ``path`` (see ``check_path``) of ``item`` as a real write would (``serializer``
    holds the stored row or None and the item as its data): the error message, or None."""
    field = serializer.fields.get(path)
    if field is None or field.read_only:
        return READ_ONLY
    if not access.can_write(path, stored):
        return NOT_ALLOWED
    value = item.get(path, empty)
    if value is empty and stored is not None:
        return None  # an update keeps the stored value
    try:
        internal = field.run_validation(value)
    except SkipField:
        return None
    except (ValidationError, DjangoValidationError) as error:
        return _message(error)
    return _check_together(serializer, item, path, internal, stored)


def _check_together(serializer: serializers.Serializer, item: Mapping[str, Any], path: str, internal: Any,
                    stored: Any) -> str | None:
    """The serializer's unique-together validators on ``path`` (a conditional ``UniqueConstraint`` is one, with
    the fields of its condition), when the other fields are known: sent, stored, or the model's defaults."""
    graph = model_graph(serializer.Meta.model) if hasattr(serializer, "Meta") else None
    for validator in serializer.get_validators():
        if not isinstance(validator, UniqueTogetherValidator) or path not in validator.fields:
            continue
        attrs = {path: internal}
        for name in (*validator.fields, *getattr(validator, "condition_fields", ())):
            if name == path or name in attrs:
                continue
            info = graph.fields.get(name) if graph is not None else None
            if name in item:
                try:
                    attrs[name] = serializer.fields[name].run_validation(item[name])
                except (ValidationError, DjangoValidationError, SkipField, KeyError):
                    break
            elif stored is not None:
                attrs[name] = getattr(stored, name)
            elif info is not None and info.has_default:  # a new row would take the default
                attrs[name] = info.default() if callable(info.default) else info.default
            else:
                break
        else:
            try:
                validator(attrs, serializer)
            except ValidationError as error:
                if len(validator.fields) == 1 and graph is not None:  # worded as Django words a unique field
                    field = graph.fields[path]
                    return f"{capfirst(graph.model._meta.verbose_name)} with this {field.verbose_name} already exists."
                return _message(error)
    return None
