"""Expanding generic foreign keys on the DRF read path: once a page of rows is read, the rows they point to are
fetched with one query per resource (within that resource's scope for the request) and cached on the key, so
serializing them costs nothing more.

    expand_generics(request, site, page, plan.instances, plan_generic_target)
    comment.target   # the publication, already fetched; None when it is out of scope or off the site

Only rows of resources of the same site are fetched; a key naming any other model expands to nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from cruddy_django.access import access_for
from cruddy_django.orm.batches import chunks
from cruddy_django.orm.generic import content_type_model
from cruddy_django.reads.hops import related_queryset

if TYPE_CHECKING:
    from cruddy_django.access import Access
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import ResourceRegistry

__all__ = ["expand_generics", "related_objects"]


def related_objects(rows: Iterable[Any], lookup: str) -> list[Any]:
    """The rows reached from ``rows`` along a ``__`` lookup of joined or prefetched relations (no query)."""
    current = [row for row in rows if row is not None]
    for step in lookup.split("__"):
        reached: list[Any] = []
        for row in current:
            value = getattr(row, step, None)
            if isinstance(value, models.Manager):
                reached.extend(value.all())
            elif value is not None:
                reached.append(value)
        current = reached
    return current


def expand_generics(request: Any, site: ResourceRegistry, rows: list[Any], plan: Any,
                    target_plan: Callable[[Access], Any]) -> None:
    """Fetch and cache the rows the generic foreign keys of ``plan`` (an ``InstancePlan``) point to, at every
    level of the plan, among the resources of ``site``; ``target_plan(access)`` plans the read of a referenced
    resource's rows."""
    for prefix, info in plan.generics:
        holders = related_objects(rows, prefix.removesuffix("__")) if prefix else rows
        _expand_one(request, site, holders, info, target_plan)
    for step in plan.prefetches:
        if step.plan.has_generics:
            expand_generics(request, site, related_objects(rows, step.lookup), step.plan, target_plan)


def _expand_one(request: Any, site: ResourceRegistry, holders: list[Any], info: FieldInfo,
                target_plan: Callable[[Access], Any]) -> None:
    key = info.generic
    if key is None or not holders:
        return
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for holder in holders:
        content_type, object_id = getattr(holder, key.content_type_attname), getattr(holder, key.object_id_attname)
        if content_type is not None and object_id is not None:
            wanted[content_type].add(object_id)
    found: dict[tuple[Any, str], Any] = {}
    for content_type, object_ids in wanted.items():
        model = content_type_model(content_type)
        resource = site.resource_for(model) if model is not None else None
        if resource is None or model is None:
            continue  # a model off the site is never read through a generic key
        access = access_for(request, resource)
        instances = target_plan(access)
        ids = sorted(object_ids, key=str)
        for part in chunks(ids):
            fetched = list(instances.apply(request, related_queryset(request, resource, model).filter(pk__in=part)))
            instances.settle(fetched)  # the prefetched lists cut at expand_limit
            if instances.has_generics:
                expand_generics(request, site, fetched, instances, target_plan)
            found.update({(content_type, str(row.pk)): row for row in fetched})
    field = info.model_field
    for holder in holders:
        content_type, object_id = getattr(holder, key.content_type_attname), getattr(holder, key.object_id_attname)
        field.set_cached_value(holder, found.get((content_type, str(object_id))))

