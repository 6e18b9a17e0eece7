"""What the current user may do on a resource: its policies evaluated as its own viewset would.

    rights = Rights(viewset_class, resource, request)
    rights.actions()              # {"list": True, "retrieve": True, "create": False, ...}
    rights.actions(obj=crew)      # object-level policies too (owner_only, ...)
    rights.routes()               # {"assign_lead": True}
    rights.allowed("_meta", "GET", detail=False)

Each action is checked on an instance of the resource's viewset whose ``action`` is set, through the viewset's
own ``get_permissions()`` (so the access object's chains, routes' policies and user mixins apply), with the
request seen under the HTTP method of that action: a ``read_only`` policy must say no to ``update`` even
inside a ``GET _meta``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.exceptions import APIException

from cruddy_django.registry.routes import model_routes

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["RIGHTS_ACTIONS", "RequestAs", "Rights"]

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


class Rights:
    """The policies of one resource's viewset class, evaluated for one request."""

    def __init__(self, viewset_class: type, resource: Resource, request: Any) -> None:
        self.viewset_class = viewset_class
        self.resource = resource
        self.request = request

    def _view(self, request: Any, action: str, detail: bool) -> Any:
        view = self.viewset_class()
        view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
        view.action, view.detail, view.basename, view.action_map = (action, detail, self.resource.options.basename,
                                                                     {})
        return view

    def allowed(self, action: str, method: str, *, detail: bool, obj: Any = None) -> bool:
        """Would this request pass the policies of ``action`` (and the object-level ones on ``obj``)?"""
        if action in self.resource.options.disable or self.request is None:
            return False
        seen = RequestAs(self.request, method)
        view = self._view(seen, action, detail)
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

    def actions(self, obj: Any = None) -> dict[str, bool]:
        return {action: self.allowed(action, method, detail=detail, obj=obj)
                for action, (method, detail) in RIGHTS_ACTIONS.items()}

    def routes(self, obj: Any = None) -> dict[str, bool]:
        return {spec.name: self.allowed(spec.name, spec.methods[0].upper(), detail=spec.detail, obj=obj)
                for spec in model_routes(self.resource.model)}
