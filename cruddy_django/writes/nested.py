"""Nested writes (DESIGN.md §2): a row with its related rows in one request, validated whole, then written.

    POST /api/assets/rockets/  {"code": "SAT-V", "name": "Saturn V", "parts": [
        {"code": "S-IC", "material": 1, "quantity": 5},
        {"code": "S-II", "material": {"code": "AL", "name": "Aluminium", "price": 3.5}, "quantity": 2}]}

    nested = NestedWrite(site, request, context=view.get_serializer_context(), allowed=rights_check)
    if nested.applies(resource, items):
        rows = nested.save(resource, items)          # or instances=[row], partial=True for a PATCH

In a body, a forward to-one relation may be an object: created, or updated when it carries its pk. A to-many
relation (a reverse foreign key, a many-to-many on either side, a through model's rows, a generic relation) and
a reverse one-to-one take a list of objects and/or pks that becomes the members, as the relation route's PUT
does: objects with a pk are updated, objects without are created, pks are linked, members left out are
detached (unlinked, or deleted when they cannot live without the row).

Everything is read and checked before anything is written: the rows named by pk are looked up in one query
per resource within the request's scope, each row passes its own resource's policies (create, or
partial_update), field rules and validation (items of one relation are validated together, so look-ups are
batched), and errors are keyed by their path, ``parts[2].quantity``. Then each row is written by a
``RowWriter`` of its model (signals once per row), related rows in dependency order, all in the request's
transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError

from cruddy_django.access import Access, access_for
from cruddy_django.conf import cruddy_settings
from cruddy_django.drf.bulk import BulkListSerializer
from cruddy_django.drf.serializers import has_custom_save, refuse_protected_relationships, serializer_class_for
from cruddy_django.introspection import model_graph, verbose_names
from cruddy_django.orm.batches import chunks
from cruddy_django.writes.envelope import BadRequest
from cruddy_django.writes.rowplans import Linked, PlanWriter, RowPlan, back_link

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo
    from cruddy_django.registry import Resource, ResourceRegistry

__all__ = ["NestedWrite"]

# May this request do ``action`` ("create", "partial_update") on a resource's row ``obj`` (None: any row)?
Allowed = Callable[["Resource", str, Any], bool]


class NestedWrite:
    """Plans, checks and writes one request's nested body (see the module's docstring)."""

    def __init__(self, site: ResourceRegistry, request: Any, *, context: Mapping[str, Any], allowed: Allowed,
                 using: str | None = None, max_rows: int | None = None) -> None:
        self.max_rows = max_rows
        self.site = site
        self.request = request
        self.context = context
        self.allowed = allowed
        self.using = using
        self.max_depth: int = cruddy_settings.MAX_EXPAND_DEPTH
        self.errors: dict[int, dict[str, Any]] = defaultdict(dict)
        self.plans: list[RowPlan] = []  # every row of the body, parents before children
        self.linked: list[tuple[Resource, Linked]] = []

    # -- does a body need this? ---------------------------------------------------------------------------
    def relation(self, access: Access, name: str) -> FieldInfo | None:
        """A relation a body may write nested rows into: an exposed one, or a reverse one the resource does
        not list (``Resource.reverse_relations``)."""
        info = access.options.exposed_fields.get(name) or access.resource.reverse_relations.get(name)
        return info if info is not None and info.relation is not None else None

    def is_nested(self, access: Access, name: str, value: Any) -> bool:
        info = self.relation(access, name)
        if info is None:
            return False
        relation = info.link
        if name not in access.options.exposed_fields or (relation.reverse and not relation.to_many):
            return True  # a reverse relation the serializer does not write: only nested writes do
        if not relation.to_many:
            return isinstance(value, dict)
        return isinstance(value, list) and any(isinstance(item, dict) for item in value)

    def applies(self, resource: Resource, items: Iterable[Any]) -> bool:
        """Does any item write related rows (an object for a relation, or an unlisted reverse relation)?"""
        access = access_for(self.request, resource)
        return any(isinstance(item, dict) and any(self.is_nested(access, name, value) for name, value in item.items())
                   for item in items)

    # -- the whole thing --------------------------------------------------------------------------------
    def save(self, resource: Resource, items: list[Any], *, instances: Sequence[Any] | None = None,
             partial: bool | Sequence[bool] = False, many: bool = False,
             indexes: Sequence[int] | None = None) -> list[Any]:
        """Plan, check and write ``items`` (with ``instances``: the rows they update, None for a new one;
        ``partial`` for all or per item); returns the rows. Raises a ``ValidationError`` keyed by path (and by
        item index, from ``indexes`` when given, when ``many``), or ``PermissionDenied``."""
        roots = [self.plan(resource, item, root=indexes[index] if indexes else index, path="", depth=0,
                           instance=instances[index] if instances else None,
                           partial=partial if isinstance(partial, bool) else partial[index])
                 for index, item in enumerate(items)]
        if self.max_rows is not None and self.row_count > self.max_rows:
            raise BadRequest(f"This request writes {self.row_count} rows, nested ones included; one request may "
                             f"write at most {self.max_rows} (max_bulk). Split it into smaller requests.")
        self.resolve()
        self.raise_errors(many)
        self.check_policies(roots)
        self.validate()
        self.check_siblings()
        self.raise_errors(many)
        PlanWriter(self.site, self.request, self.using).write(resource, roots)
        return [plan.instance for plan in roots]

    @property
    def row_count(self) -> int:
        return len(self.plans) + len(self.linked)

    def raise_errors(self, many: bool) -> None:
        errors = {root: detail for root, detail in self.errors.items() if detail}
        if not errors:
            return
        if many:
            raise ValidationError(errors)  # type: ignore[arg-type]  # DRF keeps int keys as they are
        raise ValidationError(next(iter(errors.values())))

    def fail(self, root: int, path: str, message: Any) -> None:
        """Record an error at ``path`` (``parts[2].quantity``; the first one there wins)."""
        messages = message if isinstance(message, list | dict) else [message]
        self.errors[root].setdefault(path or "non_field_errors", messages)

    # -- planning: the tree of rows, no query -----------------------------------------------------------
    def plan(self, resource: Resource, item: Any, *, root: int, path: str, depth: int, instance: Any = None,
             partial: bool = False, link: str | None = None) -> RowPlan:
        plan = RowPlan(resource, path, root, instance=instance, partial=partial)
        self.plans.append(plan)
        if not isinstance(item, dict):
            plan.usable = False
            self.fail(root, path, f"Expected an object, not {type(item).__name__}.")
            return plan
        access = access_for(self.request, resource)
        if depth:  # a related row: the pk it names is the row it updates
            graph = resource.options.graph
            pk = item.get("id", item.get(graph.pk_name))
            if pk is not None:
                plan.pk, plan.partial = pk, True
        try:
            refuse_protected_relationships(resource, item, creating=plan.creating)
        except ValidationError as error:
            for name, messages in error.detail.items():  # type: ignore[union-attr]  # always a dict here
                self.fail(root, plan.at(name), messages)
        if link is not None:
            plan.stripped.add(link)
        for name, value in item.items():
            if name == link or (depth and name in {"id", resource.options.graph.pk_name}):
                continue  # the parent decides the link; the pk named the row
            if not self.is_nested(access, name, value):
                plan.data[name] = value
                continue
            self.plan_relation(plan, access, name, value, depth)
        return plan

    def plan_relation(self, plan: RowPlan, access: Access, name: str, value: Any, depth: int) -> None:
        info = self.relation(access, name)
        target = access.resource.related_resource(info) if info is not None else None
        if info is None or target is None:
            self.fail(plan.root, plan.at(name), "This relation leads off the API: send the primary key.")
            return
        if not self.may_write(access, info, plan.instance):
            self.fail(plan.root, plan.at(name), "You may not set this field.")
            return
        if depth + 1 > self.max_depth:
            self.fail(plan.root, plan.at(name), f"Nested rows go at most {self.max_depth} levels deep.")
            return
        relation = info.link
        plan.stripped.add(name)
        if not relation.to_many and not relation.reverse:  # a forward to-one: the row it points to
            plan.to_one[name] = self.plan(target, value, root=plan.root, path=plan.at(name), depth=depth + 1)
            return
        if relation.to_many and not isinstance(value, list):
            self.fail(plan.root, plan.at(name), "Send a list of objects and/or ids.")
            return
        entries = value if relation.to_many else ([] if value is None else [value])
        link = back_link(info)
        members: list[RowPlan | Linked] = []
        for index, entry in enumerate(entries):
            path = f"{plan.at(name)}[{index}]" if relation.to_many else plan.at(name)
            if isinstance(entry, dict):
                members.append(self.plan(target, entry, root=plan.root, path=path, depth=depth + 1, link=link))
            elif isinstance(entry, str | int) and not isinstance(entry, bool):
                linked = Linked(entry, path, plan.root)
                self.linked.append((target, linked))
                members.append(linked)
            else:
                self.fail(plan.root, path, "Expected an object or an id.")
        plan.to_many[name] = members

    @staticmethod
    def may_write(access: Access, info: FieldInfo, instance: Any) -> bool:
        """An exposed relation as its write rules say; an unlisted reverse relation unless a rule refuses."""
        if info.name in access.options.exposed_fields:
            return access.can_write(info.name, instance) or bool(info.relation and info.relation.reverse and
                                                                 not info.relation.to_many)
        rule = access.options.field_rules.get(info.name, {}).get("write")
        return rule is None or bool(rule(access.request, instance))

    # -- the rows named by pk, within the request's scope ---------------------------------------------------
    def resolve(self) -> None:
        """Look up every row named by pk, one query per resource (in chunks); a pk outside the scope names
        nothing."""
        wanted: dict[Resource, list[RowPlan | Linked]] = defaultdict(list)
        for plan in self.plans:
            if plan.pk is not None:
                wanted[plan.resource].append(plan)
        for resource, linked in self.linked:
            wanted[resource].append(linked)
        for resource, entries in wanted.items():
            graph = model_graph(resource.model)
            to_python = graph.fields[graph.pk_name].model_field.to_python
            keys: dict[int, Any] = {}
            for entry in entries:
                try:
                    keys[id(entry)] = to_python(entry.pk)
                except (DjangoValidationError, TypeError, ValueError):
                    keys[id(entry)] = None
            found: dict[Any, Any] = {}
            rows = access_for(self.request, resource).rows()
            for part in chunks(sorted({key for key in keys.values() if key is not None}, key=str)):
                found.update(rows.in_bulk(part))
            name = verbose_names(resource.model)[0]
            for entry in entries:
                entry.instance = found.get(keys[id(entry)])
                if entry.instance is None:
                    self.fail(entry.root, entry.path, f"No {name} with id {entry.pk!r}.")

    # -- policies, then validation --------------------------------------------------------------------------
    def check_policies(self, roots: list[RowPlan]) -> None:
        """Each related row passes its own resource's create or partial_update policies (the view checked the
        rows of the request's own resource)."""
        top = {id(plan) for plan in roots}
        for plan in self.plans:
            if id(plan) in top:
                continue
            action = "create" if plan.creating else "partial_update"
            if not self.allowed(plan.resource, action, plan.instance):
                verb = "create" if plan.creating else "change"
                raise PermissionDenied(f"'{plan.path}': you may not {verb} "
                                       f"{verbose_names(plan.resource.model)[1]}.")

    def validate(self) -> None:
        """Validate the rows with their resources' serializers: rows of one resource that leave out the same
        fields are validated as one array, so related pks and unique values are looked up once."""
        groups: dict[tuple[Resource, frozenset[str], bool], list[RowPlan]] = defaultdict(list)
        for plan in self.plans:
            if plan.usable:
                groups[(plan.resource, frozenset(plan.stripped), plan.partial)].append(plan)
        for (resource, stripped, partial), plans in groups.items():
            self.validate_group(resource, stripped, partial, plans)

    def validate_group(self, resource: Resource, stripped: frozenset[str], partial: bool,
                       plans: list[RowPlan]) -> None:
        serializer = serializer_class_for(resource)(data=[plan.data for plan in plans], many=True,
                                                    partial=partial, context=self.context)
        if not isinstance(serializer, BulkListSerializer) or has_custom_save(serializer):
            for plan in plans:
                self.fail(plan.root, plan.path, f"Rows of {resource.options.path} are written by their own "
                                                "serializer: write them on their own route.")
            return
        for name in stripped:
            serializer.child.fields.pop(name, None)  # written by this request, after validation
        serializer.item_instances = [plan.instance for plan in plans]
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError as error:
            detail: Any = error.detail
            for index, item_errors in (detail.items() if isinstance(detail, dict) else ()):
                plan = plans[int(index)]
                if not isinstance(item_errors, dict):
                    self.fail(plan.root, plan.path, item_errors)
                    continue
                for name, messages in item_errors.items():
                    self.fail(plan.root, plan.path if name == "non_field_errors" else plan.at(name), messages)
            return
        for plan, validated in zip(plans, serializer.validated_data, strict=True):
            plan.validated = dict(validated)

    def check_siblings(self) -> None:
        """Members of one relation that a unique-together group with the link would make collide (two parts
        of one rocket with the same code): the database would refuse the second one; say which."""
        for plan in self.plans:
            for name, members in plan.to_many.items():
                info = plan.resource.options.graph.fields[name]
                link = back_link(info)
                if link is None:
                    continue
                for group in model_graph(info.link.related_model).unique_together:
                    if link not in group:
                        continue
                    others = [column for column in group if column != link]
                    seen: dict[tuple[Any, ...], int] = {}
                    for index, member in enumerate(members):
                        if not isinstance(member, RowPlan) or not member.validated:
                            continue
                        key = tuple(_value(member, column) for column in others)
                        if key in seen:
                            self.fail(member.root, member.at(others[0]),
                                      f"Item {seen[key]} of '{name}' has the same {', '.join(others)}.")
                        else:
                            seen[key] = index

def _value(plan: RowPlan, column: str) -> Any:
    if column in plan.validated or plan.instance is None:
        value = plan.validated.get(column)
        return getattr(value, "pk", value)
    # The stored key, not the related row: reading the relation would load each member's target.
    field = plan.instance._meta.get_field(column)
    return getattr(plan.instance, field.attname if field.concrete else column, None)

