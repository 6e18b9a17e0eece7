"""The access object: for one request and one resource, what may be read, written, seen and done.

    access = access_for(request, site.get_resource("Crew"))
    access.readable                   # fields readable on every row: all a query may name
    access.can_read("salary", crew)   # the read rule on one row (rules that depend on the row)
    access.rows()                     # the rows in scope, as a queryset
    access.related(info)              # the access of the same request across a relation, or None
    access.policy_classes("destroy")  # the permission classes guarding an action

Every surface asks this object and nothing else (DESIGN.md §6): the filter dialects, sorting, search, column
references, selection and expansion, relation routes, write bodies, ``Key[...]`` parameters, ``_meta``,
``_check``, forms and schemas. It is made once per request and resource (``access_for`` keeps it on the
request), and the resource itself offers no other way to the scope or the field rules, so a new surface
cannot forget them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cruddy_django.access.chains import policy_chain
from cruddy_django.introspection import FieldInfo

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["Access", "access_for", "has_row_rules", "has_scope", "is_per_row"]

_CACHE_ATTRIBUTE = "_cruddy_access"


def access_for(request: Any, resource: Resource) -> Access:
    """The one access object of ``request`` on ``resource`` (a fresh one when there is no request)."""
    if request is None:
        return Access(resource, None)
    holder = getattr(request, "_request", request)  # DRF's Request and Django's share one cache
    cache: dict[Resource, Access] | None = getattr(holder, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(holder, _CACHE_ATTRIBUTE, cache)
    access = cache.get(resource)
    if access is None:
        access = cache[resource] = Access(resource, request)
    return access


def is_per_row(rule: Any) -> bool:
    """Is a field rule marked as depending on the row (``cruddy_django.policies.per_row``)?"""
    return bool(getattr(rule, "per_row", False))


def has_row_rules(resource: Resource) -> bool:
    """Does a read rule of ``resource`` depend on the row? (Plans shared by every request ask: the fast read
    path cannot check a rule per row.)"""
    return any(is_per_row(rule.get("read")) for rule in resource.options.field_rules.values())


def has_scope(resource: Resource) -> bool:
    """Does a scope narrow the rows of ``resource`` for some requests? (Plans shared by every request ask:
    a relation into such a resource is never a plain join.)"""
    return resource.options.scope is not None


class Access:
    """What ``request`` may do on ``resource``; build it with ``access_for``."""

    def __init__(self, resource: Resource, request: Any) -> None:
        self.resource = resource
        self.request = request
        self.options = resource.options

    def __repr__(self) -> str:
        user = getattr(getattr(self.request, "user", None), "pk", None)
        return f"<Access of user {user} on {self.resource.options.url_prefix}>"

    # -- fields ----------------------------------------------------------------------------------------
    @cached_property
    def readable(self) -> Mapping[str, FieldInfo]:
        """The exposed fields this request may read on every row, in model order: the only fields a query
        may filter, sort, search or compare. A rule asked with ``obj=None`` answers for every row; a rule that
        depends on the row (``policies.per_row``) never does."""
        exposed = self.options.exposed_fields
        if not self.options.field_rules:
            return exposed
        return {name: info for name, info in exposed.items() if self._rule("read", name, None)}

    @cached_property
    def per_row(self) -> frozenset[str]:
        """Exposed fields whose read rule depends on the row (``policies.per_row``): shown on the rows where it
        holds, never queried."""
        return frozenset(name for name, rule in self.options.field_rules.items()
                         if name in self.options.exposed_fields and is_per_row(rule.get("read")))

    @cached_property
    def shown(self) -> Mapping[str, FieldInfo]:
        """The exposed fields a response may hold, in model order: the readable ones and the per-row ones."""
        if not self.per_row:
            return self.readable
        return {name: info for name, info in self.options.exposed_fields.items()
                if name in self.readable or name in self.per_row}

    @cached_property
    def selectable(self) -> Mapping[str, FieldInfo]:
        """What a response may show: the fields it may reach (``reachable``) and the per-row ones."""
        if not self.per_row:
            return self.reachable
        return {**self.shown, **self.reachable}

    @cached_property
    def reachable(self) -> Mapping[str, FieldInfo]:
        """What a query may name: the readable fields, then the reverse relations the resource does not list
        but requests may follow (``Resource.reverse_relations``, under the same read rules)."""
        extra = {name: info for name, info in self.resource.reverse_relations.items()
                 if self._rule("read", name, None)}
        return {**self.readable, **extra} if extra else self.readable

    def can_read(self, name: str, obj: Any = None) -> bool:
        """May this request read ``name`` on ``obj`` (a model instance), or on every row when None?"""
        if obj is None:
            return name in self.readable or (name in self.options.computed and self._rule("read", name, None))
        return self._rule("read", name, obj)

    def readable_on(self, obj: Any = None) -> set[str]:
        """The exposed fields readable on ``obj`` (on every row when None)."""
        if obj is None or not self.has_rules("read"):
            return set(self.readable)
        return {name for name in self.options.exposed_fields if self._rule("read", name, obj)}

    def can_write(self, name: str, obj: Any = None) -> bool:
        """May this request set ``name`` on ``obj`` (None: on a new row)? Read-only, auto and non-editable
        fields never; reverse to-many relations when listed and not read-only."""
        options = self.options
        info = options.exposed_fields.get(name)
        if info is None or name in options.read_only_fields or (info.primary_key and info.auto_created):
            return False
        if not info.editable and not (info.relation and info.relation.reverse):
            return False
        return self._rule("write", name, obj)

    def has_rules(self, kind: str = "read") -> bool:
        """Does any field carry a ``kind`` ("read" or "write") rule?"""
        return any(kind in rule for rule in self.options.field_rules.values())

    def _rule(self, kind: str, name: str, obj: Any) -> bool:
        rule = self.options.field_rules.get(name, {}).get(kind)
        if rule is None:
            return True
        if obj is None and kind == "read" and is_per_row(rule):
            return False  # not readable on every row
        return bool(rule(self.request, obj))

    # -- rows ------------------------------------------------------------------------------------------
    @property
    def scoped(self) -> bool:
        """Does a scope narrow the rows? (A to-one relation into an unscoped resource may be joined.)"""
        return has_scope(self.resource)

    def scope(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` narrowed to the rows this request may see or touch (the ``scope`` option)."""
        scope = self.options.scope
        return queryset if scope is None else scope(self.request, queryset)

    def rows(self) -> QuerySet:
        """Every row in scope, in no particular order: for sub-queries and look-ups by pk."""
        return self.scope(self.resource.model._default_manager.all())

    def ordered_rows(self) -> QuerySet:
        """Every row in scope, in the resource's default order (``Meta.ordering``, else the pk)."""
        return self.rows().order_by(*self.options.ordering)

    # -- relations -------------------------------------------------------------------------------------
    def of(self, resource: Resource) -> Access:
        """The access of the same request on another resource (of the same site)."""
        return access_for(self.request, resource)

    def related(self, info: FieldInfo) -> Access | None:
        """The access across a relation field, or None when its model is not a resource of this site (it
        then shows as primary keys and is never traversed)."""
        related = self.resource.related_resource(info)
        return None if related is None else access_for(self.request, related)

    # -- actions ---------------------------------------------------------------------------------------
    def policy_classes(self, action: str | None, fallback: str | None = None,
                       extra: Mapping[str, Any] | None = None) -> list[Any]:
        """The permission classes that guard ``action`` (``extra`` adds chains, e.g. a route's own)."""
        policies = self.options.policies
        if extra:
            policies = {**extra, **policies}
        return policy_chain(policies, action, fallback)
