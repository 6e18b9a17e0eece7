"""The rows of a nested body (``RowPlan``, ``Linked``) and their writing, parents' targets first.

    PlanWriter(site, request, using).write(resource, plans)   # after NestedWrite planned and checked them

Rows a relation points at are written before the row, the row before its members; each kind of row in bulk
through the ``RowWriter`` of its model. Members of a reverse foreign key are kept or detached first and the new
ones created with their link; a many-to-many's rows are written, then the set is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cruddy_django.introspection import many_to_many_link, model_graph
from cruddy_django.writes.writer import RowWriter

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import Resource, ResourceRegistry

__all__ = ["Linked", "PlanWriter", "RowPlan", "back_link"]


@dataclass(eq=False)
class Linked:
    """An existing row named by its pk in a to-many list: linked, not written."""

    pk: Any
    path: str
    root: int
    instance: Any = None


@dataclass(eq=False)
class RowPlan:
    """One row of a nested body: its own fields, the rows it leads to, and what validation made of it."""

    resource: Resource
    path: str
    root: int
    data: dict[str, Any] = field(default_factory=dict)
    pk: Any = None  # the pk an object names: the row it updates
    instance: Any = None
    partial: bool = False
    to_one: dict[str, RowPlan] = field(default_factory=dict)
    to_many: dict[str, list[RowPlan | Linked]] = field(default_factory=dict)
    # Fields left out of validation: nested to-one rows (written first) and the link to the parent row.
    stripped: set[str] = field(default_factory=set)
    validated: dict[str, Any] = field(default_factory=dict)
    created: bool = False
    usable: bool = True  # False when the item was not even an object

    @property
    def creating(self) -> bool:
        return self.pk is None and self.instance is None

    def at(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name


def back_link(info: FieldInfo) -> str | None:
    """The field of a related row that points back across ``info``: a reverse foreign key's (or reverse
    one-to-one's) foreign key, a generic relation's generic foreign key; None for a many-to-many."""
    relation = info.link
    if relation.generic is not None:
        return next((other.name for other in model_graph(relation.related_model).fields.values()
                     if other.generic == relation.generic), None)
    if relation.reverse and many_to_many_link(info) is None:
        return relation.remote_name
    return None


class PlanWriter:
    """Writes planned and checked rows for one request, in one database."""

    def __init__(self, site: ResourceRegistry, request: Any, using: str | None = None) -> None:
        self.site = site
        self.request = request
        self.using = using

    def write(self, resource: Resource, plans: list[RowPlan]) -> None:
        if not plans:
            return
        for name in sorted({name for plan in plans for name in plan.to_one}):
            children = [plan.to_one[name] for plan in plans if name in plan.to_one]
            self.write(children[0].resource, children)
            for plan in plans:
                if name in plan.to_one:
                    plan.validated[name] = plan.to_one[name].instance
        writer = RowWriter(self.site, resource.model, self.request, using=self.using)
        creates = [plan for plan in plans if plan.instance is None]
        if creates:
            for plan, instance in zip(creates, writer.create([plan.validated for plan in creates]), strict=True):
                plan.instance, plan.created = instance, True
        updates = [plan for plan in plans if not plan.created]
        if updates:
            writer.update([(plan.instance, plan.validated) for plan in updates])
        for name in sorted({name for plan in plans for name in plan.to_many}):
            self.write_members(writer, [plan for plan in plans if name in plan.to_many], name)

    def write_members(self, writer: RowWriter, parents: list[RowPlan], name: str) -> None:
        """The members of a to-many relation (or reverse one-to-one) of each parent, as a relation route's PUT
        would leave them: for a reverse foreign key, the members kept first (the others are detached), then the
        new rows, created with their link; for a many-to-many, every member written, then the set replaced."""
        info = parents[0].resource.options.graph.fields[name]
        link = back_link(info)
        children = [member for parent in parents for member in parent.to_many[name] if isinstance(member, RowPlan)]
        if link is None:  # a many-to-many: write the rows, then the links
            if children:
                self.write(children[0].resource, children)
            for parent in parents:
                writer.set_relation(parent.instance, name, [member.instance for member in parent.to_many[name]],
                                    "replace")
            return
        kept = [member for member in children if not member.creating]
        if kept:
            self.write(kept[0].resource, kept)
        for parent in parents:
            existing = [member.instance for member in parent.to_many[name]
                        if not (isinstance(member, RowPlan) and member.creating)]
            if not info.link.to_many:  # a reverse one-to-one: the row there now goes first
                if not parent.created or existing:
                    writer.set_one(parent.instance, name, existing[0] if existing else None)
            elif not parent.created:  # members left out are detached before new ones arrive
                writer.set_relation(parent.instance, name, existing, "replace")
            elif existing:
                writer.set_relation(parent.instance, name, existing, "add")
        new = []
        for parent in parents:
            for member in parent.to_many[name]:
                if isinstance(member, RowPlan) and member.creating:
                    member.validated[link] = parent.instance
                    new.append(member)
        if new:
            self.write(new[0].resource, new)
