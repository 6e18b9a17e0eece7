"""Upsert: match each item of a ``PUT`` on the collection to a stored row by its pk or natural key.

    plan = match_items(resource, request, queryset, items)   # one query for all the items
    plan.rows[i]      # the stored row item i updates, or None: item i is inserted
    plan.errors       # {index: {"code": ["..."]}} for keys that do not parse, repeat or are out of scope

The natural key is ``upsert_keys`` (default: the first unique field other than the pk, else the first
``unique_together``). A pk in an item also identifies its row. ``conflict_target`` says which unique
columns the database can resolve races on (``INSERT ... ON CONFLICT``).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial, reduce
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet

from cruddy_django.introspection import model_graph
from cruddy_django.orm.batches import CHUNK_SIZE, chunks
from cruddy_django.orm.values import to_column_value
from cruddy_django.writes.envelope import BadRequest

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["UpsertPlan", "conflict_target", "match_items", "refetch_by_key", "refuse_keyless", "sent_columns"]



@dataclass
class UpsertPlan:
    rows: list[Any]
    keys: list[tuple[Any, ...] | None]
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def conflict_target(resource: Resource) -> tuple[str, ...] | None:
    """Columns with a unique constraint that identify new items: the upsert keys when they are unique
    together, else a natural (non-auto) primary key; None when neither exists."""
    graph = resource.options.graph
    keys = resource.options.effective_upsert_keys
    if keys:
        unique_sets = [{name} for name in graph.unique_fields]
        unique_sets += [set(group) for group in graph.unique_together]
        return tuple(keys) if set(keys) in unique_sets else None
    pk = graph.fields[graph.pk_name]
    return None if pk.auto_created else (graph.pk_name,)


def _key_columns(resource: Resource, names: Sequence[str]) -> list[tuple[str, str, Any]]:
    """(field name, attribute name, converter) for each key field; a foreign key is compared by its pk."""
    graph = resource.options.graph
    columns = []
    for name in names:
        info = graph.fields[name]
        if info.relation is not None:
            target = model_graph(info.relation.related_model)
            converter = partial(to_column_value, target.fields[target.pk_name].model_field)
        else:
            converter = partial(to_column_value, info.model_field)
        columns.append((name, info.attname or name, converter))
    return columns


def _convert(columns: list[tuple[str, str, Any]], item: dict[str, Any]) -> tuple[Any, ...]:
    values = []
    for name, _attname, converter in columns:
        raw = item[name]
        try:
            values.append(converter(raw))
        except DjangoValidationError as error:
            raise _KeyError(name, "; ".join(error.messages)) from None
        except (TypeError, ValueError):
            raise _KeyError(name, f"{raw!r} is not a valid value for '{name}'.") from None
    return tuple(values)


class _KeyError(Exception):
    def __init__(self, name: str, message: str) -> None:
        self.name, self.message = name, message


def _fetch(queryset: QuerySet, columns: list[tuple[str, str, Any]], keys: list[tuple[Any, ...]]) -> dict:
    """Stored rows by key tuple, in one query per chunk of keys."""
    found: dict[tuple[Any, ...], Any] = {}
    attnames = [attname for _name, attname, _converter in columns]
    model: type[Model] = queryset.model
    # Validation reads the relations of every unique_together group again (DRF's validator on a partial
    # update takes the stored value of each field the item leaves out): join them now, not once per row.
    graph = model_graph(model)
    relations = sorted({name for group in graph.unique_together for name in group
                        if graph.fields[name].relation is not None})
    queryset = queryset.select_related(*relations) if relations else queryset
    distinct = list(dict.fromkeys(keys))
    for part in chunks(distinct, CHUNK_SIZE // len(attnames)):  # each key takes one parameter per column
        if len(attnames) == 1:
            condition = Q(**{f"{attnames[0]}__in": [key[0] for key in part]})
        else:
            condition = reduce(operator.or_, (Q(**dict(zip(attnames, key, strict=True))) for key in part))
        for row in queryset.filter(condition):
            found[tuple(getattr(row, attname) for attname in attnames)] = row
    return found


def _item_identity(resource: Resource, item: dict[str, Any]) -> tuple[str, list[str]] | None:
    """Which identifier an item carries: ("pk", [pk field]) or ("key", upsert keys), else None."""
    graph = resource.options.graph
    if graph.pk_name in item and item[graph.pk_name] is not None:
        return "pk", [graph.pk_name]
    if graph.pk_name != "id" and "id" not in graph.fields and item.get("id") is not None:
        return "pk", ["id"]
    keys = list(resource.options.effective_upsert_keys)
    if keys and all(name in item for name in keys):
        return "key", keys
    return None


def refuse_keyless(resource: Resource, items: Sequence[Any]) -> None:
    """An upsert matches items to rows by a key; with neither a natural key (a unique field, ``upsert_keys``,
    a natural primary key) nor the item's id it could only insert, duplicating what it meant to update."""
    graph = resource.options.graph
    if resource.options.effective_upsert_keys or not graph.fields[graph.pk_name].auto_created:
        return
    keyless = [index for index, item in enumerate(items)
               if isinstance(item, dict) and _item_identity(resource, item) is None]
    if keyless:
        shown = ", ".join(map(str, keyless[:10])) + (", ..." if len(keyless) > 10 else "")
        raise BadRequest(
            f"{resource.options.path} has no key to match items on (no unique field, no upsert_keys), and item(s) "
            f"{shown} carry no id. PUT on the collection updates the rows whose id the items carry; create new "
            "rows with POST, or name the resource's upsert_keys.")


def match_items(resource: Resource, request: Any, queryset: QuerySet, items: Sequence[Any]) -> UpsertPlan:
    """Find the stored row of every item (scoped by ``queryset``); keys that exist only outside the
    request's scope, repeated keys and pks of auto-numbered rows that do not exist are errors."""
    graph = resource.options.graph
    pk_info = graph.fields[graph.pk_name]
    plan = UpsertPlan(rows=[None] * len(items), keys=[None] * len(items))
    wanted: dict[str, dict[int, tuple[Any, ...]]] = {"pk": {}, "key": {}}
    label: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            plan.errors[index] = {"non_field_errors": [f"Expected an object, got {type(item).__name__}."]}
            continue
        identity = _item_identity(resource, item)
        if identity is None:
            continue
        kind, names = identity
        label[kind] = names
        columns = _key_columns(resource, [graph.pk_name] if kind == "pk" else names)
        source = {graph.pk_name: item[names[0]]} if kind == "pk" else item
        try:
            wanted[kind][index] = _convert(columns, source)
        except _KeyError as error:
            plan.errors[index] = {names[0] if kind == "pk" else error.name: [error.message]}

    unscoped = resource.model._default_manager.all()
    scoped_out = resource.options.scope is not None
    for kind, by_index in wanted.items():
        if not by_index:
            continue
        columns = _key_columns(resource, [graph.pk_name] if kind == "pk" else label[kind])
        found = _fetch(queryset, columns, list(by_index.values()))
        hidden = _fetch(unscoped, columns, list(by_index.values())) if scoped_out else {}
        first_use: dict[tuple[Any, ...], int] = {}
        shown = ", ".join(label[kind])
        for index, key in by_index.items():
            if index in plan.errors:
                continue
            earlier = first_use.setdefault((kind, key), index)
            if earlier != index:
                message = f"Item {earlier} of this request has the same {shown}."
                plan.errors[index] = {label[kind][0]: [message]}
            elif key in found:
                plan.rows[index] = found[key]
            elif key in hidden:
                plan.errors[index] = {label[kind][0]: [
                    f"A row with this {shown} exists, but this request may not change it."]}
            elif kind == "pk" and pk_info.auto_created:
                plan.errors[index] = {label[kind][0]: [f"No row has the {shown} {key[0]!r}."]}
            plan.keys[index] = key
    return plan


def sent_columns(resource: Resource, data: dict[str, Any]) -> frozenset[str]:
    """The concrete columns an item's validated data sets (to-many relations are written separately)."""
    graph = resource.options.graph
    return frozenset(
        name for name in data
        if name in graph.fields and not (graph.fields[name].relation
                                         and (graph.fields[name].link.to_many
                                              or graph.fields[name].link.reverse))
    )


def refetch_by_key(resource: Resource, instances: Sequence[Any], names: Sequence[str]) -> None:
    """Give rows inserted with ``ON CONFLICT DO NOTHING`` (which returns no pk) the pk of the stored row."""
    missing = [instance for instance in instances if instance.pk is None]
    if not missing:
        return
    columns = _key_columns(resource, names)
    attnames = [attname for _name, attname, _converter in columns]
    keys = [tuple(getattr(instance, attname) for attname in attnames) for instance in missing]
    found = _fetch(resource.model._base_manager.all(), columns, keys)
    for instance, key in zip(missing, keys, strict=True):
        if key in found:
            instance.pk = found[key].pk
