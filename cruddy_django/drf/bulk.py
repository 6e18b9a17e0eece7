"""Validation of many items at once without one query per item: related pks and unique values are looked
up once for the whole array, then each item is validated against those answers.

    serializer = RocketSerializer(data=[{...}, {...}], many=True)   # a BulkListSerializer
    serializer.item_instances = [None, rocket]                        # optional: per-item rows to update
    serializer.is_valid()   # errors keyed by index: {1: {"price": ["..."]}}

The answers are exactly those of DRF's per-item validators (same messages, same ``does_not_exist`` and
``unique`` codes); a value the batch could not answer falls back to the per-item query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.relations import ManyRelatedField
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from cruddy_django.drf.fields import ResourceRelatedField
from cruddy_django.drf.uniqueness import duplicates_in_array
from cruddy_django.introspection import model_graph
from cruddy_django.orm.batches import chunks
from cruddy_django.orm.values import to_column_value

__all__ = ["UNIQUE_BY_DATABASE", "BulkListSerializer", "batched_lookups", "item_errors"]

# Context key: serializer fields whose uniqueness the database settles (an upsert's ON CONFLICT target).
UNIQUE_BY_DATABASE = "cruddy_unique_by_database"
# The attribute that tells the child serializer's validators the index of the item being validated.
BATCH_INDEX = "_batch_index"


def item_errors(errors: dict[int, Any]) -> ValidationError:
    """The error of an array: each failing item's errors under its index (``{1: {"price": ["..."]}}``)."""
    # DRF keeps the keys of any dict as they are; its stubs accept only str keys.
    return ValidationError(errors)  # type: ignore[arg-type]


class _BatchedUnique:
    """Stands in for a field's UniqueValidator during a bulk validation: one query answered the whole
    array, and values repeated inside the array conflict with each other."""

    requires_context = True

    def __init__(self, original: UniqueValidator, taken: dict[Any, set[Any]]) -> None:
        self.original = original
        self.taken = taken  # value -> pks of stored rows holding it
        self.claimed: dict[Any, int | None] = {}  # value -> index of the first item of this array using it

    def __call__(self, value: Any, serializer_field: Any) -> None:
        if serializer_field.source_attrs[-1] in serializer_field.context.get(UNIQUE_BY_DATABASE, ()):
            return
        serializer = serializer_field.parent
        instance = getattr(serializer, "instance", None)
        index = getattr(serializer, BATCH_INDEX, None)
        try:
            holders = self.taken.get(value, set())
        except TypeError:  # an unhashable value: let DRF's validator ask the database
            self.original(value, serializer_field)
            return
        own_pk = getattr(instance, "pk", None)
        if holders - {own_pk}:
            raise ValidationError(self.original.message, code="unique")
        first = self.claimed.setdefault(value, index)
        if first != index:
            raise ValidationError(f"Item {first} of this request has the same value.", code="unique")


def _related_fields(child: serializers.Serializer) -> list[tuple[str, serializers.Field, ResourceRelatedField]]:
    """(name, field, relation) of each writable relation: the relation is the field, or a to-many's child."""
    found: list[tuple[str, serializers.Field, ResourceRelatedField]] = []
    for name, field in child.fields.items():
        if field.read_only:
            continue
        relation = field.child_relation if isinstance(field, ManyRelatedField) else field
        if isinstance(relation, ResourceRelatedField):
            found.append((name, field, relation))
    return found


def _raw_values(items: Sequence[Any], name: str, many: bool) -> list[Any]:
    values: list[Any] = []
    for item in items:
        if not isinstance(item, dict) or name not in item:
            continue
        value = item[name]
        for one in value if many and isinstance(value, list) else [value]:
            if isinstance(one, str | int) and not isinstance(one, bool):
                values.append(one)
    return values


def _prefetch_related(child: serializers.Serializer, items: Sequence[Any]) -> list[Any]:
    prepared = []
    for name, field, relation in _related_fields(child):
        raw = _raw_values(items, name, relation is not field)
        queryset = relation.get_queryset()
        if not raw or queryset is None:
            continue
        graph = model_graph(queryset.model)
        target_pk = graph.fields[graph.pk_name].model_field
        keys = set()
        for value in raw:
            try:
                keys.add(to_column_value(target_pk, value))
            except Exception:  # left to the per-item check, which words the error
                continue
        cache: dict[str, Any] = {}
        key_list = list(keys)
        for part in chunks(key_list):
            cache.update({str(pk): obj for pk, obj in queryset.in_bulk(part).items()})
        relation._batch_cache = cache
        prepared.append(relation)
    return prepared


def _prefetch_unique(child: serializers.Serializer, items: Sequence[Any]) -> list[tuple[Any, list[Any]]]:
    swapped = []
    for name, field in child.fields.items():
        if field.read_only or isinstance(field, ManyRelatedField | serializers.RelatedField):
            continue
        originals = list(field.validators)
        unique = [v for v in originals if type(v) is UniqueValidator]
        if not unique:
            continue
        values = set()
        for value in _raw_values(items, name, False):
            try:
                values.add(field.to_internal_value(value))
            except Exception:
                continue
        source = field.source_attrs[-1]
        replaced = []
        for validator in originals:
            if validator not in unique:
                replaced.append(validator)
                continue
            taken: dict[Any, set[Any]] = defaultdict(set)
            value_list = list(values)
            for part in chunks(value_list):
                rows = validator.queryset.filter(**{f"{source}__in": part}).values_list(source, "pk")
                for value, pk in rows:
                    taken[value].add(pk)
            replaced.append(_BatchedUnique(validator, taken))
        field.validators = replaced
        swapped.append((field, originals))
    return swapped


@contextmanager
def batched_lookups(child: serializers.Serializer, items: Sequence[Any]) -> Iterator[None]:
    """Answer related pks and unique values of ``items`` in a few queries while the block runs."""
    relations = _prefetch_related(child, items)
    swapped = _prefetch_unique(child, items)
    try:
        yield
    finally:
        for relation in relations:
            relation._batch_cache = None
        for field, originals in swapped:
            field.validators = originals


class BulkListSerializer(serializers.ListSerializer):
    """``many=True`` for generated serializers: batched look-ups, optional per-item instances for bulk
    updates, and errors always keyed by the index of the failing item."""

    child: serializers.Serializer  # the serializer whose Meta names this class as its list_serializer_class
    item_instances: Sequence[Any] | None = None

    def run_child_validation(self, data: Any) -> Any:
        return self.child.run_validation(data)

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list):
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [
                f"Expected a list of items but got type \"{type(data).__name__}\"."]}, code="not_a_list")
        validated: list[Any] = []
        errors: dict[int, Any] = {}
        with batched_lookups(self.child, data):
            for index, item in enumerate(data):
                self.child.instance = self.item_instances[index] if self.item_instances else None
                setattr(self.child, BATCH_INDEX, index)
                try:
                    validated.append(self.run_child_validation(item))
                except ValidationError as exc:
                    errors[index] = exc.detail
        self.child.instance = None
        if not errors:
            settled = frozenset(self.child.context.get(UNIQUE_BY_DATABASE, ()))
            model = getattr(getattr(self.child, "Meta", None), "model", None)
            if model is not None:
                errors = duplicates_in_array(model, validated, self.item_instances, settled)
        if errors:
            raise item_errors(errors)
        return validated
