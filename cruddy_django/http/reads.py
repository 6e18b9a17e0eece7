"""The read actions of generated viewsets: ``list`` and ``retrieve`` with field selection and planned queries.

    class ResourceViewSet(SelectionMixin, viewsets.ModelViewSet): ...
    GET /api/missions/?expand=crew.lead,rocket&fields=id,code,station.name
    rows, plan = read_rows(resource, request, queryset, many=True)   # for relation routes and custom views

Writes are untouched: they serialize with the resource's serializer, which carries the computed fields too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django import signals
from cruddy_django.reads.planning import ReadPlan, plan_read

# Methods a user's viewset mixin may override to change how rows are serialized; when one is overridden the
# reads go through DRF's serializers so that the override keeps working.
SERIALIZER_HOOKS = frozenset({"get_serializer_class", "get_serializer", "serializer_class"})


@lru_cache(maxsize=256)
def narrowed_filterset(filterset_class: type, names: frozenset[str]) -> type:
    """A subclass of a FilterSet holding only the named filters (the others would filter nothing)."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: filterset_class.base_filters[name] for name in names}
    return narrowed


def read_rows(resource: Any, request: Request, queryset: QuerySet, *, many: bool = True,
              fast: bool = True, context: dict[str, Any] | None = None) -> tuple[Any, ReadPlan]:
    """Select, plan, run and shape a read of ``queryset`` (already filtered, ordered and paged by the
    caller when ``many``; for a single row, filtered down to it): returns the data and the plan."""
    plan = plan_read(resource, request, fast=fast)
    objects = list(plan.queryset(request, queryset)) if many else list(plan.queryset(request, queryset)[:1])
    if not many and not objects:
        raise Http404
    return plan.to_data(request, objects, many=many, context=context), plan


class SelectionMixin:
    """``list`` and ``retrieve`` through a read plan: a fixed number of queries whatever the page size."""

    def read_plan(self) -> ReadPlan:
        if getattr(self, "_read_plan", None) is None:
            self._read_plan = plan_read(self.resource, self.request, fast=self.fast_reads_allowed())
        return self._read_plan

    def fast_reads_allowed(self) -> bool:
        """False when a class above the generated viewset changes how rows are serialized."""
        for klass in type(self).__mro__:
            if klass.__module__.startswith("cruddy_django."):
                return True
            if SERIALIZER_HOOKS & set(vars(klass)):
                return False
        return True

    def checks_object_permissions(self) -> bool:
        """Does any policy of this action look at the row itself (then it needs the model instance)?"""
        return any(
            type(permission).has_object_permission is not BasePermission.has_object_permission
            for permission in self.get_permissions()
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """DRF's loop over the filter backends, except that a generated django-filter FilterSet only builds
        the filters the query names: its form, with every lookup of every field, costs more than the read."""
        for backend_class in list(self.filter_backends):
            backend = backend_class()
            if isinstance(backend, DjangoFilterBackend) and self.resource.options.filterset_class is None:
                queryset = self.apply_generated_filters(backend, queryset)
            else:
                queryset = backend.filter_queryset(self.request, queryset, self)
        return queryset

    def apply_generated_filters(self, backend: DjangoFilterBackend, queryset: QuerySet) -> QuerySet:
        filterset_class = self.resource.filterset_class
        parameters = list(self.request.query_params)
        names = frozenset(  # widgets with several inputs add suffixes (`price_min`)
            name for name in filterset_class.base_filters
            if any(parameter == name or parameter.startswith(f"{name}_") for parameter in parameters)
        )
        if not names:  # nothing to filter on: the same queryset, without building a form
            return queryset
        kwargs = backend.get_filterset_kwargs(self.request, queryset, self)
        filterset = narrowed_filterset(filterset_class, names)(**kwargs)
        if not filterset.is_valid() and backend.raise_exception:
            raise translate_validation(filterset.errors)
        return filterset.qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.read_plan()
        queryset = plan.pageable(request, self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        context = self.get_serializer_context()
        data = plan.to_data(request, list(queryset) if page is None else page, many=True, context=context)
        self.send_after_query(data)
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.read_plan()
        base = self.filter_queryset(self.get_queryset())
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        lookup = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
        if not plan.fast:
            instance = get_object_or_404(plan.queryset(request, base), **lookup)
            self.check_object_permissions(request, instance)
            objects: list[Any] = [instance]
        else:
            if self.checks_object_permissions():
                instance = get_object_or_404(base, **lookup)
                self.check_object_permissions(request, instance)
                lookup = {"pk": instance.pk}
            try:
                objects = list(plan.queryset(request, base.filter(**lookup))[:1])
            except (TypeError, ValueError, DjangoValidationError):
                raise Http404 from None
            if not objects:
                raise Http404
        data = plan.to_data(request, objects, many=False, context=self.get_serializer_context())
        self.send_after_query([data])
        return Response(data)

    def send_after_query(self, rows: list[Any]) -> None:
        """``after_query`` receivers get the rows as the response holds them (dicts they may change)."""
        signals.after_query.send(self.resource.model, request=self.request, rows=rows, action=self.action)
