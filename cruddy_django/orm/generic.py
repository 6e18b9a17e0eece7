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

if TYPE_CHECKING:
    from django.db import models

    from cruddy_django.introspection import GenericKey
    from cruddy_django.registry import Resource, ResourceRegistry

__all__ = ["content_type_id", "content_type_model", "reference", "resource_of_type", "type_name", "type_names"]


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
