"""``?search=``: DRF's search over the resource's ``search_fields``, compiled by the query compiler so that it
obeys the same rules as every filter.

    class Resource:
        search_fields = ["code", "^name", "=isbn", "author__name"]   # DRF's prefixes: ^ starts, = exact
    GET /api/missions/?search=apollo%20moon       # every term matches at least one readable field

A field the request may not read is left out of its search (a hidden salary never matches); a field across a
scoped relation only matches related rows in scope; a to-many path is an ``IN`` sub-query, so rows never
repeat. Each term becomes a case-insensitive ``LIKE`` with its wildcards escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.request import Request

from cruddy_django.drf.body import get_body_query, query_limits
from cruddy_django.orm.compiler import QueryCompiler
from cruddy_django.orm.operators import field_kind
from cruddy_django.query import And, Condition, Or, Path, PathStep, Pattern, QueryError, Wildcard

if TYPE_CHECKING:
    from cruddy_django.access import Access

__all__ = ["ResourceSearchFilter", "SearchField", "searchable_fields"]

# DRF's prefixes of search_fields -> the pattern a term makes (None: full-text, or a regex for "$").
PREFIXES = {"^": "starts", "=": "exact", "@": "full_text", "$": "regex"}


@dataclass(frozen=True)
class SearchField:
    """One entry of ``search_fields``: how a term matches, and the path it names."""

    how: str  # "contains", "starts", "exact", "full_text" or "regex"
    path: Path
    source: str
    cast: str | None = None  # "text" to search a field that is not text (as DRF's icontains does)

    def condition(self, term: str) -> Condition:
        if self.how in {"full_text", "regex"}:
            operator, value, cast = ("match", term, "tsvector") if self.how == "full_text" else ("regex", term, None)
            return Condition(self.path, operator, value, param="search", source=self.source, cast=cast)
        parts: list[str | Wildcard] = [term]
        if self.how in {"contains", "starts"}:
            parts.append(Wildcard.ANY)
        if self.how == "contains":
            parts.insert(0, Wildcard.ANY)
        return Condition(self.path, "ilike", Pattern.build(parts), param="search", source=self.source,
                         cast=self.cast)


def searchable_fields(compiler: QueryCompiler) -> list[SearchField]:
    """The resource's ``search_fields`` that this request may read, each resolved by the compiler (so a
    field rule or an unregistered model that hides a field also hides it from search)."""
    found = []
    for entry in compiler.resource.options.search_fields:
        how = PREFIXES.get(entry[:1], "contains")
        name = entry[1:] if entry[:1] in PREFIXES else entry
        path = tuple(PathStep(part) for part in name.split("__"))
        try:
            target = compiler.resolve(path, compiler.access, param="search", source=name, allow_to_many=True,
                                      purpose="searched")
        except QueryError:
            continue  # not readable by this request: not searched
        kind = field_kind(target.info) if target.info is not None else None
        cast = None if kind is not None and kind[0] == "text" else "text"
        found.append(SearchField(how, path, name, cast if how in {"contains", "starts", "exact"} else None))
    return found


class ResourceSearchFilter(SearchFilter):
    """DRF's ``?search=`` over the resource's ``search_fields`` that the request may read; a search on a
    resource without any is a 400 rather than silently ignored."""

    def get_search_fields(self, view: Any, request: Request) -> tuple[str, ...]:
        return view.resource.options.search_fields

    def get_search_terms(self, request: Request) -> list[str]:
        body_search = get_body_query(request).get("search")
        if body_search is not None and self.search_param not in request.query_params:
            return str(body_search).replace("\x00", "").replace(",", " ").split()
        return super().get_search_terms(request)

    def narrows(self, request: Request, view: Any) -> bool:
        return bool(self.get_search_terms(request))

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        terms = self.get_search_terms(request)
        if not terms:
            return queryset
        access: Access = view.access
        compiler = QueryCompiler(access)
        fields = searchable_fields(compiler)
        if not fields:
            raise ValidationError({"search": [f"{access.options.path} has no search fields this request may "
                                              "read." if access.options.search_fields else
                                              f"{access.options.path} has no search fields."]})
        limit = query_limits().max_clauses
        if len(terms) * len(fields) > limit:
            raise ValidationError({"search": [
                f"The search has {len(terms)} terms over {len(fields)} fields, {len(terms) * len(fields)} "
                f"conditions; at most {limit} are allowed (max_clauses)."]})
        node = And(tuple(Or(tuple(field.condition(term) for field in fields)) for term in terms))
        try:
            q = compiler.compile(node)
        except QueryError as error:
            raise ValidationError({"search": [error.message]}) from None
        return compiler.prepare(queryset).filter(q)
