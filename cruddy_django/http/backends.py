"""DRF filter backends: every query dialect of the request, in one validated filter, plus sorting.

    GET /api/missions/?.crew.lead.id=in~1,2&where={"name":{"*icontains":"apo"}}&launch_date.$gte=2024-01-01
    GET /api/missions/?sort=-launch_date,crew.name&search=apollo&selection=recent

The dialects AND together: Plateforme's dotted filters, the JSON ``where``, backo's ``path.$op`` keys, the GET
body's ``filter``/``where``, named ``selection``s and ``search``; django-filter lookups are applied by
django-filter's own backend, after this one has checked that each of them names a readable field.
A parameter that looks like a filter but is none is a 400; parameters of no dialect (``_=123``) are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request

from cruddy_django.conf import cruddy_settings
from cruddy_django.drf.body import get_body_query, query_limits
from cruddy_django.drf.filtersets import filterset_class_for, filterset_for
from cruddy_django.http.search import ResourceSearchFilter
from cruddy_django.orm.compiler import QueryCompiler
from cruddy_django.query import (
    And,
    Node,
    PathStep,
    QueryError,
    SortKey,
    conjunction,
    is_backo_param,
    parse_backo,
    parse_dotted,
    parse_dotted_body,
    parse_sort,
    parse_where,
)
from cruddy_django.query.limits import check_items
from cruddy_django.query.parameters import BODY_FILTERS, NAMED_FILTERS, RESERVED, SORTING

if TYPE_CHECKING:
    from cruddy_django.access import Access
    from cruddy_django.registry import Resource

__all__ = ["QueryFilterBackend", "ResourceSearchFilter", "SortingBackend", "as_validation_error", "dialect_of",
           "narrows"]


def as_validation_error(error: QueryError) -> ValidationError:
    """A parser or compiler error as DRF's 400, keyed by the parameter that holds the mistake."""
    return ValidationError({error.param: [error.message]}, code=error.code)


def _query_items(request: Request) -> Iterator[tuple[str, str]]:
    for key in request.query_params:
        for value in request.query_params.getlist(key):
            yield key, value


def dialect_of(key: str, filterset_names: set[str]) -> str | None:
    """Which dialect a query parameter belongs to: ``dotted``, ``where``, ``search``, ``selection``,
    ``filterset`` or ``backo``; ``reserved`` for paging, selection and write flags; None for no dialect."""
    if key.startswith("."):
        return "dotted"
    if key in NAMED_FILTERS:
        return key
    if key in RESERVED:
        return "reserved"
    if key in filterset_names:
        return "filterset"
    return "backo" if is_backo_param(key) else None


def _blank(request: Request, key: str) -> bool:
    return all(not value.strip() for value in request.query_params.getlist(key))


def narrows(backend: Any, request: Request, view: Any) -> bool:
    """Does ``backend`` narrow the rows of this request? Our backends say so themselves; django-filter's
    does when a generated lookup has a value (it skips empty ones, so ``?code__icontains=`` selects every
    row and must not count: a filtered DELETE would empty the table); any other backend cannot tell."""
    if hasattr(backend, "narrows"):
        return bool(backend.narrows(request, view))
    if isinstance(backend, DjangoFilterBackend):
        filterset_class = getattr(view, "filterset_class", None)
        names = set(filterset_class.base_filters) if filterset_class is not None else set()
        return any(key in names and not _blank(request, key) for key in request.query_params)
    return False


class QueryFilterBackend(BaseFilterBackend):
    """Parses every dialect of the request into one tree, compiles it for the request, filters."""

    def narrows(self, request: Request, view: Any) -> bool:
        filterset_names = set(filterset_class_for(view.resource).base_filters)
        if any(dialect_of(key, filterset_names) in {"dotted", "where", "selection", "backo"}
               for key in request.query_params):
            return True
        body = get_body_query(request)
        return any(body.get(key) not in (None, "", {}, []) for key in BODY_FILTERS if key != "search")

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        access: Access = view.access
        resource = access.resource
        try:
            node = self.parse(request, access)
            compiler = QueryCompiler(access, allow_regex=cruddy_settings.ALLOW_REGEX)
            q = compiler.compile(node) & self.selection(request, resource)
            for guard in self.check_filterset_parameters(request, compiler):
                q &= guard
        except QueryError as error:
            raise as_validation_error(error) from None
        queryset = compiler.prepare(queryset)
        return queryset.filter(q) if q else queryset

    def parse(self, request: Request, access: Access) -> Node:
        resource = access.resource
        limits = query_limits()
        filterset_names = set(filterset_class_for(resource).base_filters)
        dotted, backo, nodes = [], [], []
        for key, value in _query_items(request):
            dialect = dialect_of(key, filterset_names)
            if dialect == "dotted":
                dotted.append((key, value))
            elif dialect == "where":
                nodes.append(parse_where(value, limits, param="where"))
            elif dialect == "backo":
                backo.append((key, value))
            elif dialect is None:
                self.refuse_lookalike(key, access)
        if dotted:
            nodes.append(parse_dotted(dotted, limits))
        if backo:
            nodes.append(parse_backo(backo, limits))
        body = get_body_query(request)
        if body.get("filter") is not None:
            nodes.append(parse_dotted_body(body["filter"], limits, param="filter"))
        if body.get("where") is not None:
            nodes.append(parse_where(body["where"], limits, param="where"))
        return conjunction(nodes) if nodes else And(())

    @staticmethod
    def refuse_lookalike(key: str, access: Access) -> None:
        """A parameter shaped like a django-filter lookup, or named like a field, that is not an allowed
        filter: refuse it, so a client never mistakes "ignored" for "filtered". The lookups listed are
        those of the fields this request may read."""
        resource = access.resource
        base = key.split("__", 1)[0]
        if "__" in key or base in resource.options.graph.fields or base in {"id", "pk"}:
            allowed = sorted(filterset_for(access).base_filters)
            shown = ", ".join(allowed[:40]) + (", ..." if len(allowed) > 40 else "")
            raise QueryError(
                f"Unknown filter '{key}': {resource.options.path} accepts the lookups {shown}; or use the "
                "dotted, where or backo forms (docs/querying.md).",
                param=key, code="unknown_filter")

    @staticmethod
    def check_filterset_parameters(request: Request, compiler: QueryCompiler) -> list[Q]:
        """django-filter's FilterSet is the same for every request: check its parameters against what this
        request may read, exactly as the other dialects are checked, and return the scope guards of the hops
        they cross (the rows the filter applies to must have their related row in scope, as in the other
        dialects: ``?lead__name=Hidden`` never matches a lead the request cannot see)."""
        filters = filterset_class_for(compiler.resource).base_filters
        limits = query_limits()
        guards: list[Q] = []
        for key in request.query_params:
            if key in filters:
                if filters[key].lookup_expr in {"in", "range"}:  # django-filter splits these on commas
                    for value in request.query_params.getlist(key):
                        check_items(value.count(",") + 1, limits, param=key, path=key)
                field_name = filters[key].field_name or key  # unset: the filter's name, as django-filter reads it
                path = tuple(PathStep(name) for name in field_name.split("__"))
                target = compiler.resolve(path, compiler.access, param=key, source=key, allow_to_many=True,
                                          purpose="filtered")
                if not _blank(request, key):  # django-filter skips blank values: they filter nothing
                    guards += target.scope_guards
        return guards

    @staticmethod
    def selection(request: Request, resource: Resource) -> Q:
        names = request.query_params.getlist("selection") or []
        body_name = get_body_query(request).get("selection")
        if body_name:
            names.append(str(body_name))
        q = Q()
        for name in names:
            if name not in resource.options.selections:
                known = ", ".join(sorted(resource.options.selections)) or "none"
                raise QueryError(f"Unknown selection '{name}': {resource.options.path} has {known}.",
                                 param="selection", code="unknown_selection")
            selection = resource.options.selections[name]
            q &= selection(request) if callable(selection) else selection
        return q

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        resource = view.resource
        parameters = [
            _parameter("where", "A JSON filter (fastapi-cruddy-framework): "
                       '`{"*or": {"name": {"*contains": "a"}, "code": "123"}}`. See docs/querying.md.'),
            _parameter("selection", "A named filter: " + (", ".join(resource.options.selections) or "none")),
        ]
        for name in view.access.readable:
            parameters.append(_parameter(
                f".{name}", f"Plateforme filter on {name}: `op~value` (eq ne gt ge lt le like nlike ilike "
                "nilike in nin null), e.g. `.code=like~*2`."))
        return parameters


class SortingBackend(BaseFilterBackend):
    """``?sort=-launch_date,+name`` (also ``ordering=`` and backo's ``_sort=``), then a pk tie-breaker."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        keys = self.sort_keys(request)
        if not keys:
            return queryset
        compiler = QueryCompiler(view.access)
        try:
            terms = compiler.compile_sort(keys)
        except QueryError as error:
            raise as_validation_error(error) from None
        return compiler.prepare(queryset).order_by(*terms, "pk")

    @staticmethod
    def sort_keys(request: Request) -> tuple[SortKey, ...]:
        limits = query_limits()
        keys: list[SortKey] = []
        try:
            for param in SORTING:
                values = request.query_params.getlist(param)
                if values:
                    keys += parse_sort(values, limits, param=param)
            body_sort = get_body_query(request).get("sort")
            if body_sort:
                values = body_sort if isinstance(body_sort, list) else [body_sort]
                keys += parse_sort([str(value) for value in values], limits, param="sort")
        except QueryError as error:
            raise as_validation_error(error) from None
        return tuple(keys)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [_parameter("sort", "Sort keys, comma separated or repeated: `-launch_date,+name`, "
                           "`name:desc`, `name:nl` (nulls last), `crew.name`. Also `ordering=` and `_sort=`.")]


def _parameter(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "required": False, "in": "query", "description": description,
            "schema": {"type": "string"}}
