"""Policies are DRF permission classes; plain callables ``fn(request, view, obj=None) -> bool`` are wrapped.

    from cruddy_django.policies import allow_any, is_staff, has_perm
    class Resource:
        policies = {"*": [allow_any], "destroy": [is_staff | has_perm("ops.delete_mission")]}

The chain for an action is ``policies["*"]`` then ``policies[action]``; every policy must pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.utils.module_loading import import_string
from rest_framework import permissions
from rest_framework.permissions import SAFE_METHODS, BasePermission, OperandHolder, SingleOperandHolder
from rest_framework.settings import api_settings

__all__ = ["allow_any", "as_field_rule", "as_permission_class", "callable_policy", "checks_objects", "deny_all",
           "drf_defaults", "has_perm", "has_role", "is_authenticated", "is_staff", "is_superuser", "owner_only",
           "per_row", "read_only"]


allow_any = permissions.AllowAny
is_authenticated = permissions.IsAuthenticated
is_staff = permissions.IsAdminUser


class deny_all(BasePermission):
    message = "This action is not allowed."

    def has_permission(self, request: Any, view: Any) -> bool:
        return False


def checks_objects(permission: Any) -> bool:
    """Does a permission (instance) look at the row itself? A class that says so (``checks_objects``) is
    believed; otherwise one that overrides ``has_object_permission`` does."""
    declared = getattr(permission, "checks_objects", None)
    if isinstance(declared, bool):
        return declared
    return type(permission).has_object_permission is not BasePermission.has_object_permission


class drf_defaults(BasePermission):
    """DRF's own ``DEFAULT_PERMISSION_CLASSES`` (``REST_FRAMEWORK`` setting), read at each check: the
    project's DRF setup applies to the generated views as to its other views. Every class must pass; the
    first that refuses gives its message."""

    @staticmethod
    def permission_classes() -> list[type[BasePermission]]:
        # DRF's settings object imports the strings; its stubs type the setting as the strings
        return cast("list[type[BasePermission]]", api_settings.DEFAULT_PERMISSION_CLASSES)

    def _refuses(self, check: Callable[[BasePermission], bool]) -> bool:
        for permission_class in self.permission_classes():
            permission = permission_class()
            if not check(permission):
                # the refusing class's words, for DRF's permission_denied
                vars(self).update(message=getattr(permission, "message", None), code=getattr(permission, "code", None))
                return True
        return False

    @property
    def checks_objects(self) -> bool:
        return any(checks_objects(permission_class()) for permission_class in self.permission_classes())

    def has_permission(self, request: Any, view: Any) -> bool:
        return not self._refuses(lambda permission: permission.has_permission(request, view))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return not self._refuses(lambda permission: permission.has_object_permission(request, view, obj))


class is_superuser(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_superuser)


class read_only(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS


def has_perm(*perms: str) -> type[BasePermission]:
    """Passes when the user holds every Django permission named (``"ops.delete_mission"``)."""

    class HasPerm(BasePermission):
        message = f"You need the permission(s) {', '.join(perms)}."

        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(request.user and request.user.has_perms(perms))

    HasPerm.__name__ = HasPerm.__qualname__ = f"has_perm({', '.join(map(repr, perms))})"
    return HasPerm


def has_role(*groups: str) -> type[BasePermission]:
    """Passes when the user belongs to at least one of the named groups."""

    class HasRole(BasePermission):
        message = f"You need one of the roles: {', '.join(groups)}."

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            if not (user and user.is_authenticated):
                return False
            cache = getattr(user, "_cruddy_group_names", None)
            if cache is None:
                cache = set(user.groups.values_list("name", flat=True))
                user._cruddy_group_names = cache
            return bool(cache & set(groups))

    HasRole.__name__ = HasRole.__qualname__ = f"has_role({', '.join(map(repr, groups))})"
    return HasRole


def owner_only(user_field: str) -> type[BasePermission]:
    """Object-level: passes when ``getattr(obj, user_field)`` is the requesting user."""
    attname = f"{user_field}_id"

    class OwnerOnly(BasePermission):
        message = "Only the owner may do this."

        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated)

        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            owner_id = getattr(obj, attname, None)
            if owner_id is None:
                owner = getattr(obj, user_field, None)
                owner_id = getattr(owner, "pk", owner)
            return owner_id is not None and owner_id == request.user.pk

    OwnerOnly.__name__ = OwnerOnly.__qualname__ = f"owner_only({user_field!r})"
    return OwnerOnly


class per_row:
    """Marks a field rule that depends on the row: ``{"email": {"read": per_row(lambda request, obj: obj.pk ==
    request.user.pk)}}``. The field is shown on the rows where the rule holds, and never filtered, sorted,
    searched or compared, since it is not readable on every row. A rule without the mark is asked once per
    request with ``obj=None`` ("on every row?") by every query surface, and must not need the row.
    """

    per_row = True

    def __init__(self, rule: Callable[[Any, Any], bool]) -> None:
        self.rule = rule
        self.__name__ = getattr(rule, "__name__", "per_row")

    def __call__(self, request: Any, obj: Any) -> bool:
        return bool(self.rule(request, obj))

    def __repr__(self) -> str:
        return f"per_row({self.__name__})"


def callable_policy(function: Callable[..., bool]) -> type[BasePermission]:
    """Wrap ``fn(request, view, obj=None) -> bool`` into a permission class."""

    class FunctionPolicy(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(function(request, view))

        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            return bool(function(request, view, obj))

    FunctionPolicy.__name__ = FunctionPolicy.__qualname__ = getattr(function, "__name__", "policy")
    return FunctionPolicy


def as_permission_class(policy: Any) -> Any:
    """A permission class (or DRF's ``&``/``|``/``~`` composition) as is; an import string imported;
    a plain callable wrapped."""
    if isinstance(policy, str):
        policy = import_string(policy)
    if isinstance(policy, type) and issubclass(policy, BasePermission):
        return policy
    if isinstance(policy, OperandHolder | SingleOperandHolder):
        return policy
    if isinstance(policy, BasePermission):
        return lambda: policy
    if callable(policy):
        return callable_policy(policy)
    raise TypeError(f"{policy!r} is not a policy: use a permission class or fn(request, view, obj=None).")


def as_field_rule(rule: Any) -> Any:
    """A field rule is ``fn(request, obj_or_None) -> bool``; a policy (a permission class, a composition, an
    import string) is taken as one too: asked ``has_permission`` (with no view), and on a row also
    ``has_object_permission``. A policy that looks at rows (``owner_only``) is a ``per_row`` rule."""
    is_policy = isinstance(rule, str | OperandHolder | SingleOperandHolder | BasePermission) or (
        isinstance(rule, type) and issubclass(rule, BasePermission))
    if not is_policy:
        return rule
    policy_class = as_permission_class(rule)
    permission = policy_class()

    def policy_rule(request: Any, obj: Any = None) -> bool:
        if request is None or not permission.has_permission(request, None):
            return False
        return obj is None or bool(permission.has_object_permission(request, None, obj))

    policy_rule.__name__ = getattr(policy_class, "__name__", "policy")
    return per_row(policy_rule) if _looks_at_rows(permission) else policy_rule


def _looks_at_rows(permission: Any) -> bool:
    """``checks_objects``, through DRF's ``&``, ``|`` and ``~`` (which all define ``has_object_permission``)."""
    operands = [operand for operand in (getattr(permission, "op1", None), getattr(permission, "op2", None))
                if operand is not None]
    return any(map(_looks_at_rows, operands)) if operands else checks_objects(permission)
