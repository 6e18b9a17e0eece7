"""Generated viewsets: ``RocketViewSet`` for ``Rocket``, a DRF ``ModelViewSet`` driven by the options.

    viewset = viewset_for(site.get_resource("Rocket"))    # also site.get_resource("Rocket").viewset
    class Resource:
        viewset_mixins = [AuditMixin]   # placed before the generated class: its overrides win

The actions come from the mixins (reads, writes, relation routes, ``_meta``), each built on
``ResourceGenericViewSet``; DRF's hooks work as on any ModelViewSet (see ``generic``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django.http.generic import ResourceGenericViewSet
from cruddy_django.http.meta import MetaMixin
from cruddy_django.http.reads import SelectionMixin
from cruddy_django.http.relations import RelationRoutesMixin
from cruddy_django.http.routes import route_actions
from cruddy_django.http.writes import BulkWriteMixin
from cruddy_django.registry.options import ACTIONS, EXTRA_ACTIONS

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["ResourceViewSet", "build_viewset_class", "viewset_for"]


class ResourceViewSet(MetaMixin, SelectionMixin, BulkWriteMixin, RelationRoutesMixin, viewsets.ModelViewSet):
    """Base class of every generated viewset (``resource`` is set on each generated subclass); name a
    subclass as the ``viewset_base_class`` of a site or resource."""

    def viewset_of(self, resource: Resource) -> type[ResourceGenericViewSet]:
        return viewset_for(resource)


def _disabled_action(action: str) -> Any:
    def handler(self: ResourceViewSet, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise MethodNotAllowed(str(request.method), detail=f"The action '{action}' is disabled on this resource.")

    handler.__name__ = action
    return handler


def _defined_by(classes: tuple[type, ...], name: str) -> bool:
    return any(name in vars(klass) for base in classes for klass in base.__mro__)


def build_viewset_class(resource: Resource) -> type[ResourceViewSet]:
    options = resource.options
    base = resource.configured_class("viewset_base_class", ResourceViewSet)
    attrs: dict[str, Any] = {
        "resource": resource,
        "__module__": resource.model.__module__,
        "__doc__": resource.description,
        "lookup_field": options.graph.pk_name,
    }
    pagination = resource.configured_class("pagination_class", None)
    if pagination is not None and not _defined_by(options.viewset_mixins, "pagination_class"):
        attrs["pagination_class"] = pagination  # the resource's or site's, unless a mixin sets its own
    for action in options.disable & {*ACTIONS, *EXTRA_ACTIONS}:  # other names are relations (relations.py)
        attrs[action] = _disabled_action(action)
    attrs.update(route_actions(resource, reserved=set(dir(base))))
    return type(f"{resource.model.__name__}ViewSet", (*options.viewset_mixins, base), attrs)


def viewset_for(resource: Resource) -> type[ResourceViewSet]:
    """The generated viewset of a resource, built once per site (until its registry or settings change)."""
    return resource.site.cache.get("viewset", resource, lambda: build_viewset_class(resource),
                                   reads_settings=False)
