"""The read actions of generated viewsets: ``list`` and ``retrieve`` with field selection and planned queries.

    class ResourceViewSet(SelectionMixin, viewsets.ModelViewSet): ...
    GET /api/missions/?expand=crew.lead,rocket&fields=id,code,station.name

A view whose class (a mixin, a base class) overrides ``get_serializer_class``, ``serializer_class`` or
``get_serializer`` reads through DRF's serializers with that serializer, for list and retrieve alike.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cruddy_django import signals
from cruddy_django.conf import cruddy_settings
from cruddy_django.drf.filtersets import filterset_class_for, narrowed_filterset
from cruddy_django.http.generic import ResourceGenericViewSet
from cruddy_django.policies import checks_objects
from cruddy_django.reads.planning import ReadPlan, plan_read
from cruddy_django.reads.rows import MORE_URL

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["SERIALIZER_HOOKS", "SelectionMixin"]

# Methods a user's viewset class may override to change how rows are serialized; when one is overridden the
# reads go through DRF's serializers so that the override keeps working.
SERIALIZER_HOOKS = frozenset({"get_serializer_class", "get_serializer", "serializer_class"})


class SelectionMixin(ResourceGenericViewSet):
    """``list`` and ``retrieve`` through a read plan: a fixed number of queries whatever the page size."""

    def read_plan(self) -> ReadPlan:
        if getattr(self, "_read_plan", None) is None:
            overridden = self.user_overrides(SERIALIZER_HOOKS)
            serializer_class = self.get_serializer_class() if overridden else None
            self._read_plan = plan_read(self.access, fast=not overridden, serializer_class=serializer_class)
        return self._read_plan

    def serialize(self, plan: ReadPlan, objects: list[Any], *, many: bool) -> Any:
        """Rows as the response holds them: through a user's ``get_serializer`` when there is one, else
        through the plan (the fast path, or the serializer cut to the selection)."""
        if "get_serializer" in self.user_overrides(SERIALIZER_HOOKS):
            return self.get_serializer(objects if many else objects[0], many=many).data
        context = {**self.get_serializer_context(), MORE_URL: self.more_url}
        return plan.to_data(self.request, objects, many=many, context=context)

    def more_url(self, resource: Resource, pk: Any, relation: str) -> str | None:
        """The URL of the relation route holding all of a row's related rows (for ``_more``), or None when
        the relation has no route on this API."""
        info = resource.options.graph.fields.get(relation)
        if info is None or resource.related_resource(info) is None or relation in resource.options.disable:
            return None
        match = self.request.resolver_match
        prefix = f"{match.namespace}:" if match is not None and match.namespace else ""
        try:
            return reverse(f"{prefix}{resource.options.basename}-relation", request=self.request,
                           kwargs={resource.options.graph.pk_name: pk, "relation": relation})
        except NoReverseMatch:  # a site mounted without its namespace
            return None

    def check_response_size(self, plan: ReadPlan, rows: int) -> None:
        """Refuse (400) a read whose page of ``rows`` rows, each with its expansions, could exceed
        ``MAX_RESPONSE_ROWS``, naming the page size that fits or the expansions to drop."""
        most = cruddy_settings.MAX_RESPONSE_ROWS
        per_row = plan.rows_per_item
        if not most or rows * per_row <= most:
            return
        fits = most // per_row
        if fits >= 1 and rows > 1:
            param = next((name for name in ("limit", "_page") if name in self.request.query_params), "page_size")
            raise ValidationError({param: [
                f"This request could return {rows * per_row} rows ({rows} per page, each with up to {per_row} "
                f"rows with its expansions), more than max_response_rows ({most}); ask for {param}={fits} or "
                "less, or expand fewer to-many relations."]})
        param = next((name for name in ("expand", "fields", "include") if name in self.request.query_params),
                     "expand")
        raise ValidationError({param: [
            f"One row with these expansions could bring {per_row} rows (to-many relations hold up to their "
            f"expand_limit rows each), more than max_response_rows ({most}); expand fewer or shallower "
            "to-many relations."]})

    def checks_object_permissions(self) -> bool:
        """Does any policy of this action look at the row itself (then it needs the model instance)?"""
        return any(checks_objects(permission) for permission in self.get_permissions())

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """DRF's loop over the filter backends, except that a generated django-filter FilterSet only builds
        the filters the query names: its form, with every lookup of every field, costs more than the read."""
        generated = self.resource.options.filterset_class is None and \
            issubclass(self.filterset_class, filterset_class_for(self.resource))
        for backend_class in list(self.filter_backends):
            backend = backend_class()
            if isinstance(backend, DjangoFilterBackend) and generated:
                queryset = self.apply_generated_filters(backend, queryset)
            else:
                queryset = backend.filter_queryset(self.request, queryset, self)
        return queryset

    def apply_generated_filters(self, backend: DjangoFilterBackend, queryset: QuerySet) -> QuerySet:
        filterset_class = self.filterset_class
        filters = filterset_class.base_filters
        names = frozenset(  # widgets with several inputs add a suffix to the filter's name (`price_min`)
            candidate for parameter in self.request.query_params
            for candidate in (parameter, parameter.rpartition("_")[0]) if candidate in filters
        )
        if not names:  # nothing to filter on: the same queryset, without building a form
            return queryset
        kwargs = backend.get_filterset_kwargs(self.request, queryset, self)
        narrowed = self.resource.site.cache.get("narrowed filterset", (filterset_class, names),
                                                lambda: narrowed_filterset(filterset_class, names), limit=256)
        filterset = narrowed(**kwargs)
        if not filterset.is_valid() and backend.raise_exception:
            # types-django-filter says it returns a dict: it returns DRF's ValidationError, as raised here.
            raise translate_validation(filterset.errors)  # type: ignore[misc]
        return filterset.qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.read_plan()
        queryset = plan.pageable(request, self.filter_queryset(self.get_queryset()))
        # A Pageable counts and slices like a queryset, which is all a paginator asks; the stubs want one.
        page = self.paginate_queryset(queryset)  # type: ignore[arg-type]
        rows = list(queryset) if page is None else page
        self.check_response_size(plan, getattr(self.paginator, "page_size", None) or len(rows))
        data = self.serialize(plan, rows, many=True)
        self.send_after_query(data)
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.read_plan()
        self.check_response_size(plan, 1)
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
        data = self.serialize(plan, objects, many=False)
        self.send_after_query([data])
        return Response(data)

    def send_after_query(self, rows: builtins.list[Any]) -> None:  # (`list` is the action, here)
        """``after_query`` receivers get the rows as the response holds them (dicts they may change)."""
        signals.after_query.send(self.resource.model, request=self.request, rows=rows, action=self.action)
