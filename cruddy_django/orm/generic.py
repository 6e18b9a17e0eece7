"""Generic foreign keys seen from a site: a stored content type names a resource, and a resource's name (its
URL prefix, or its model's label or name) names a content type.

    type_name(site, comment.content_type_id)           # -> "zoo/publications", or None off the site
    resource = resource_of_type(site, "zoo/publications")   # LookupError with a message for anything else
    reference(site, comment.content_type_id, comment.object_id)   # -> {"type": "zoo/publications", "id": 3}

A generic foreign key reads as such a reference; only rows of resources of the same site are ever expanded,
filtered on or written through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cruddy_django.exceptions import NotRegistered
from cruddy_django.query import Condition, MalformedValue
from cruddy_django.query.errors import clip

if TYPE_CHECKING:
    from django.db import models

    from cruddy_django.introspection import FieldInfo, GenericKey
    from cruddy_django.registry import Resource, ResourceRegistry

__all__ = ["content_type_id", "content_type_model", "generic_column", "named_content_type", "reference",
           "resource_of_type", "type_name", "type_names"]


def content_type_model(content_type_id: Any) -> type[models.Model] | None:
    """The model of a stored content type (Django caches the look-up), or None for a stale one."""
    from django.contrib.contenttypes.models import ContentType

    try:
        return ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def type_name(site: ResourceRegistry, content_type_id: Any) -> str | None:
    """The name of the resource whose rows a content type stores: its URL prefix; None off the site."""
    if content_type_id is None:
        return None
    model = content_type_model(content_type_id)
    resource = site.resource_for(model) if model is not None else None
    return resource.options.url_prefix if resource is not None else None


def reference(site: ResourceRegistry, content_type_id: Any, object_id: Any) -> dict[str, Any] | None:
    """A generic foreign key as the API shows it: ``{"type": ..., "id": ...}``, or None when it is empty."""
    if content_type_id is None or object_id is None:
        return None
    return {"type": type_name(site, content_type_id), "id": object_id}


def type_names(site: ResourceRegistry) -> list[str]:
    return sorted(resource.options.url_prefix for resource in site.resources)


def resource_of_type(site: ResourceRegistry, name: Any) -> Resource:
    """The resource a client names as a generic key's type: its URL prefix (``zoo/publications``), its model's
    label (``zoo.Publication``) or name; a ``LookupError`` that lists the types otherwise."""
    if isinstance(name, str) and name.strip("/"):
        try:
            return site.get_resource(name.strip("/"))
        except NotRegistered:
            pass
    shown = str(name)[:60]
    raise LookupError(f"Unknown type '{shown}': use one of {', '.join(type_names(site))}.")


def content_type_id(key: GenericKey, resource: Resource) -> Any:
    return key.content_type_of(resource.model).pk


def generic_column(info: FieldInfo, rest: list[str], *, param: str, source: str, purpose: str) -> tuple[str, bool]:
    """The column a path names after a generic foreign key: ``(name, is the type)`` for ``target.type`` (the
    resource of the row) or ``target.id`` (its primary key); a ``MalformedValue`` for anything else."""
    key = info.generic
    if key is None or len(rest) != 1 or rest[0] not in {"type", "id"}:
        raise MalformedValue(
            f"'{info.name}' in '{clip(source)}' is a generic reference to a row of any resource: use "
            f"'{info.name}.type' (the resource) or '{info.name}.id' (its primary key).", param=param, path=source)
    if rest[0] == "type" and purpose == "sorted":
        raise MalformedValue(f"'{clip(source)}' names a resource, which has no order; sort on '{info.name}.id'.",
                             param=param, path=source)
    return (key.content_type, True) if rest[0] == "type" else (key.object_id, False)


def named_content_type(site: ResourceRegistry, key: GenericKey, value: Any, condition: Condition) -> Any:
    """The content type of the resource a filter names for a generic key's type, or a ``MalformedValue``."""
    try:
        named = resource_of_type(site, value)
    except LookupError as error:
        raise MalformedValue(f"{error} ('{clip(condition.source)}')", param=condition.param,
                             path=condition.source) from None
    return content_type_id(key, named)
