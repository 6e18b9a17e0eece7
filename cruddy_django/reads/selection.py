"""Field selection: ``fields``, ``exclude``, ``expand``, Plateforme ``include``/``exclude`` trees and named
``view``s, parsed and validated into one ``Selection`` tree.

    GET /api/assets/rockets/?fields=id,code,parts.id,parts.material.code&expand=parts.material
    selection = parse_selection(access_for(request, site.get_resource("Rocket")))
    selection.fields  # {"id": None, "code": None, "parts": Selection(RocketPart, {"id": None, ...})}

A field maps to None (a column, a computed value, or a relation shown as its pk or list of pks) or to the
``Selection`` of an expanded relation. Every name is checked against what the request may read (its access
object's readable fields, the reverse relations, the computed fields), on every resource the selection
crosses; anything else is a 400 that names the parameter and the field. Nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from rest_framework.exceptions import ValidationError

from cruddy_django.conf import cruddy_settings
from cruddy_django.drf.body import get_body_query
from cruddy_django.query.errors import QueryError
from cruddy_django.query.limits import DEFAULT_LIMITS, check_json_depth, load_json
from cruddy_django.query.parameters import SELECTION

if TYPE_CHECKING:
    from rest_framework.request import Request

    from cruddy_django.access import Access
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import Resource

__all__ = ["SelectableField", "Selection", "default_selection", "has_selection_parameters", "parse_selection",
           "requestable_fields"]

ALL_ITEMS = "__all__"


@dataclass(frozen=True, slots=True)
class SelectableField:
    """A name a request may select: the pk (``id``), a column, a computed value or a relation."""

    name: str
    kind: str  # "pk", "column", "computed", "relation" or "generic" (a generic foreign key)
    info: FieldInfo | None = None
    # The registered resource behind a relation; None means the relation shows as pks only.
    target: Resource | None = None

    @property
    def to_many(self) -> bool:
        return bool(self.info and self.info.relation and self.info.relation.to_many)

    @property
    def expandable(self) -> bool:
        return self.target is not None or self.kind == "generic"


@dataclass(eq=False)
class Selection:
    """What one level of a response holds, in output order."""

    resource: Resource
    fields: dict[str, Selection | None] = field(default_factory=dict)
    selectable: dict[str, SelectableField] = field(default_factory=dict, repr=False)
    # Did the request ask for it (fields, exclude, expand, include, view)? A view's own serializer is used
    # whole when it did not.
    explicit: bool = False

    def key(self) -> tuple[Any, ...]:
        """A hashable description, to cache what is built from a selection (plans, serializers)."""
        return (self.resource, self.explicit,
                tuple((name, child.key() if child else None) for name, child in self.fields.items()))

    def depth(self) -> int:
        return 1 + max((child.depth() for child in self.fields.values() if child), default=0)


def requestable_fields(access: Access) -> dict[str, SelectableField]:
    """Everything the request may select on the access object's resource, in output order: ``id``, the
    fields it may show (``Access.selectable``: the readable fields, those a rule shows on some rows only, then
    the reverse relations), the readable computed fields."""
    resource = access.resource
    readable = access.selectable
    computed = tuple(name for name in resource.options.computed if access.can_read(name))
    key = (resource, tuple(readable), computed)  # what a request may read decides it all: cache on that
    return resource.site.cache.get("requestable", key, lambda: _requestable_fields(resource, readable, computed),
                                   limit=1024)


def _requestable_fields(resource: Resource, readable: Mapping[str, FieldInfo],
                        computed: tuple[str, ...]) -> dict[str, SelectableField]:
    options = resource.options
    result = {"id": SelectableField("id", "pk")}

    def add(info: FieldInfo) -> None:
        if info.generic is not None:
            result[info.name] = SelectableField(info.name, "generic", info)
        elif info.relation is None:
            kind = "pk" if info.primary_key and info.name == "id" else "column"
            result[info.name] = SelectableField(info.name, kind, info)
        else:
            result[info.name] = SelectableField(info.name, "relation", info, resource.related_resource(info))

    for info in readable.values():  # the reverse relations the resource does not list come last
        if info.name != "id":
            add(info)
    for name in computed:
        if name not in options.exclude:
            result[name] = SelectableField(name, "computed")
    return result


def default_selection(access: Access) -> Selection:
    """The response without any selection parameter: the exposed fields and the computed ones."""
    selectable = requestable_fields(access)
    shown = access.shown
    names = [name for name, item in selectable.items() if item.kind in {"pk", "computed"} or name in shown]
    return Selection(access.resource, dict.fromkeys(names), selectable)


def has_selection_parameters(request: Request) -> bool:
    body = get_body_query(request)
    return any(name in request.query_params or name in body for name in SELECTION)


def parse_selection(access: Access) -> Selection:
    """Read the selection parameters of the access object's request (query string or GET body) into a
    ``Selection`` of its resource."""
    if not has_selection_parameters(access.request):
        return default_selection(access)
    return _Builder(access).build()


class _Builder:
    def __init__(self, access: Access) -> None:
        self.access = access
        self.request = access.request
        self.max_depth: int = cruddy_settings.MAX_EXPAND_DEPTH
        self.body = get_body_query(self.request)
        self._selectable: dict[Any, dict[str, SelectableField]] = {}
        self.root = self._node(access.resource, defaults=False)

    # -- reading parameters ----------------------------------------------------------------------------
    def _raw(self, name: str) -> tuple[bool, Any]:
        """(found, value): a list of strings from the query string, else the body's value."""
        if name in self.request.query_params:
            return True, self.request.query_params.getlist(name)
        if name in self.body:
            return True, self.body[name]
        return False, None

    def _paths(self, param: str, value: Any) -> list[str]:
        items = value if isinstance(value, list) else [value]
        paths: list[str] = []
        for item in items:
            if not isinstance(item, str):
                _fail(param, f"'{param}' must list field names separated by ',', not {item!r}.")
            paths.extend(part.strip() for part in item.split(",") if part.strip())
        return paths

    def _tree(self, param: str, value: Any) -> dict[str, Any]:
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            try:
                value = load_json(value[0], DEFAULT_LIMITS, param=param)
            except QueryError as error:
                _fail(param, error.message)
        else:
            check_json_depth(value, DEFAULT_LIMITS, param=param)
        if not isinstance(value, dict):
            _fail(param, f"'{param}' must be a JSON object such as {{\"__all__\": {{\"id\": true}}}}.")
        return value

    # -- building --------------------------------------------------------------------------------------
    def build(self) -> Selection:
        explicit = False
        for name in ("view", "_view"):
            found, value = self._raw(name)
            if found:
                explicit = True
                for path in self._view_paths(name, value):
                    self._select(self.root, path, name)
        found, value = self._raw("fields")
        if found:
            explicit = True
            for path in self._paths("fields", value):
                self._select(self.root, path, "fields")
        found, value = self._raw("include")
        if found:
            explicit = True
            self._include(self.root, _unwrap(self._tree("include", value)), "include", "")
        if not explicit:
            self.root.fields.update(self._defaults(self.root.resource))
        found, value = self._raw("expand")
        if found:
            for path in self._paths("expand", value):
                self._expand(self.root, path)
        found, value = self._raw("exclude")
        if found:
            is_tree = isinstance(value, dict) or (
                isinstance(value, list) and len(value) == 1 and str(value[0]).lstrip().startswith("{"))
            if is_tree:
                self._exclude_tree(self.root, _unwrap(self._tree("exclude", value)), "")
            else:
                for path in self._paths("exclude", value):
                    self._exclude(self.root, path)
        return self._freeze(self.root)

    def _view_paths(self, param: str, value: Any) -> list[str]:
        names = value if isinstance(value, list) else [value]
        views = self.root.resource.options.views
        paths: list[str] = []
        for view in names:
            if view not in views:
                known = ", ".join(sorted(views)) or "none"
                _fail(param, f"Unknown view {view!r} in '{param}': {self.root.resource.options.path} "
                             f"define {known}.")
            definition = views[view]
            paths += self._paths(param, definition if isinstance(definition, str) else list(definition))
        return paths

    def _node(self, resource: Resource, *, defaults: bool, depth: int = 0) -> _Node:
        node = _Node(resource, self._selectable_for(resource), depth)
        if defaults:
            node.fields.update(self._defaults(resource))
        return node

    def _selectable_for(self, resource: Resource) -> dict[str, SelectableField]:
        key = resource.model
        if key not in self._selectable:
            self._selectable[key] = requestable_fields(self.access.of(resource))
        return self._selectable[key]

    def _defaults(self, resource: Resource) -> dict[str, None]:
        return dict.fromkeys(default_selection(self.access.of(resource)).fields)

    def _lookup(self, node: _Node, name: str, param: str, path: str) -> SelectableField:
        item = node.selectable.get(name)
        if item is None:
            known = ", ".join(node.selectable)
            _fail(param, f"Unknown field '{path}' in '{param}': {node.resource.options.path} expose {known}.")
        return item

    def _child(self, node: _Node, item: SelectableField, param: str, path: str, *, defaults: bool) -> _Node:
        if item.kind == "generic":
            return self._generic_child(node, item, param, path)
        if item.kind != "relation":
            _fail(param, f"'{path}' in '{param}': '{item.name}' is not a relation, so it has no fields.")
        if item.target is None:  # not expandable
            _fail(param, f"'{path}' in '{param}': '{item.name}' cannot be expanded (its model is not "
                         "on the API); select it without a nested field to get its primary key.")
        current = node.fields.get(item.name)
        if isinstance(current, _Node):
            return current
        if node.depth + 1 > self.max_depth:
            _fail(param, f"'{path}' in '{param}' nests relations deeper than {self.max_depth} levels.")
        child = self._node(item.target, defaults=defaults, depth=node.depth + 1)
        node.fields[item.name] = child
        return child

    def _generic_child(self, node: _Node, item: SelectableField, param: str, path: str) -> _Node:
        """A generic foreign key expands whole: each referenced row with its own resource's default fields."""
        if node.depth + 1 > self.max_depth:
            _fail(param, f"'{path}' in '{param}' nests relations deeper than {self.max_depth} levels.")
        current = node.fields.get(item.name)
        if not isinstance(current, _Node):
            current = node.fields[item.name] = _Node(node.resource, {}, node.depth + 1)
        return current

    @staticmethod
    def _refuse_nested(item: SelectableField, param: str, path: str) -> None:
        if item.kind == "generic":
            _fail(param, f"'{path}' in '{param}': '{item.name}' is a generic reference to rows of any resource; "
                         f"it expands whole (expand={item.name}), each row with its own resource's fields.")

    def _walk(self, node: _Node, path: str, param: str, *, defaults: bool) -> tuple[_Node, SelectableField]:
        """Expand every relation along a dotted path but the last name; return its node and that name."""
        parts = path.split(".")
        for index, name in enumerate(parts[:-1]):
            item = self._lookup(node, name, param, ".".join(parts[: index + 1]))
            self._refuse_nested(item, param, path)
            node = self._child(node, item, param, path, defaults=defaults)
        return node, self._lookup(node, parts[-1], param, path)

    def _select(self, node: _Node, path: str, param: str) -> None:
        node, item = self._walk(node, path, param, defaults=False)
        node.fields.setdefault(item.name, None)

    def _expand(self, node: _Node, path: str) -> None:
        node, item = self._walk(node, path, "expand", defaults=True)
        self._child(node, item, "expand", path, defaults=True)

    def _exclude(self, node: _Node, path: str) -> None:
        node, item = self._walk(node, path, "exclude", defaults=True)
        node.fields.pop(item.name, None)

    def _include(self, node: _Node, tree: dict[str, Any], param: str, prefix: str) -> None:
        if tree == {ALL_ITEMS: True}:  # every default field of this level
            for name in self._defaults(node.resource):
                node.fields.setdefault(name, None)
            return
        for name, value in tree.items():
            path = f"{prefix}{name}"
            item = self._lookup(node, name, param, path)
            if value is True:
                if item.expandable:  # Plateforme: the whole related object
                    self._child(node, item, param, path, defaults=True)
                else:
                    node.fields.setdefault(name, None)
            elif isinstance(value, dict):
                self._refuse_nested(item, param, path)
                child = self._child(node, item, param, path, defaults=False)
                self._include(child, _unwrap(value), param, f"{path}.")
            elif value is not False:
                _fail(param, f"'{path}' in '{param}' must be true, false or an object, not {value!r}.")

    def _exclude_tree(self, node: _Node, tree: dict[str, Any], prefix: str) -> None:
        for name, value in tree.items():
            path = f"{prefix}{name}"
            item = self._lookup(node, name, "exclude", path)
            if value is True:
                node.fields.pop(name, None)
            elif isinstance(value, dict):
                self._refuse_nested(item, "exclude", path)
                child = self._child(node, item, "exclude", path, defaults=True)
                self._exclude_tree(child, _unwrap(value), f"{path}.")
            elif value is not False:
                _fail("exclude", f"'{path}' in 'exclude' must be true, false or an object, not {value!r}.")

    def _freeze(self, node: _Node) -> Selection:
        """Output order is the resource's field order, whatever order the client named fields in."""
        fields = {
            name: (self._freeze(child) if isinstance(child, _Node) else None)
            for name in node.selectable
            if name in node.fields
            for child in (node.fields[name],)
        }
        return Selection(node.resource, fields, node.selectable, explicit=True)


class _Node:
    __slots__ = ("depth", "fields", "resource", "selectable")

    def __init__(self, resource: Resource, selectable: dict[str, SelectableField], depth: int) -> None:
        self.resource = resource
        self.selectable = selectable
        self.depth = depth
        self.fields: dict[str, _Node | None] = {}


def _unwrap(tree: dict[str, Any]) -> dict[str, Any]:
    """Plateforme writes list items as ``{"__all__": {...}}``; a plain object means the same here."""
    if set(tree) == {ALL_ITEMS} and isinstance(tree[ALL_ITEMS], dict):
        return tree[ALL_ITEMS]
    return tree


def _fail(param: str, message: str) -> NoReturn:
    raise ValidationError({param: [message]})
