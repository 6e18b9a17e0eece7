"""Delete strategies per reverse relation (backo's MUST_BE_EMPTY, DELETE_REFERENCED_ITEMS and
UNLINK_REFERENCED_ITEMS), run before the rows are deleted, inside the request's transaction.

    class Station(ResourceModel):
        class Resource:
            on_delete = {"missions": "must_be_empty"}    # or "cascade", or "unlink"

Relations the option does not name keep the model's own ``on_delete``. A blocked delete is a 409 that names
the relation and how many rows block; nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

from cruddy_django.exceptions import Conflict
from cruddy_django.introspection import ModelGraph, many_to_many_link, verbose_names
from cruddy_django.orm.batches import chunks

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import Resource

__all__ = ["apply_delete_strategies"]


class RowDeleter(Protocol):
    """What the strategies need of the writer deleting the rows (``writes.writer.RowWriter``)."""

    model: type[models.Model]
    graph: ModelGraph
    resource: Resource | None
    using: str

    def writer_for(self, model: type[models.Model]) -> RowDeleter: ...

    def delete(self, rows: Sequence[Any]) -> None: ...


def _related_rows(info: FieldInfo, pks: Sequence[Any], using: str) -> models.QuerySet:
    """The rows of a reverse relation that point at any of ``pks``."""
    relation = info.link
    manager = relation.related_model._base_manager.using(using)
    if relation.generic is not None:  # a generic relation: by content type and object id
        generic = relation.generic
        content_type = generic.content_type_of(info.model_field.model)
        return manager.filter(**{generic.content_type: content_type, f"{generic.object_id}__in": list(pks)})
    return manager.filter(**{f"{relation.remote_name}__in": list(pks)})


def _count(info: FieldInfo, pks: Sequence[Any], using: str) -> int:
    return sum(_related_rows(info, part, using).count() for part in chunks(pks))


def _blocked(writer: RowDeleter, info: FieldInfo, count: int, pks: Sequence[Any], why: str) -> Conflict:
    """Worded like the 409 of a Django ProtectedError, plus the relation and the reason."""
    singular, plural = verbose_names(writer.model)
    target = f"This {singular} cannot" if len(pks) == 1 else f"These {len(pks)} {plural} cannot"
    related = verbose_names(info.link.related_model)[1]
    return Conflict(f"{target} be deleted: still referenced by {count} {related} through '{info.name}' "
                    f"({why}).", code="protected")


def apply_delete_strategies(writer: RowDeleter, rows: Sequence[Any]) -> None:
    """Run the resource's ``on_delete`` strategies for ``rows``, and refuse a delete that a
    ``PROTECT`` reverse relation blocks with a message that names the relation."""
    graph = writer.graph
    options = writer.resource.options if writer.resource is not None else None
    strategies = dict(options.on_delete) if options is not None else {}
    pks = [row.pk for row in rows]
    for info in graph.reverse_fields:
        name = info.name
        strategy = strategies.get(name)
        if strategy is None:
            # Django would raise ProtectedError with the model but not the relation; say which one.
            if info.link.on_delete is models.PROTECT:
                count = _count(info, pks, writer.using)
                if count:
                    raise _blocked(writer, info, count, pks, "the relation is protected")
            continue
        if strategy == "must_be_empty":
            count = _count(info, pks, writer.using)
            if count:
                raise _blocked(writer, info, count, pks, "the resource requires it to be empty")
        elif strategy == "cascade":
            related = [row for part in chunks(pks) for row in _related_rows(info, part, writer.using)]
            writer.writer_for(info.link.related_model).delete(related)
        elif strategy == "unlink":
            _unlink(writer, info, pks)


def _unlink(writer: RowDeleter, info: FieldInfo, pks: Sequence[Any]) -> None:
    relation = info.link
    link = many_to_many_link(info)
    if link is not None:  # a reverse many-to-many: drop the join rows
        for part in chunks(pks):
            link.through._base_manager.using(writer.using).filter(
                **{f"{link.source_attname}__in": list(part)}
            ).delete()
        return
    if not relation.nullable_link:
        count = _count(info, pks, writer.using)
        if count:
            column = relation.generic.object_id if relation.generic else relation.remote_name
            raise _blocked(writer, info, count, pks, f"'{column}' cannot be empty, so they cannot be unlinked")
        return
    if relation.remote_name is None:  # never: a reverse relation goes through a foreign key
        raise TypeError(f"The reverse relation {info.name!r} names no field on the other side.")
    for part in chunks(pks):
        _related_rows(info, part, writer.using).update(**{relation.remote_name: None})
