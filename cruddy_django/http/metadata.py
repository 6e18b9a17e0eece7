"""DRF ``OPTIONS`` responses built on the ``_meta`` description, so both always agree.

    OPTIONS /api/staff/crews/     -> {"name": "Crews", ..., "resource": <GET _meta>, "actions": {"POST": {...}}}
    OPTIONS /api/staff/crews/1/   -> the same with per-row rights, and "PUT" when the row may be updated

``actions`` keeps DRF's shape (method -> field name -> field info, with DRF's ``label``); each field info is
the field's ``_meta`` descriptor. Methods appear only when the user may use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.reverse import reverse

from cruddy_django.access import access_for
from cruddy_django.http.rights import Rights
from cruddy_django.meta.describe import describe_resource, user_view

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["ResourceMetadata", "api_root_url", "site_url", "user_description"]


def site_url(request: Request, name: str) -> str | None:
    """The absolute URL of a site-level view (``api-root``, ``docs``...) in the URL namespace the request
    came through; None when it cannot be reversed."""
    match = getattr(request, "resolver_match", None)
    prefix = f"{match.namespace}:" if match and match.namespace else ""
    try:
        return reverse(f"{prefix}{name}", request=request)
    except NoReverseMatch:
        return None


def api_root_url(request: Request) -> str | None:
    return site_url(request, "api-root")


def user_description(resource: Resource, request: Any, rights: Rights, *, obj: Any = None,
                     api_root: str | None = None) -> dict[str, Any]:
    """The ``_meta`` of ``resource`` as ``request`` sees it (for ``obj``, or for any row)."""
    return user_view(describe_resource(resource), access_for(request, resource), rights=rights.actions(obj),
                     routes=rights.routes(obj), obj=obj, api_root=api_root or api_root_url(request))


class ResourceMetadata(SimpleMetadata):
    """``SimpleMetadata``'s name, description, renders and parses, then the resource's ``_meta`` for this
    user (and this row, on a detail URL) and the write actions it allows."""

    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        metadata = {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
        resource = getattr(view, "resource", None)
        if resource is None:
            return {**metadata, **super().determine_metadata(request, view)}
        row = self.row(view)
        description = user_description(resource, request, view.rights_of(resource), obj=row)
        metadata["resource"] = description
        metadata["actions"] = self.write_actions(description, detail=bool(view.detail))
        return metadata

    @staticmethod
    def row(view: Any) -> Any:
        """The row of a detail URL within the request's scope (None when missing). Object-level policies
        are not applied here: they are what the rights then report on it."""
        kwarg = view.lookup_url_kwarg or view.lookup_field
        if not view.detail or kwarg not in view.kwargs:
            return None
        try:
            return view.get_queryset().filter(**{view.lookup_field: view.kwargs[kwarg]}).first()
        except (ValueError, TypeError, DjangoValidationError):
            return None

    @staticmethod
    def write_actions(description: dict[str, Any], *, detail: bool) -> dict[str, Any]:
        rights = description["rights"]
        allowed = {"PUT": rights["update"]} if detail else {"POST": rights["create"]}
        fields = {field["name"]: {**field, "label": field["verbose_name"]} for field in description["fields"]}
        return {method: fields for method, permitted in allowed.items() if permitted}
