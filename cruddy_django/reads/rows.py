"""The fast read path: rows built straight from ``values_list()`` tuples by a compiled function, with the
same values DRF's serializer would produce, and no model instances or per-field serializer machinery.

    plan = compile_rows(selection)                       # raises NotFast when DRF must do the work
    page = list(plan.project(queryset)[:20])             # one query: joins for to-one, annotations
    rows = plan.build(request, page, more_url)           # one query per to-many hop, then dicts

A node of the selection becomes one generated function ``build(rows, m0, m1, ...)`` whose body is a list
comprehension of dict literals reading tuple indexes; ``m<k>`` maps a key to the objects of the k-th hop.
Values go through the same DRF field's ``to_representation`` as the serializer path when their type needs it
(dates, decimals, durations ...), so the two paths give byte-identical JSON. A to-many hop reads at most
``expand_limit`` rows per parent (a window function, still one query); a parent whose list was cut gets
``"_more": {"<relation>": more_url(resource, pk, relation)}``.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.encoding import is_protected_type
from rest_framework import serializers

from cruddy_django.access import has_row_rules
from cruddy_django.drf.postgres import RangeSerializerField, SearchVectorSerializerField
from cruddy_django.drf.serializers import serializer_class_for
from cruddy_django.orm.computed import computed_expression
from cruddy_django.orm.generic import reference
from cruddy_django.reads.hops import back_filter, back_query_name, expand_limit, joinable, related_queryset

if TYPE_CHECKING:
    from cruddy_django.reads.selection import SelectableField, Selection
    from cruddy_django.registry import Resource

__all__ = ["MORE_ATTRIBUTE", "MORE_URL", "HopRows", "MoreUrl", "NodePlan", "NotFast", "compile_rows", "fast_eligible",
           "reference_fields"]

#: ``more_url(resource, pk, relation)``: the URL of a row's relation route (None when it has none).
MoreUrl = Callable[[Any, Any, str], "str | None"]
#: The serializer-context key of the ``more_url`` that ``_more`` links are built with (both read paths).
MORE_URL = "cruddy_more_url"
#: The attribute of an instance naming its relations whose prefetched list was cut (the DRF path).
MORE_ATTRIBUTE = "_cruddy_more"
RANK_ALIAS = "cruddy_rank"


class HopRows(dict):
    """The objects of one hop by parent key; ``cut`` holds the keys whose list stopped at the limit."""

    cut: set[Any]


def _more_marker(more_url: MoreUrl | None) -> Callable[..., Any]:
    """The function generated builders call on objects that own limited to-many hops: adds ``_more``."""
    def more(resource: Any, obj: dict[str, Any], entries: tuple[tuple[HopRows, Any, str], ...]) -> dict[str, Any]:
        for hop_rows, key, relation in entries:
            if key in hop_rows.cut:
                obj.setdefault("_more", {})[relation] = more_url(resource, key, relation) if more_url else None
        return obj

    return more


class NotFast(Exception):
    """This selection needs per-row Python (field rules, custom serializers, file URLs ...)."""


def _method(field: serializers.Field) -> Callable[[Any], Any] | None:
    return field.to_representation


def _model_field(field: serializers.Field) -> Callable[[Any], Any]:
    if not isinstance(field, serializers.ModelField):  # never: CONVERTERS gives this one ModelFields
        raise TypeError(f"{type(field).__name__} is not a ModelField.")
    model_field = field.model_field
    attname = model_field.attname

    def convert(value: Any) -> Any:  # DRF's ModelField reads the value off the instance
        if is_protected_type(value):
            return value
        # value_to_string only reads the attribute off the object it is given; the stubs ask for a Model.
        return model_field.value_to_string(SimpleNamespace(**{attname: value}))  # type: ignore[arg-type]

    return convert


# DRF field class -> how a database value becomes its JSON value (None: as is). Searched along the MRO;
# a class found nowhere (FileField, SerializerMethodField, ...) sends the request down the DRF path.
CONVERTERS: dict[type, Callable[[serializers.Field], Callable[[Any], Any] | None]] = {
    serializers.CharField: lambda field: None,  # str(value) of a str
    serializers.IntegerField: lambda field: None,
    serializers.BooleanField: lambda field: None,
    serializers.ReadOnlyField: lambda field: None,
    serializers.FloatField: lambda field: float,
    serializers.ChoiceField: _method,
    serializers.DecimalField: _method,
    serializers.DateTimeField: _method,
    serializers.DateField: _method,
    serializers.TimeField: _method,
    serializers.DurationField: _method,
    serializers.UUIDField: _method,
    serializers.JSONField: _method,
    serializers.ListField: _method,
    serializers.DictField: _method,
    serializers.ModelField: _model_field,
    RangeSerializerField: _method,
    SearchVectorSerializerField: _method,
}


def converter_for(field: serializers.Field) -> Callable[[Any], Any] | None:
    for klass in type(field).__mro__:
        if klass in CONVERTERS:
            return CONVERTERS[klass](field)
    raise NotFast(f"{type(field).__name__} needs DRF")


def reference_fields(resource: Resource) -> dict[str, serializers.Field]:
    """The fields of the resource's generated serializer: the reference for every value's form."""
    return resource.site.cache.get("reference fields", resource,
                                   lambda: dict(serializer_class_for(resource)().fields))


def fast_eligible(resource: Resource) -> bool:
    """May rows of this resource skip DRF's serializers? Not with read rules that depend on the row (they are
    checked on each row; the other rules decided the selection already) nor with a serializer or serializer
    base class of the user's (it may change any value)."""
    return (not has_row_rules(resource)
            and resource.configured_class("serializer_class", None, from_site=False) is None
            and resource.configured_class("serializer_base_class", None) is None)


@dataclass
class Hop:
    """One query for the rows across a relation, keyed by the value at ``key_index`` in the parent row."""

    key_index: int
    link: str
    single: bool
    resource: Resource | None
    model: Any
    node: NodePlan
    limit: int | None = None  # rows per parent (to-many hops)
    # What the related rows must also match (the content type of a generic relation's rows), asked at read time
    condition: Callable[[], dict[str, Any]] | None = None


@dataclass
class NodePlan:
    """The columns of one query and the function that turns its tuples into response objects."""

    columns: list[str] = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)
    hops: list[Hop] = field(default_factory=list)
    build_all: Callable[..., list[Any]] | None = None

    def project(self, queryset: QuerySet, *extra: str) -> QuerySet:
        """The queryset of this plan's columns (then ``extra`` ones, which the builder never reads)."""
        present = queryset.query.annotations
        missing = {alias: value for alias, value in self.annotations.items() if alias not in present}
        if missing:
            queryset = queryset.annotate(**missing)
        return queryset.values_list(*self.columns, *extra)

    def build(self, request: Any, rows: Sequence[tuple[Any, ...]], more_url: MoreUrl | None = None) -> list[Any]:
        maps = [self._fetch(request, hop, rows, more_url) for hop in self.hops]
        if self.build_all is None:  # a plan is built by _Compiler.compile, which sets it
            raise TypeError("This plan was never compiled.")
        return self.build_all(rows, *maps, _more_marker(more_url))

    def _fetch(self, request: Any, hop: Hop, rows: Sequence[tuple[Any, ...]], more_url: MoreUrl | None) -> HopRows:
        found = HopRows()
        found.cut = set()
        keys = {row[hop.key_index] for row in rows}
        keys.discard(None)
        if not keys:
            return found
        queryset = related_queryset(request, hop.resource, hop.model).filter(**{f"{hop.link}__in": keys})
        if hop.condition is not None:
            queryset = queryset.filter(**hop.condition())
        child_rows = self._limited_rows(hop, queryset, len(keys)) if hop.limit is not None else list(
            hop.node.project(queryset))
        objects = hop.node.build(request, child_rows, more_url)
        if hop.single:
            found.update((row[0], obj) for row, obj in zip(child_rows, objects, strict=True))
            return found
        for row, obj in zip(child_rows, objects, strict=True):
            members = found.setdefault(row[0], [])
            if hop.limit is not None and len(members) >= hop.limit:
                found.cut.add(row[0])
            else:
                members.append(obj)
        return found


    @staticmethod
    def _limited_rows(hop: Hop, queryset: QuerySet, parents: int) -> list[tuple[Any, ...]]:
        """The first ``limit + 1`` related rows of each parent, in the related resource's order (one more than
        the limit tells the list was cut). One parent: a LIMIT. Several: all their rows in one plain query
        when there are at most ``limit + 1`` per parent on average; only when there are more (some parent
        then has more) a window function numbers each parent's rows, in a second query."""
        limit = cast(int, hop.limit) + 1
        order: list[Any] = list(queryset.query.order_by) or ["pk"]
        queryset = queryset.order_by(*order)
        if parents == 1:
            return list(hop.node.project(queryset[:limit]))
        bound = parents * limit
        rows = list(hop.node.project(queryset[: bound + 1]))
        if len(rows) <= bound:
            return rows
        ranked = queryset.annotate(**{RANK_ALIAS: Window(RowNumber(), partition_by=[F(hop.link)],
                                                         order_by=order)})
        return list(hop.node.project(ranked.filter(**{f"{RANK_ALIAS}__lte": limit})))


class _Compiler:
    """Turns a selection into a ``NodePlan``: allocates columns, annotations and hops, and writes the
    source of the builder (names come from model fields, never from the request, and are quoted)."""

    _aliases = itertools.count()

    def __init__(self, link: str | None) -> None:
        self.plan = NodePlan()
        self.index: dict[str, int] = {}
        self.namespace: dict[str, Any] = {}
        # per object literal being emitted: its limited to-many hops (hop number, key path, relation name)
        self.limited: list[list[tuple[int, str, str]]] = []
        # paths that read the same column (``crew__pk`` is ``crew``): each column is selected once, which
        # Django's window-function filter (the per-parent limit) needs
        self.same_column: dict[str, str] = {}
        if link is not None:
            self.column(link)

    def column(self, path: str) -> int:
        path = self.same_column.get(path, path)
        if path not in self.index:
            self.index[path] = len(self.plan.columns)
            self.plan.columns.append(path)
        return self.index[path]

    def value(self, path: str, convert: Callable[[Any], Any] | None) -> str:
        index = self.column(path)
        if convert is None:
            return f"r[{index}]"
        name = f"c{len(self.namespace)}"
        self.namespace[name] = convert
        return f"(None if r[{index}] is None else {name}(r[{index}]))"

    def hop(self, key_path: str, link: str | None, single: bool, resource: Resource | None,
            model: Any, node: NodePlan, relation: str = "",
            condition: Callable[[], dict[str, Any]] | None = None) -> str:
        if link is None:
            raise NotFast("no way back across this relation")
        number = len(self.plan.hops)
        limit = None if single else expand_limit(resource)
        self.plan.hops.append(Hop(self.column(key_path), link, single, resource, model, node, limit=limit,
                                  condition=condition))
        key = f"r[{self.column(key_path)}]"
        if single:
            return f"m{number}.get({key})"
        self.limited[-1].append((number, key_path, relation))
        return f"m{number}.get({key}, [])"

    def generic_reference(self, resource: Resource, item: SelectableField, child: Selection | None,
                          prefix: str) -> str:
        """``{"type": ..., "id": ...}`` from the two columns of a generic foreign key; expanding the rows it
        points to (of any resource) is the DRF path's work."""
        key = item.info.generic if item.info is not None else None
        if child is not None or key is None:
            raise NotFast("a generic foreign key is expanded")
        content_type = self.column(f"{prefix}{key.content_type_attname}")
        object_id = self.column(f"{prefix}{key.object_id_attname}")
        name = f"c{len(self.namespace)}"
        self.namespace[name] = functools.partial(reference, resource.site)
        return f"{name}(r[{content_type}], r[{object_id}])"

    def compile(self, expression: str) -> NodePlan:
        parameters = ", ".join(["rows", *(f"m{number}" for number in range(len(self.plan.hops))), "more"])
        source = f"def build_all({parameters}):\n    return [{expression} for r in rows]\n"
        exec(compile(source, "<cruddy_django.rows>", "exec"), self.namespace)
        self.plan.build_all = self.namespace["build_all"]
        return self.plan

    # -- emitting one object ---------------------------------------------------------------------------
    def emit(self, selection: Selection, prefix: str) -> str:
        resource = selection.resource
        if not fast_eligible(resource):
            raise NotFast(f"{resource.name} has field rules or a custom serializer")
        reference = reference_fields(resource)
        items = []
        self.limited.append([])
        for name, child in selection.fields.items():
            item = selection.selectable[name]
            items.append(f"{name!r}: {self.emit_field(resource, item, child, prefix, reference)}")
        literal = "{" + ", ".join(items) + "}"
        limited = self.limited.pop()
        if not limited:
            return literal
        owner = f"R{len(self.namespace)}"
        self.namespace[owner] = resource
        entries = "".join(f"(m{number}, r[{self.column(key_path)}], {relation!r}), "
                          for number, key_path, relation in limited)
        return f"more({owner}, {literal}, ({entries}))"

    def emit_field(self, resource: Resource, item: SelectableField, child: Selection | None, prefix: str,
                   reference: dict[str, serializers.Field]) -> str:
        name = item.name
        if item.kind == "computed":
            if not prefix:
                self.plan.annotations[name] = computed_expression(resource, name)
                return self.value(name, None)
            alias = f"cruddy_computed_{next(self._aliases)}"
            self.plan.annotations[alias] = computed_expression(resource, name, outer_pk=f"{prefix}pk")
            return self.value(alias, None)
        if item.kind == "generic":
            return self.generic_reference(resource, item, child, prefix)
        if item.kind != "relation":
            if name not in reference:
                raise NotFast(f"{name} is not in the generated serializer")
            path = "pk" if item.kind == "pk" else name
            return self.value(f"{prefix}{path}", converter_for(reference[name]))
        info = item.info
        if info is None:  # never: a relation item carries its field
            raise TypeError(f"The relation {name!r} has no field description.")
        relation = info.link
        model = resource.model
        target_model = relation.related_model
        forward_to_one = not relation.to_many and not relation.reverse
        if child is None:  # the related pk, or the list of pks
            if forward_to_one:
                return self.value(f"{prefix}{name}", None)
            node = _Compiler(back_query_name(model, info))
            leaf = node.compile(node.value("pk", None))
            return self.hop(f"{prefix}pk", back_query_name(model, info), not relation.to_many,
                            item.target, target_model, leaf, name, _condition(model, info))
        if not relation.to_many and joinable(item.target):
            nested_prefix = f"{prefix}{name}__"
            if forward_to_one:
                self.same_column[f"{nested_prefix}pk"] = f"{prefix}{name}"
            guard = self.column(f"{prefix}{name}" if forward_to_one else f"{nested_prefix}pk")
            return f"(None if r[{guard}] is None else {self.emit(child, nested_prefix)})"
        link = back_query_name(model, info)
        node = _Compiler(link)
        nested = node.compile(node.emit(child, ""))
        key_path = f"{prefix}{name}" if forward_to_one else f"{prefix}pk"
        return self.hop(key_path, link, not relation.to_many, item.target, target_model, nested, name,
                        _condition(model, info))


def _condition(model: Any, info: Any) -> Callable[[], dict[str, Any]] | None:
    return functools.partial(back_filter, model, info) if info.relation.generic is not None else None


def compile_rows(selection: Selection) -> NodePlan:
    """Compile the fast plan of a selection; raises ``NotFast`` when the DRF path must be used."""
    compiler = _Compiler(None)
    return compiler.compile(compiler.emit(selection, ""))
