"""What the current user may do on a resource: its policies evaluated as its own viewset would.

    resource_rights(resource, request)            # {"list": True, "retrieve": True, "create": False, ...}
    resource_rights(resource, request, obj=crew)  # object-level policies too (owner_only, ...)
    route_rights(resource, request)               # {"assign_lead": True}

Each action is checked on a viewset instance whose ``action`` is set, through the viewset's own
``get_permissions()`` (so routes' policies, fallbacks and user mixins apply), with the request seen under
the HTTP method of that action: a ``read_only`` policy must say no to ``update`` even inside a ``GET _meta``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.exceptions import APIException

from cruddy_django.registry.routes import model_routes

if TYPE_CHECKING:
    from cruddy_django.registry.sites import Resource

# The actions reported in a resource's `rights`: (HTTP method, works on one row).
RIGHTS_ACTIONS: dict[str, tuple[str, bool]] = {
    "list": ("GET", False),
    "retrieve": ("GET", True),
    "create": ("POST", False),
    "update": ("PUT", True),
    "destroy": ("DELETE", True),
}


class RequestAs:
    """The request, seen under another HTTP method (everything else, user and auth included, delegated)."""

    def __init__(self, request: Any, method: str) -> None:
        self._request_seen = request
        self.method = method

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request_seen, name)


def _view_for(resource: Resource, request: Any, action: str, detail: bool) -> Any:
    view = resource.viewset()
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
    view.action, view.detail, view.basename, view.action_map = action, detail, resource.options.basename, {}
    return view


def action_allowed(resource: Resource, request: Any, action: str, method: str, detail: bool,
                   obj: Any = None) -> bool:
    """Would this request pass the policies of ``action`` (and the object-level ones on ``obj``)?"""
    if action in resource.options.disable or request is None:
        return False
    seen = RequestAs(request, method)
    view = _view_for(resource, seen, action, detail)
    if not callable(getattr(view, action, None)):
        return False
    try:
        permissions = view.get_permissions()
        if not all(permission.has_permission(seen, view) for permission in permissions):
            return False
        if detail and obj is not None:
            return all(permission.has_object_permission(seen, view, obj) for permission in permissions)
    except APIException:  # a policy that raises NotAuthenticated or PermissionDenied itself
        return False
    return True


def resource_rights(resource: Resource, request: Any, obj: Any = None) -> dict[str, bool]:
    return {action: action_allowed(resource, request, action, method, detail, obj)
            for action, (method, detail) in RIGHTS_ACTIONS.items()}


def route_rights(resource: Resource, request: Any, obj: Any = None) -> dict[str, bool]:
    return {spec.name: action_allowed(resource, request, spec.name, spec.methods[0].upper(), spec.detail, obj)
            for spec in model_routes(resource.model)}
