"""Compile a parsed query tree into a Django ``Q`` and ORDER BY terms, checking every path and value.

    compiler = QueryCompiler(access_for(request, site.get_resource("Mission")))
    q = compiler.compile(parse_dotted([(".crew.lead.id", "in~1,2")]))
    queryset = compiler.prepare(queryset).filter(q)
    queryset = queryset.order_by(*compiler.compile_sort(parse_sort(["-launch_date"])))

Only what the request may read can be filtered or sorted: each step of a path must be a field its access object
calls readable, and a relation may be crossed only into a resource of the same site (whose scope then bounds the
rows the condition can see). A to-many hop compiles to an ``IN`` sub-query, so a row never repeats in a page.
Every mistake raises ``QueryError`` naming the parameter and the bad part; the filter backend makes it a 400.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db import connections, models, router
from django.db.models import Case, F, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast as DbCast

from cruddy_django.access import Access, access_for
from cruddy_django.introspection import model_graph
from cruddy_django.introspection.kinds import CAST_COLUMN, JSON_KEY, ORDERED
from cruddy_django.orm.casts import cast_column, check_reference, check_text_search_config, check_value_cast
from cruddy_django.orm.computed import annotate_computed, expression_output_field
from cruddy_django.orm.fulltext import text_search_configs
from cruddy_django.orm.generic import generic_column, named_content_type
from cruddy_django.orm.operators import (
    LOOKUPS,
    SEARCH_TYPES,
    field_kind,
    is_text,
    json_reserved_keys,
    like_q,
    lookup_q,
    query_kind,
)
from cruddy_django.orm.postgres import PART_KINDS, ColumnPart, column_part, whole_value
from cruddy_django.orm.values import cast_datetime, convert, convert_loose, to_boolean, to_text
from cruddy_django.query import (
    And,
    Cast,
    Condition,
    FieldRef,
    Group,
    MalformedValue,
    Node,
    Not,
    Or,
    Path,
    PathStep,
    Pattern,
    QueryError,
    SortKey,
    UnknownOperator,
    format_path,
)
from cruddy_django.query.errors import clip

if TYPE_CHECKING:
    from cruddy_django.introspection import FieldInfo, GenericKey
    from cruddy_django.registry import Resource

__all__ = ["QueryCompiler", "Target"]


@dataclass
class Target:
    """Where a path lands: the lookup from the current model, the final field and what was crossed."""

    lookup: str
    info: FieldInfo | None
    access: Access
    json_keys: tuple[str, ...] = ()
    computed: str | None = None
    scope_guards: list[Q] = field(default_factory=list)
    # The key whose content type the path names (``target.type``): compared with resource names.
    generic_type: GenericKey | None = None
    # A part of a PostgreSQL column (an array's length or item, a range's bound, an hstore key).
    part: ColumnPart | None = None

    @property
    def final_field(self) -> FieldInfo:
        """The field the path ends at, for code that knows it ends at one (a path to a relation's rows raises)."""
        if self.info is None:
            raise TypeError(f"The path '{self.lookup}' does not end at a field.")
        return self.info


class QueryCompiler:
    """Compiles trees for one request on one resource: its access object says what may be read and seen."""

    def __init__(self, access: Access | Resource, request: Any = None, *, allow_regex: bool = False) -> None:
        """``QueryCompiler(access)``, or ``QueryCompiler(resource, request)`` for that request's access."""
        self.access = access if isinstance(access, Access) else access_for(request, access)
        self.resource = self.access.resource
        self.allow_regex = allow_regex
        self.computed_used: set[str] = set()
        self._reference_guards: list[Q] = []  # the scope guards of the condition's column references

    # -- public API --------------------------------------------------------------------------------
    def compile(self, node: Node) -> Q:
        return self._node(node, self.access, depth=0)

    def compile_sort(self, keys: tuple[SortKey, ...]) -> list[Any]:
        """ORDER BY terms. A value read across a scoped hop sorts as null on rows whose related row the
        request may not see, so the order never reveals it."""
        terms = []
        for key in keys:
            target = self.resolve(key.path, self.access, param=key.param, source=key.source,
                                   allow_to_many=False, purpose="sorted")
            if target.info is not None and target.info.relation is not None and target.info.relation.to_many:
                # `sort=members*`: ordering by a join would repeat rows and order them by related rows out of scope
                raise MalformedValue(
                    f"'{key.path[-1].name}' in '{clip(key.source)}' is a to-many relation of "
                    f"{target.access.options.path}; it cannot be sorted on.", param=key.param, path=key.source)
            expression: Any = _json_text(target) if target.json_keys else F(target.lookup)
            if target.scope_guards:
                output = models.TextField() if target.json_keys else target.final_field.model_field
                expression = Case(When(reduce(operator.and_, target.scope_guards), then=expression),
                                  default=Value(None), output_field=output)
            nulls = {"first": {"nulls_first": True}, "last": {"nulls_last": True}}.get(key.nulls or "", {})
            terms.append(expression.desc(**nulls) if key.descending else expression.asc(**nulls))
        return terms

    def prepare(self, queryset: models.QuerySet) -> models.QuerySet:
        """Annotate the computed fields the compiled conditions or sort keys use (aggregates in a correlated
        subquery, so a join added by a to-many filter never multiplies them)."""
        return annotate_computed(self.resource, queryset, sorted(self.computed_used))

    # -- nodes -------------------------------------------------------------------------------------
    def _node(self, node: Node, access: Access, depth: int) -> Q:
        if isinstance(node, Condition):
            return self._condition(node, access, depth)
        if isinstance(node, And):
            result = Q()
            for child in node.children:
                result &= self._node(child, access, depth)
            return result
        if isinstance(node, Or):
            result = self._node(node.children[0], access, depth)
            for child in node.children[1:]:
                result |= self._node(child, access, depth)
            return result
        if isinstance(node, Not):
            return ~self._node(node.child, access, depth)
        if isinstance(node, Group):
            return self._to_many(node.path, access, depth, lambda inner, level: self._node(node.node, inner,
                                                                                           level))
        raise TypeError(f"Unknown query node {node!r}")  # pragma: no cover - the parsers emit no other

    def _condition(self, condition: Condition, access: Access, depth: int) -> Q:
        split = self._first_to_many(condition.path, access, condition)
        if split is not None:
            hop_path, rest = split
            relative = Condition(rest, condition.operator, condition.value, param=condition.param,
                                 source=condition.source, cast=condition.cast, cast_args=condition.cast_args)
            return self._to_many(hop_path, access, depth,
                                 lambda inner, level: self._condition(relative, inner, level))
        target = self.resolve(condition.path, access, param=condition.param, source=condition.source,
                               allow_to_many=False, purpose="filtered")
        self._reference_guards = []
        if target.info is not None and target.info.relation is not None and target.info.relation.to_many:
            self._operand(target, condition)  # the operators a to-many relation takes, or a 400
            return self._members(condition, access, depth)
        q = self._comparison(target, condition, depth)
        # A row across a scoped hop, on either side of the comparison, that the request may not see makes
        # the condition false: the answer never depends on it.
        for guard in [*target.scope_guards, *self._reference_guards]:
            q &= guard
        return q

    def _to_many(self, hop_path: Path, access: Access, depth: int, inner_q: Any) -> Q:
        """``exists a related row such that ...``: the rows of the model owning the to-many relation
        whose related rows (within the target's scope) satisfy the inner condition, as an IN sub-query."""
        param = format_path(hop_path)
        owner_path, hop = hop_path[:-1], hop_path[-1]
        owner = self.resolve(owner_path, access, param=param, source=param, allow_to_many=False,
                             purpose="filtered", want_relation=True) if owner_path else None
        owner_access = owner.access if owner else access
        info = self._field(owner_access, hop.name, param=param, source=param)
        self._check_marker(hop, info, param, param)  # a group's hop ('.lead.name*.id=ge~1;le~2') is checked too
        related = self._related(owner_access, info, param=param)
        inner_queryset = related.rows().filter(inner_q(related, depth + 1))
        owners = owner_access.resource.model._default_manager.filter(
            **{f"{info.query_name}__in": inner_queryset.values("pk")}
        ).values("pk")
        q = Q(**{f"{owner.lookup}__in" if owner else "pk__in": owners})
        for guard in owner.scope_guards if owner else ():
            q &= guard
        return q

    def _members(self, condition: Condition, access: Access, depth: int) -> Q:
        """A to-many relation compared as a whole (``{"books": {"*in": [1, 2]}}``, ``books.$eq=null``): the rows
        with a member (within the related scope) of those pks, or with no member at all; never a join that
        would repeat a row."""
        empty = None
        if condition.operator == "null":
            empty = to_boolean(condition.value, condition)
        elif condition.value is None and condition.operator in {"eq", "ne"}:
            empty = condition.operator == "eq"
        if empty is not None:
            has_members = self._to_many(condition.path, access, depth, lambda inner, level: Q())
            return ~has_members if empty else has_members
        by_pk = Condition((PathStep("pk"),), condition.operator, condition.value, param=condition.param,
                          source=condition.source)
        return self._to_many(condition.path, access, depth, lambda inner, level: self._condition(by_pk, inner, level))

    # -- paths -------------------------------------------------------------------------------------
    def _first_to_many(
        self, path: Path, access: Access, condition: Condition
    ) -> tuple[Path, Path] | None:
        """Split a path after its first to-many hop, when it has one and something follows."""
        current = access
        for index, step in enumerate(path[:-1]):
            info = current.reachable.get(step.name) or self._id_alias(current, step.name)
            if info is None or info.relation is None:
                return None  # _resolve will explain the problem, or it is a JSON key path
            if info.relation.to_many:
                self._check_marker(step, info, condition.param, condition.source)
                return path[: index + 1], path[index + 1 :]
            related = current.related(info)
            if related is None:
                return None
            current = related
        return None

    def resolve(self, path: Path, access: Access, *, param: str, source: str, allow_to_many: bool,
                purpose: str, want_relation: bool = False) -> Target:
        current = access
        parts: list[str] = []
        guards: list[Q] = []
        for index, step in enumerate(path):
            last = index == len(path) - 1
            if last and step.name in current.options.computed and current is self.access \
                    and current.can_read(step.name):
                self.computed_used.add(step.name)
                return Target("__".join([*parts, step.name]), None, current, computed=step.name,
                              scope_guards=guards)
            info = self._field(current, step.name, param=param, source=source, purpose=purpose)
            if info.generic is not None:
                return self._generic_part(path[index + 1:], info, current, parts, guards, param=param,
                                          source=source, purpose=purpose)
            parts.append(info.query_name if info.relation else info.name)
            if info.relation is None:
                if last:
                    return Target("__".join(parts), info, current, scope_guards=guards)
                if (info_kind := field_kind(info)) and info_kind[0] == "json":
                    keys = tuple(item.name for item in path[index + 1 :])
                    return Target("__".join(parts), info, current, json_keys=keys, scope_guards=guards)
                if info_kind and info_kind[0] in PART_KINDS and index == len(path) - 2:
                    part = column_part(info, path[-1].name, param=param, source=source)
                    return Target("__".join(parts) + part.suffix, info, current, scope_guards=guards, part=part)
                raise MalformedValue(
                    f"'{step.name}' in '{clip(source)}' is a column of {current.options.path}, so nothing can "
                    "follow it in the path.",
                    param=param, path=source)
            self._check_marker(step, info, param, source)
            if info.relation.to_many and not allow_to_many:
                if last and not want_relation:
                    return Target("__".join(parts), info, current, scope_guards=guards)
                raise MalformedValue(
                    f"'{step.name}' in '{clip(source)}' is a to-many relation of {current.options.path}; "
                    f"it cannot be {purpose} on.", param=param, path=source)
            if last and not want_relation:
                return Target("__".join(parts), info, current, scope_guards=guards)
            related = self._related(current, info, param=param, source=source)
            if related.scoped:
                guards.append(Q(**{f"{'__'.join(parts)}__in": related.rows().values("pk")}))
            current = related
        return Target("__".join(parts), None, current, scope_guards=guards)

    @staticmethod
    def _generic_part(rest: Path, info: FieldInfo, access: Access, parts: list[str], guards: list[Q], *,
                      param: str, source: str, purpose: str) -> Target:
        """``target.type`` or ``target.id`` of a generic foreign key: one of the two columns behind it."""
        name, is_type = generic_column(info, [step.name for step in rest], param=param, source=source,
                                       purpose=purpose)
        return Target("__".join([*parts, name]), access.options.graph.fields[name], access, scope_guards=guards,
                      generic_type=info.generic if is_type else None)

    def _field(self, access: Access, name: str, *, param: str, source: str,
               purpose: str = "filtered") -> FieldInfo:
        readable = access.reachable
        info = readable.get(name) or self._id_alias(access, name)
        if info is None and name in access.per_row:
            raise QueryError(
                f"'{clip(name)}' in '{clip(source)}' is shown on some rows only (a field rule decides per row), so "
                f"{access.options.path} cannot be {purpose} on it.", param=param, path=source, code="unknown_field")
        if info is None:
            names = sorted({*readable, "id", *(name for name in access.options.computed if access.can_read(name))})
            raise QueryError(
                f"Unknown field '{clip(name)}' in '{clip(source)}': {access.options.path} can be {purpose} "
                f"on {', '.join(names)}.", param=param, path=source, code="unknown_field")
        return info

    @staticmethod
    def _id_alias(access: Access, name: str) -> FieldInfo | None:
        if name in {"id", "pk"}:
            return access.options.graph.fields[access.options.graph.pk_name]
        return None

    @staticmethod
    def _related(access: Access, info: FieldInfo, *, param: str, source: str | None = None) -> Access:
        related = access.related(info)
        if related is None:
            raise QueryError(
                f"'{info.name}' in '{clip(source or param)}' links {access.options.path} to a model that "
                "is not on the API: it can be compared by primary key but not traversed.",
                param=param, path=source or param, code="not_traversable")
        return related

    @staticmethod
    def _check_marker(step: Any, info: FieldInfo, param: str, source: str) -> None:
        to_many = bool(info.relation and info.relation.to_many)
        if step.to_many is False and to_many:
            raise MalformedValue(
                f"'{step.name}' in '{clip(source)}' is a to-many relation: mark it '{step.name}*' "
                f"(as in '.{step.name}*.id=1').", param=param, path=source)
        if step.to_many is True and not to_many:
            raise MalformedValue(
                f"'{step.name}*' in '{clip(source)}' marks a to-many hop, but '{step.name}' is a to-one "
                "relation or a column: remove the '*'.", param=param, path=source)

    # -- comparisons -------------------------------------------------------------------------------
    def _operand(self, target: Target, condition: Condition) -> tuple[str, Any]:
        """The kind and left-hand side of a comparison, once its operator is known to suit the target."""
        kind, allowed, lhs = self._left_side(target, condition)
        if not allowed:
            raise QueryError(f"'{clip(condition.source)}' cannot be filtered: its values (files, bytes) are not "
                             "compared.", param=condition.param, path=condition.source, code="not_filterable")
        if condition.operator not in allowed:
            raise UnknownOperator(
                f"The operator '{condition.operator}' cannot be used on '{clip(condition.source)}' ({kind}); use "
                f"one of {', '.join(allowed)}.", param=condition.param, path=condition.source)
        return kind, lhs

    def _comparison(self, target: Target, condition: Condition, depth: int) -> Q:
        operator, param, source = condition.operator, condition.param, condition.source
        kind, lhs = self._operand(target, condition)
        if operator == "regex" and not self.allow_regex:
            raise QueryError(
                f"Regular-expression filters are disabled ('{clip(source)}'); the site enables them with "
                "CRUDDY_DJANGO['ALLOW_REGEX'] = True.", param=param, path=source, code="regex_disabled")
        containment = operator in {"contains", "contained_by"} and kind == "json"
        if containment and not self._connection().features.supports_json_field_contains:
            raise QueryError(
                f"JSON containment ('{clip(source)}') needs PostgreSQL; this database is "
                f"{self._connection().vendor}.", param=param, path=source, code="unsupported")
        if operator in {"match", "websearch"} or condition.cast == "tsvector":
            return self._full_text(target, condition)
        if operator in {"like", "nlike", "ilike", "nilike"}:
            return self._like(lhs, condition, address=isinstance(getattr(target.info, "model_field", None),
                                                                  models.GenericIPAddressField))
        if condition.value is None or (isinstance(condition.value, tuple | list) and None in condition.value):
            return self._null_comparison(lhs, condition)
        lookup, negated = LOOKUPS[operator]
        value = self._value(target, condition, kind, depth)
        q = lookup_q(lhs, lookup, value, condition)
        return ~q if negated else q

    def _left_side(self, target: Target, condition: Condition) -> tuple[str, tuple[str, ...], Any]:
        """The kind, allowed operators and left-hand side (a lookup string or an expression)."""
        if target.part is not None:
            return target.part.kind, target.part.operators, target.lookup
        if target.computed:
            output_field = expression_output_field(self.resource, target.computed)
            kind, allowed = query_kind(output_field) or ("number", ORDERED)
            return kind, allowed, target.lookup
        if target.json_keys:
            for key in target.json_keys:
                if key in json_reserved_keys():
                    raise MalformedValue(
                        f"The JSON key '{key}' in '{clip(condition.source)}' is also an operator name, so it "
                        "cannot be used in a path.", param=condition.param, path=condition.source)
            lookup = _json_lookup(target)
            document = condition.operator in {"contains", "contained_by"} and isinstance(condition.value, list | dict)
            if is_text(condition.value) and not document:
                # Query-string values are text: compare with the key's text, so 2 and "2" both match "2".
                return "json text", JSON_KEY, DbCast(_json_text(target), models.TextField())
            return "json", JSON_KEY, lookup
        kind, allowed = field_kind(target.final_field) or ("unfilterable", ())
        if condition.cast and condition.cast != "tsvector":
            vendor = self._connection().vendor
            cast = cast_column(target.lookup, self._comparable_kind(target, kind), condition.cast, condition, vendor)
            return condition.cast, CAST_COLUMN, cast
        return kind, allowed, target.lookup

    @staticmethod
    def _comparable_kind(target: Target, kind: str) -> str:
        """The kind a column compares as: a foreign key as the primary key it holds."""
        info = target.info
        if kind == "relation" and info is not None and info.relation is not None and not info.relation.to_many:
            graph = model_graph(info.relation.related_model)
            pk_kind = field_kind(graph.fields[graph.pk_name])
            return pk_kind[0] if pk_kind else kind
        return kind

    @staticmethod
    def _null_comparison(lhs: Any, condition: Condition) -> Q:
        """``eq null`` is IS NULL and ``ne null`` IS NOT NULL; any other comparison with null is a mistake."""
        if condition.operator not in {"eq", "ne"} or condition.value is not None:
            raise MalformedValue(f"'{clip(condition.source)}' compares with null; only equality can "
                                 "(or use the null operator).", param=condition.param, path=condition.source)
        return lookup_q(lhs, "isnull", condition.operator == "eq", condition)

    def _connection(self) -> Any:
        return connections[router.db_for_read(self.resource.model)]

    def _like(self, lhs: Any, condition: Condition, *, address: bool = False) -> Q:
        pattern = condition.value
        if not isinstance(pattern, Pattern):
            raise MalformedValue(f"'{clip(condition.source)}' needs a pattern.", param=condition.param,
                                 path=condition.source)
        insensitive = condition.operator in {"ilike", "nilike"}
        simple = pattern.simple()
        if simple is not None:
            lookup, text = simple
            # an address column compares whole addresses with `exact` (inet on PostgreSQL): compare its text
            lookup = ("i" + lookup) if insensitive or (address and lookup == "exact") else lookup
            q = lookup_q(lhs, lookup, text, condition)
        else:  # wildcards in the middle: the database's LIKE, never a regular expression
            q = like_q(lhs, pattern, insensitive=insensitive)
        return ~q if condition.operator in {"nlike", "nilike"} else q

    def _full_text(self, target: Target, condition: Condition) -> Q:
        if self._connection().vendor != "postgresql":
            raise QueryError(
                f"Full-text search ('{clip(condition.source)}') needs PostgreSQL; this database is "
                f"{self._connection().vendor}.",
                param=condition.param, path=condition.source, code="unsupported")
        from django.contrib.postgres.search import SearchQuery, SearchVector

        if condition.operator not in {"match", "websearch"}:
            raise UnknownOperator(f"A tsvector column ('{clip(condition.source)}') takes *match or "
                                  "*websearch_to_tsquery.", param=condition.param, path=condition.source)
        if not isinstance(condition.value, str):
            raise MalformedValue(f"'{clip(condition.source)}' needs a text to search for.",
                                 param=condition.param, path=condition.source)
        config = condition.cast_args[0] if condition.cast_args else None  # None: the database's default
        if config is not None:
            check_text_search_config(config, text_search_configs(self._connection()), condition)
        search_type = SEARCH_TYPES[condition.operator]
        query = SearchQuery(condition.value, search_type=search_type, config=config)
        kind = field_kind(target.info) if target.info is not None and not target.json_keys else None
        if kind is not None and kind[0] == "search":  # a search vector column: matched as it is
            return Q(**{target.lookup: query})
        vector = SearchVector(target.lookup, config=config)
        exact = vector.output_field.get_lookup("exact")
        if exact is None:  # never: SearchVectorField registers SearchVectorExact
            raise TypeError("A search vector has no exact lookup.")
        return Q(exact(vector, query))

    # -- values ------------------------------------------------------------------------------------
    def _value(self, target: Target, condition: Condition, kind: str, depth: int) -> Any:
        value, operator = condition.value, condition.operator
        if operator == "null":
            return to_boolean(value, condition)
        if operator in {"in", "nin", "between", "has_any", "has_all"}:
            items = value if isinstance(value, tuple | list) else (value,)
            if operator == "between" and len(items) != 2:
                raise MalformedValue(f"'{clip(condition.source)}' needs two values, low and high.",
                                     param=condition.param, path=condition.source)
            return [self._scalar(target, condition, kind, item, depth) for item in items]
        if operator in {"has_key"}:
            return str(value)
        if isinstance(value, tuple) and kind not in PART_KINDS | {"json"}:  # `contains~a,b` on a column of one value
            raise MalformedValue(f"'{operator}' takes one value on '{clip(condition.source)}' ({kind}); escape a "
                                 "comma as '\\,'.", param=condition.param, path=condition.source)
        return self._scalar(target, condition, kind, value, depth)

    def _scalar(self, target: Target, condition: Condition, kind: str, value: Any, depth: int) -> Any:
        if target.generic_type:
            return self._content_type(target, condition, value)
        if target.part is not None:
            part = target.part
            if kind == "boolean":
                return to_boolean(value, condition)
            return convert(part.field, to_text(value, condition) if kind == "text" else value, condition, kind)
        if kind in PART_KINDS:
            return whole_value(target.final_field, condition, value)
        if isinstance(value, FieldRef):
            return self._field_ref(value, condition, depth, self._comparable_kind(target, kind))
        if isinstance(value, Cast):
            check_value_cast(kind, condition)
            return cast_datetime(value, condition)
        if target.json_keys or kind == "json" or condition.cast or target.computed:
            return convert_loose(value, kind, condition)
        info = target.info
        if info and info.relation:
            graph = model_graph(info.relation.related_model)
            return convert(graph.fields[graph.pk_name].model_field, value, condition, "primary key")
        if kind == "boolean":
            return to_boolean(value, condition)
        if kind == "text":
            value = to_text(value, condition)
        return convert(target.final_field.model_field, value, condition, kind)

    @staticmethod
    def _content_type(target: Target, condition: Condition, value: Any) -> Any:
        """A resource name given for ``target.type``: the content type its rows are stored under."""
        if target.generic_type is None:  # never: only a type's target gets here
            raise TypeError(f"'{target.lookup}' is not the type of a generic key.")
        return named_content_type(target.access.resource.site, target.generic_type, value, condition)

    def _field_ref(self, ref: FieldRef, condition: Condition, depth: int, left_kind: str) -> F:
        if depth:
            raise QueryError(f"A column reference ('{clip(condition.source)}') cannot be used inside a "
                             "to-many condition.", param=condition.param, path=condition.source,
                             code="unsupported")
        target = self.resolve(ref.path, self.access, param=condition.param, source=condition.source,
                               allow_to_many=False, purpose="compared")
        if target.info and target.info.relation and target.info.relation.to_many:
            raise MalformedValue(f"'{format_path(ref.path)}' is a to-many relation; it cannot be compared.",
                                 param=condition.param, path=condition.source)
        if target.computed:
            right_kind = (query_kind(expression_output_field(self.resource, target.computed)) or ("number",))[0]
        elif target.json_keys:
            right_kind = "json"
        else:
            right_kind = self._comparable_kind(target, (field_kind(target.final_field) or ("unfilterable",))[0])
        check_reference(left_kind, right_kind, condition)
        self._reference_guards += target.scope_guards
        return F(target.lookup)



def _json_lookup(target: Target) -> str:
    return "__".join([target.lookup, *target.json_keys])


def _json_text(target: Target) -> Any:
    """The text of a JSON key, read from the JSON column's own lookup: ``KT("lead__metadata__rank")`` would
    take ``lead`` (a relation) for the column when the path crosses one."""
    expression: Any = F(target.lookup)
    for key in target.json_keys:
        expression = KeyTextTransform(key, expression)
    return expression

