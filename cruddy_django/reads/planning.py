"""Read plans: one pass over a ``Selection`` builds the queryset and what turns its results into data.

    plan = plan_read(access)                            # parses fields/exclude/expand/include/view
    queryset = plan.queryset(request, base_queryset)    # joins, prefetches or hops, .only(), annotations
    data = plan.to_data(request, page, many=True, context=view.get_serializer_context())

Two paths give the same JSON. The fast path (``rows.py``) reads ``values_list()`` tuples. The DRF path,
for resources with field rules or a custom serializer, reads model instances with ``select_related`` for
to-one chains, a ``Prefetch`` with a projected, scoped queryset for every other hop and ``.only()`` for the
selected columns, then serializes them with nested serializers built for the selection. Either way a list
costs one query, plus one per hop, whatever the page size, and a to-many hop holds at most ``expand_limit``
rows per parent (``_more`` links to the rest): ``rows_per_item`` bounds what one row of the page can cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from cruddy_django import signals
from cruddy_django.conf import cruddy_settings
from cruddy_django.introspection import model_graph
from cruddy_django.orm.batches import chunks
from cruddy_django.orm.computed import computed_expression
from cruddy_django.reads.generic import expand_generics
from cruddy_django.reads.hops import back_query_name, expand_limit, joinable, link_columns, related_queryset
from cruddy_django.reads.rows import MORE_ATTRIBUTE, MORE_URL, NodePlan, NotFast, compile_rows, fast_eligible
from cruddy_django.reads.selection import Selection, default_selection, parse_selection
from cruddy_django.reads.serializers import selected_serializer_class

if TYPE_CHECKING:
    from rest_framework import serializers

    from cruddy_django.access import Access
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import Resource

__all__ = ["MORE_URL", "InstancePlan", "Pageable", "PrefetchStep", "ReadPlan", "build_plan", "plan_read",
           "rows_per_item"]

PLAN_CACHE_SIZE = 512


@dataclass
class PrefetchStep:
    """One ``Prefetch`` of an instance plan: the lookup from the plan's model, the plan of the related rows,
    their resource and model, and for a to-many relation the most rows per parent."""

    lookup: str
    plan: InstancePlan
    resource: Resource | None
    model: Any
    limit: int | None = None

    @property
    def to_attr(self) -> str | None:
        """A limited prefetch lands in an attribute of its own (Django refuses a sliced queryset otherwise);
        ``settle`` moves it where the relation's manager reads."""
        return f"_cruddy_{self.lookup.rpartition('__')[2]}" if self.limit is not None else None

    def prefetch(self, request: Any) -> Prefetch:
        related = self.plan.apply(request, related_queryset(request, self.resource, self.model))
        if self.limit is None:
            return Prefetch(self.lookup, queryset=related)
        # each parent's first limit + 1 rows (Django partitions a window function by the parent): one more
        # than shown tells that the list was cut
        return Prefetch(self.lookup, queryset=related[: self.limit + 1], to_attr=self.to_attr)

    def settle(self, instances: list[Any]) -> None:
        """Give each parent its first ``limit`` rows as the relation's prefetched members, mark the parents
        whose list was cut for ``_more``, then settle the levels below."""
        *path, relation = self.lookup.split("__")
        owners = instances
        for name in path:  # joined to-one relations
            owners = [owner for owner in (getattr(item, name, None) for item in owners) if owner is not None]
        members: list[Any] = []
        for owner in owners:
            if self.limit is None or self.to_attr is None:
                member = getattr(owner, relation, None)
                members += [member] if member is not None else []
                continue
            if self.to_attr not in vars(owner):  # settled already
                members += list(getattr(owner, relation).all())
                continue
            rows = vars(owner).pop(self.to_attr)
            if len(rows) > self.limit:
                rows = rows[: self.limit]
                vars(owner).setdefault(MORE_ATTRIBUTE, set()).add(relation)
            _prefetched(owner, relation, rows)
            members += rows
        for step in self.plan.prefetches:
            step.settle(members)


def _prefetched(owner: Any, relation: str, rows: list[Any]) -> None:
    """Store ``rows`` as the prefetched members of ``owner.<relation>``, as Django's prefetching does."""
    manager = getattr(owner, relation)
    queryset = manager.get_queryset()  # lazy: no query
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    vars(owner).setdefault("_prefetched_objects_cache", {})[cache_name] = queryset


@dataclass
class InstancePlan:
    """How to fetch model instances for one selection level: what ``apply()`` adds to a queryset."""

    select_related: list[str] = field(default_factory=list)
    only: list[str] | None = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)
    prefetches: list[PrefetchStep] = field(default_factory=list)
    # Generic foreign keys to expand once the rows are read: (path of the row holding it, its field)
    generics: list[tuple[str, FieldInfo]] = field(default_factory=list)

    def settle(self, instances: list[Any]) -> None:
        """Give the rows read with this plan their prefetched lists, cut at ``expand_limit``."""
        for step in self.prefetches:
            step.settle(instances)

    @property
    def has_generics(self) -> bool:
        return bool(self.generics) or any(step.plan.has_generics for step in self.prefetches)

    def apply(self, request: Any, queryset: QuerySet) -> QuerySet:
        present = queryset.query.annotations
        missing = {alias: value for alias, value in self.annotations.items() if alias not in present}
        if missing:
            queryset = queryset.annotate(**missing)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.only is not None:
            queryset = queryset.only(*self.only)
        if self.prefetches:
            queryset = queryset.prefetch_related(*(step.prefetch(request) for step in self.prefetches))
        return queryset


def plan_instances(selection: Selection, prefix: str = "", plan: InstancePlan | None = None) -> InstancePlan:
    """Plan the instance queryset of a selection. To-one relations are joined while the rows on the other
    side need no scope and no annotation; everything else is a ``Prefetch``."""
    plan = plan if plan is not None else InstancePlan()
    resource = selection.resource
    if not fast_eligible(resource):
        plan.only = None  # custom serializers and field rules may read any column
    for name, child in selection.fields.items():
        item = selection.selectable[name]
        if item.kind == "pk":
            _add_only(plan, f"{prefix}{resource.options.graph.pk_name}")
        elif item.kind == "column":
            _add_only(plan, f"{prefix}{name}")
        elif item.kind == "computed":
            plan.annotations[name] = computed_expression(resource, name)
        elif item.kind == "generic":
            info = item.info
            key = info.generic if info is not None else None
            if info is None or key is None:  # never: a generic item carries its key
                raise TypeError(f"The generic reference {name!r} has no key.")
            _add_only(plan, f"{prefix}{key.content_type}")
            _add_only(plan, f"{prefix}{key.object_id}")
            if child is not None:
                plan.generics.append((prefix, info))
        else:
            info = item.info
            if info is None:  # never: a relation item carries its field
                raise TypeError(f"The relation {name!r} has no field description.")
            relation = info.link
            forward_to_one = not relation.to_many and not relation.reverse
            if forward_to_one:
                _add_only(plan, f"{prefix}{name}")
                if child is None:
                    continue
                if joinable(item.target) and not _has_computed(child):
                    plan.select_related.append(f"{prefix}{name}")
                    plan_instances(child, f"{prefix}{name}__", plan)
                    continue
            link = back_query_name(resource.model, info)
            related = plan_instances(child) if child is not None else InstancePlan(only=["pk"])
            if link and link != "pk" and related.only is not None:
                link_field = model_graph(relation.related_model).fields.get(link)
                if link_field is not None and link_field.concrete and not (
                        link_field.relation and link_field.relation.to_many):
                    for column in (link, *link_columns(info)):
                        _add_only(related, column)  # the key Django matches prefetched rows on
            limit = expand_limit(item.target) if relation.to_many else None
            plan.prefetches.append(PrefetchStep(f"{prefix}{name}", related, item.target, relation.related_model,
                                                limit))
    return plan


def _add_only(plan: InstancePlan, path: str) -> None:
    if plan.only is not None and path not in plan.only:
        plan.only.append(path)


def _has_computed(selection: Selection) -> bool:
    return any(selection.selectable[name].kind == "computed" for name in selection.fields)


@dataclass
class ReadPlan:
    """The planned read of one selection, by the fast path (``rows``) or the DRF path (``instances``)."""

    selection: Selection
    rows: NodePlan | None = None
    instances: InstancePlan | None = None
    # The serializer the DRF path cuts to the selection (None: the resource's own).
    base_serializer: type[serializers.Serializer] | None = None

    @property
    def fast(self) -> bool:
        return self.rows is not None

    @property
    def serializer_class(self) -> type[serializers.Serializer]:
        """A serializer for this selection (the DRF path's, and the schema's): a view's own serializer as it
        is when the request selected nothing, else cut to the selection."""
        if self.base_serializer is not None and not self.selection.explicit:
            return self.base_serializer
        return selected_serializer_class(self.selection, self.base_serializer)

    def queryset(self, request: Any, base: QuerySet) -> QuerySet:
        if self.rows is not None:
            return self.rows.project(base)
        if self.instances is None:  # never: _plan gives every plan one or the other
            raise TypeError("A read plan needs rows or instances.")
        return self.instances.apply(request, base)

    def pageable(self, request: Any, base: QuerySet) -> Pageable:
        """The planned queryset for a paginator: slices run the planned query, the count runs on ``base``
        (a projection's joins would only slow the count down)."""
        return Pageable(base, self.queryset(request, base))

    @property
    def rows_per_item(self) -> int:
        """The most rows one row of the page can bring into the response (itself and its expansions)."""
        return rows_per_item(self.selection)
    def rows_data(self, request: Any, base: QuerySet, rows: Sequence[Any],
                  context: Mapping[str, Any] | None = None) -> list[Any]:
        """The data of ``rows`` (model instances, e.g. just written) read again from ``base`` with this plan,
        in their order, so a write's response is what a GET would show. A row ``base`` no longer holds (it
        left the scope) is serialized as it is in hand."""
        pks = [row.pk for row in rows]
        fetched: dict[Any, Any] = {}
        for part in chunks(pks):
            if self.rows is not None:  # the pk rides at the end of each tuple; the builder never reads it
                fetched.update((values[-1], values) for values in self.rows.project(base.filter(pk__in=part), "pk"))
            else:
                fetched.update((row.pk, row) for row in self.queryset(request, base.filter(pk__in=part)))
        found = [fetched[pk] for pk in pks if pk in fetched]
        data = iter(self.to_data(request, found, many=True, context=context) if found else [])
        missing = [row for row in rows if row.pk not in fetched]
        as_is = iter(self.serializer_class(missing, many=True, context=context or {"request": request}).data
                     if missing else [])
        return [next(data) if row.pk in fetched else next(as_is) for row in rows]

    def to_data(
        self, request: Any, objects: Any, *, many: bool, context: Mapping[str, Any] | None = None
    ) -> Any:
        """Turn what ``queryset()`` returned (a page of it, or one row in a list) into response data.
        ``context[MORE_URL]`` builds the ``_more`` links of lists cut at ``expand_limit``."""
        context = context or {"request": request}
        if self.rows is not None:
            rows = self.rows.build(request, list(objects), context.get(MORE_URL))
            return rows if many else rows[0]
        objects = list(objects)
        if self.instances is not None:
            self.instances.settle(objects)
        if self.instances is not None and self.instances.has_generics:
            expand_generics(request, self.selection.resource.site, objects, self.instances, plan_generic_target)
        return self.serializer_class(objects if many else objects[0], many=many, context=context).data


class Pageable:
    """Sliceable and countable like a queryset, for DRF's and cruddy's paginators."""

    def __init__(self, base: QuerySet, planned: QuerySet) -> None:
        self.base = base
        self.planned = planned

    def count(self) -> int:
        return self.base.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        return self.planned[index]

    def __iter__(self) -> Any:
        return iter(self.planned)


def rows_per_item(selection: Selection) -> int:
    """1 for the row, plus for each expansion its rows: one for a to-one relation, ``expand_limit`` for a
    to-many one, each with its own expansions. (Lists of pks are values, not rows.)"""
    total = 1
    for name, child in selection.fields.items():
        if child is not None:
            item = selection.selectable[name]
            total += (expand_limit(item.target) if item.to_many else 1) * rows_per_item(child)
    return total


def build_plan(selection: Selection, *, fast: bool = True,
               serializer_class: type[serializers.Serializer] | None = None) -> ReadPlan:
    """The plan for a selection, cached on the site: building one compiles code and walks the selection.
    ``serializer_class`` (a view's own) sends the read down the DRF path, serialized with that class."""
    fast = fast and serializer_class is None and cruddy_settings.FAST_READS
    # Joins depend on which related models have before_query receivers: plan again when that changes.
    listening = frozenset(model for model in _models(selection) if signals.before_query.has_listeners(model))
    key = (selection.key(), fast, serializer_class, listening)
    return selection.resource.site.cache.get("plan", key, lambda: _plan(selection, fast, serializer_class),
                                             limit=PLAN_CACHE_SIZE)


def _models(selection: Selection) -> set[Any]:
    found = {selection.resource.model}
    for name, child in selection.fields.items():
        if child is not None and selection.selectable[name].kind == "relation":
            found |= _models(child)
    return found


def _plan(selection: Selection, fast: bool, serializer_class: type[serializers.Serializer] | None) -> ReadPlan:
    plan = ReadPlan(selection, base_serializer=serializer_class)
    if fast:
        try:
            plan.rows = compile_rows(selection)
        except NotFast:
            plan.rows = None
    if plan.rows is None:
        plan.instances = plan_instances(selection)
        if serializer_class is not None:
            plan.instances.only = None  # a view's own serializer may read any column
    return plan


def plan_generic_target(access: Access) -> InstancePlan:
    """How a row that a generic foreign key points to is read when expanded: its resource's default fields."""
    plan = build_plan(default_selection(access), fast=False)
    if plan.instances is None:  # never: fast=False plans instances
        raise TypeError("A generic target needs an instance plan.")
    return plan.instances


def plan_read(access: Access, *, fast: bool = True,
              serializer_class: type[serializers.Serializer] | None = None) -> ReadPlan:
    """Parse and validate the request's selection on the access object's resource and plan its read.
    ``fast=False`` or a ``serializer_class`` (a view that customises its serializer) asks for the DRF path.
    Relation routes call this with the child resource's access and their own base queryset."""
    return build_plan(parse_selection(access), fast=fast, serializer_class=serializer_class)
