"""Generated viewsets: ``RocketViewSet`` for ``Rocket``, a DRF ``ModelViewSet`` driven by the options.

    viewset = site.get_resource("Rocket").viewset
    class Resource:
        viewset_mixins = [AuditMixin]   # placed before the generated class: its overrides win

Every unsafe request runs in one transaction, rolled back when the response is an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import router, transaction
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed, NotAcceptable
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django import signals
from cruddy_django.conf import cruddy_settings
from cruddy_django.drf.pagination import ResourcePagination
from cruddy_django.exceptions import exception_handler
from cruddy_django.http.backends import QueryFilterBackend, ResourceSearchFilter, SortingBackend, has_filter
from cruddy_django.http.meta import MetaMixin
from cruddy_django.http.reads import SelectionMixin
from cruddy_django.http.relations import RelationRoutesMixin
from cruddy_django.http.routes import route_actions, route_fallback_action
from cruddy_django.http.writes import BulkWriteMixin
from cruddy_django.policies import policy_chain
from cruddy_django.registry.options import ACTIONS, EXTRA_ACTIONS

if TYPE_CHECKING:
    from cruddy_django.registry.sites import Resource


class ResourceViewSet(MetaMixin, SelectionMixin, BulkWriteMixin, RelationRoutesMixin, viewsets.ModelViewSet):
    """Base class of every generated viewset; ``resource`` is set on each generated subclass."""

    resource: Resource
    filter_backends = [QueryFilterBackend, DjangoFilterBackend, ResourceSearchFilter, SortingBackend]
    pagination_class = ResourcePagination

    # -- configuration read from the resource ----------------------------------------------------------
    @property
    def db_alias(self) -> str:
        return router.db_for_write(self.resource.model)

    def get_queryset(self) -> QuerySet:
        options = self.resource.options
        queryset = self.resource.model._default_manager.all().order_by(*options.ordering)
        queryset = self.resource.scope_queryset(self.request, queryset)
        return signals.before_query.pipe(self.resource.model, queryset, request=self.request, action=self.action)

    def get_serializer_class(self) -> type:
        return self.resource.serializer_class

    @property
    def filterset_class(self) -> type:  # read by DjangoFilterBackend
        return self.resource.filterset_class

    @property
    def paginator(self) -> ResourcePagination:
        if not hasattr(self, "_paginator"):
            options = self.resource.options
            self._paginator = ResourcePagination(options.page_size, options.max_page_size)
        return self._paginator

    def get_row(self) -> Any:
        """The row of a detail URL, within the scope and after the object-level policies, without the
        request's filters: on a relation route they filter the related rows, on a custom route they may be
        its parameters. (``get_object`` applies them, as DRF does for retrieve, update and destroy.)"""
        lookup = self.lookup_url_kwarg or self.lookup_field
        row = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, row)
        return row

    def has_filter(self, request: Request) -> bool:
        """Does the request narrow the rows (any query dialect)? Filtered bulk writes require one."""
        return has_filter(request, self.resource)

    def get_permissions(self) -> list[Any]:
        policies = self.resource.options.policies
        spec = getattr(getattr(self, self.action, None), "route_spec", None) if self.action else None
        if spec is not None:  # a @route: its own policies, else those of the action it resembles
            if spec.name not in policies and spec.policies is not None:
                policies = {**policies, spec.name: spec.policies}
            chain = policy_chain(policies, self.action, fallback=route_fallback_action(spec))
        else:
            chain = policy_chain(policies, self.action)
        return [permission() for permission in chain]

    def get_renderers(self) -> list[Any]:
        return [renderer() for renderer in cruddy_settings.RENDERER_CLASSES]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """DRF answers an unknown ``?format=`` with a bare 404; say what is wrong instead (406)."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise NotAcceptable(f"Unknown format {request.query_params.get('format')!r}: use {formats}.") from None

    def get_exception_handler(self) -> Any:
        return exception_handler

    def get_view_name(self) -> str:
        name = str(self.resource.model._meta.verbose_name_plural).capitalize()
        return name if self.detail is not True else str(self.resource.model._meta.verbose_name).capitalize()

    # -- signals around every action ------------------------------------------------------------------
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, policies, throttles first
        self.action_context: dict[str, Any] = {}
        signals.before_action.send(self.resource.model, request=request, view=self, action=self.action,
                                   context=self.action_context)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if hasattr(self, "action_context") and response.status_code < 400:
            try:
                signals.after_action.send(self.resource.model, request=request, view=self, action=self.action,
                                          context=self.action_context, response=response)
            except Exception as exc:  # a refusing receiver: its 4xx, and dispatch rolls the writes back
                response = self.handle_exception(exc)
        return super().finalize_response(request, response, *args, **kwargs)

    # -- one transaction per unsafe request ------------------------------------------------------------
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic(using=self.db_alias):
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True, using=self.db_alias)
            return response


def _disabled_action(action: str) -> Any:
    def handler(self: ResourceViewSet, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise MethodNotAllowed(request.method, detail=f"The action '{action}' is disabled on this resource.")

    handler.__name__ = action
    return handler


def _model_description(resource: Resource) -> str:
    """The model's docstring, unless it is the signature Django writes for undocumented models."""
    doc = (resource.model.__doc__ or "").strip()
    if not doc or doc.startswith(f"{resource.model.__name__}("):
        return f"The {resource.model._meta.verbose_name_plural} resource."
    return doc


def build_viewset_class(resource: Resource) -> type[ResourceViewSet]:
    options = resource.options
    attrs: dict[str, Any] = {
        "resource": resource,
        "__module__": resource.model.__module__,
        "lookup_field": options.graph.pk_name,
    }
    attrs["__doc__"] = _model_description(resource)
    for action in options.disable & {*ACTIONS, *EXTRA_ACTIONS}:  # other names are relations (relations.py)
        attrs[action] = _disabled_action(action)
    attrs.update(route_actions(resource, reserved=set(dir(ResourceViewSet))))
    bases = (*options.viewset_mixins, ResourceViewSet)
    return type(f"{resource.model.__name__}ViewSet", bases, attrs)
