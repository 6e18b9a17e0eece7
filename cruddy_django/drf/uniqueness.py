"""Unique sets inside one array: two items of the same bulk write that would collide on ``unique_together`` or
a ``UniqueConstraint`` (conditional ones included) are a 400 naming both items, not the database's error.

    errors = duplicates_in_array(Booking, validated_items, instances=None)
    # {1: {"non_field_errors": ["Item 0 of this request has the same room, day."]}}

Each item is checked against the stored rows by DRF's validators already; this finds what no per-item check
can see. A constraint's condition is evaluated (``Q.check``) only for items whose values collide, so an array
without duplicates costs no query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, router
from django.db.models import Q
from rest_framework.settings import api_settings

__all__ = ["duplicates_in_array", "unique_sets"]

_UNKNOWN = object()


def unique_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], Q | None]]:
    """``(field names, condition)`` of every unique set over several fields, or with a condition. (A single
    ``unique=True`` field is checked in the array by the bulk validation of unique values.)"""
    meta = model._meta
    sets: list[tuple[tuple[str, ...], Q | None]] = [(tuple(group), None) for group in meta.unique_together]
    for constraint in meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.expressions:
            condition = constraint.condition if isinstance(constraint.condition, Q) else None
            if len(constraint.fields) > 1 or condition is not None:
                sets.append((tuple(constraint.fields), condition))
    return sets


def _value(model: type[models.Model], name: str, data: dict[str, Any], instance: Any) -> Any:
    """The value an item will store for ``name``: sent, kept from the stored row, or the field's default."""
    field = model._meta.get_field(name)
    if name in data:
        value = data[name]
    elif instance is not None:
        # The stored key, not the related row: reading the relation would load each row's target.
        value = getattr(instance, field.attname if field.concrete else name)
    else:
        if not field.has_default():  # type: ignore[union-attr]  # a concrete field: unique sets name those
            return _UNKNOWN
        value = field.get_default()  # type: ignore[union-attr]
    return value.pk if isinstance(value, models.Model) else value


def _holds(model: type[models.Model], condition: Q, data: dict[str, Any], instance: Any) -> bool:
    against = {}
    for field in model._meta.concrete_fields:
        value = _value(model, field.name, data, instance)
        if value is not _UNKNOWN:
            against[field.attname if field.is_relation else field.name] = value
    return condition.check(against, using=router.db_for_write(model))


def duplicates_in_array(model: type[models.Model], items: Sequence[dict[str, Any]],
                        instances: Sequence[Any] | None = None,
                        settled: frozenset[str] = frozenset()) -> dict[int, dict[str, list[str]]]:
    """Errors of the items that collide with an earlier item of the same array; ``settled`` is a unique
    set the database resolves itself (an upsert's conflict target)."""
    errors: dict[int, dict[str, list[str]]] = {}
    for names, condition in unique_sets(model):
        if set(names) == settled:
            continue
        by_key: dict[Any, list[int]] = {}
        for index, data in enumerate(items):
            key = tuple(_value(model, name, data, instances[index] if instances else None) for name in names)
            if any(value is _UNKNOWN or value is None for value in key):
                continue  # NULLs never collide; an unknown value is the database's to judge
            try:
                by_key.setdefault(key, []).append(index)
            except TypeError:  # an unhashable value (a JSON document): the database judges
                continue
        for indexes in by_key.values():
            if len(indexes) > 1 and condition is not None:
                indexes = [index for index in indexes
                           if _holds(model, condition, items[index], instances[index] if instances else None)]
            for index in indexes[1:]:
                message = f"Item {indexes[0]} of this request has the same {', '.join(names)}."
                errors.setdefault(index, {api_settings.NON_FIELD_ERRORS_KEY: [message]})
    return errors
