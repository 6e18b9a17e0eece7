"""The base of every generated viewset: the resource, its access object, DRF's hooks, policies, transactions.

    class ReadMixin(ResourceGenericViewSet): ...      # the parts of ResourceViewSet build on it
    self.access.readable, self.get_queryset(), self.get_permissions()

DRF's hooks work as on any GenericViewSet: ``pagination_class``, ``renderer_classes``, ``parser_classes``,
``filter_backends``, ``get_queryset()``, ``get_serializer_class()`` and DRF's ``EXCEPTION_HANDLER``. Every
unsafe request runs in one transaction, rolled back when the response is an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.response import SimpleTemplateResponse
from django_filters import FilterSet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed, NotAcceptable
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from cruddy_django import signals
from cruddy_django.access import Access, access_for
from cruddy_django.conf import SettingDefault, cruddy_settings
from cruddy_django.drf.filtersets import filterset_for
from cruddy_django.drf.pagination import ResourcePagination
from cruddy_django.drf.serializers import serializer_class_for
from cruddy_django.exceptions import DatabaseUnavailable, translate_exception
from cruddy_django.http.backends import QueryFilterBackend, ResourceSearchFilter, SortingBackend, narrows
from cruddy_django.http.boundary import log_database_unavailable
from cruddy_django.http.inputs import check_request_inputs
from cruddy_django.http.rights import Rights
from cruddy_django.orm.loading import for_writing
from cruddy_django.orm.timeout import apply_statement_timeout, statement_timeout
from cruddy_django.registry.routes import fallback_action
from cruddy_django.writes.envelope import BadRequest
from cruddy_django.writes.writer import RowWriter

if TYPE_CHECKING:
    from cruddy_django.reads.planning import ReadPlan
    from cruddy_django.registry import Resource

__all__ = ["ResourceGenericViewSet"]


class ResourceGenericViewSet(viewsets.GenericViewSet):
    """What every part of a generated viewset relies on: its resource, the request's access object, the
    queryset, serializer and filterset of the resource, the policies, and one transaction per write.
    ``ResourceViewSet`` puts it together with the actions (reads, writes, relation routes, ``_meta``)."""

    resource: Resource
    filter_backends = [QueryFilterBackend, DjangoFilterBackend, ResourceSearchFilter, SortingBackend]
    pagination_class = ResourcePagination
    renderer_classes = SettingDefault("RENDERER_CLASSES")

    # -- configuration read from the resource ----------------------------------------------------------
    @property
    def access(self) -> Access:
        """What this request may read, write, see and do on the resource (made once per request)."""
        return access_for(self.request, self.resource)

    def viewset_of(self, resource: Resource) -> type[ResourceGenericViewSet]:
        """The generated viewset of a resource of this site (relation routes and rights use it)."""
        raise NotImplementedError("ResourceViewSet knows the generated viewsets")

    def user_overrides(self, names: frozenset[str]) -> set[str]:
        """Which of ``names`` a class above cruddy_django's own (a mixin, a base class, a subclass)
        defines."""
        found: set[str] = set()
        for klass in type(self).__mro__:
            if klass.__module__.startswith("cruddy_django."):
                break
            found |= names & set(vars(klass))
        return found

    def read_plan(self) -> ReadPlan:
        """The read plan of this request's selection (``SelectionMixin`` plans it)."""
        raise NotImplementedError("SelectionMixin plans reads")

    def rights_of(self, resource: Resource) -> Rights:
        """What this request may do on a resource of this site, as that resource's viewset decides."""
        return Rights(self.viewset_of(resource), resource, self.request)

    @property
    def db_alias(self) -> str:
        return router.db_for_write(self.resource.model)

    def get_queryset(self) -> QuerySet:
        queryset = self.access.rows().order_by(*self.resource.options.ordering)
        if self.request is not None and self.request.method not in SAFE_METHODS:
            queryset = for_writing(queryset)
        return signals.before_query.pipe(self.resource.model, queryset, request=self.request, action=self.action)

    def get_serializer_class(self) -> type:
        if self.serializer_class is not None:  # a mixin's or subclass's attribute, as DRF reads it
            return self.serializer_class
        return serializer_class_for(self.resource)

    @property
    def filterset_class(self) -> type[FilterSet]:  # read by DjangoFilterBackend and the schema
        """The resource's FilterSet cut to the filters this request may use (its readable fields)."""
        return filterset_for(self.access)

    # -- the writer and the checks of every write (bulk writes, relation routes) -----------------------
    def get_writer(self) -> RowWriter:
        return RowWriter(self.resource.site, self.resource.model, self.request, using=self.db_alias)

    @property
    def max_bulk(self) -> int:
        return self.resource.options.max_bulk or cruddy_settings.MAX_BULK

    def refuse_disabled(self, request: Request, *actions: str) -> None:
        disabled = set(actions) & set(self.resource.options.disable)
        if disabled:
            raise MethodNotAllowed(str(request.method), detail=(
                f"The action '{sorted(disabled)[0]}' is disabled on this resource."))

    def check_bulk_size(self, count: int, what: str = "items") -> None:
        if count > self.max_bulk:
            raise BadRequest(f"This request has {count} {what}; one request may write at most "
                             f"{self.max_bulk} (max_bulk). Split it into smaller requests.")

    def get_row(self) -> Any:
        """The row of a detail URL, within the scope and after the object-level policies, without the
        request's filters: on a relation route they filter the related rows, on a custom route they may be
        its parameters. (``get_object`` applies them, as DRF does for retrieve, update and destroy.)"""
        lookup = self.lookup_url_kwarg or self.lookup_field
        row = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, row)
        return row

    def has_filter(self, request: Request) -> bool:
        """Does one of this view's filter backends narrow the rows? Filtered bulk writes require it; a
        backend that cannot say (it has no ``narrows``) does not count."""
        return any(narrows(backend(), request, self) for backend in self.filter_backends)

    def get_permissions(self) -> list[Any]:
        spec = getattr(getattr(self, self.action, None), "route_spec", None) if self.action else None
        if spec is not None:  # a @route: its own policies, else those of the action it resembles
            extra = {spec.name: spec.policies} if spec.policies is not None else None
            chain = self.access.policy_classes(self.action, fallback=fallback_action(spec), extra=extra)
        else:
            chain = self.access.policy_classes(self.action)
        return [permission() for permission in chain]

    def get_authenticate_header(self, request: Request) -> str | None:  # type: ignore[override]  # DRF: or None
        """DRF asks only the first authentication class, so with session authentication first a failed
        basic login was a 403; any class that can challenge (basic, token) makes it a 401 with its
        ``WWW-Authenticate``, as HTTP clients expect."""
        for authenticator in self.get_authenticators():
            header = authenticator.authenticate_header(request)
            if header:
                return str(header)
        return None

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """DRF answers an unknown ``?format=`` with a bare 404; say what is wrong instead (406)."""
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise NotAcceptable(f"Unknown format {request.query_params.get('format')!r}: use {formats}.") from None

    def handle_exception(self, exc: Exception) -> Response:
        """Database and model errors become 4xx (or a 503) first; DRF's ``EXCEPTION_HANDLER`` then shapes the
        answer."""
        translated = translate_exception(exc)
        if isinstance(translated, DatabaseUnavailable):
            log_database_unavailable(self.request, exc)
        return super().handle_exception(translated)

    def get_view_name(self) -> str:
        name = str(self.resource.model._meta.verbose_name_plural).capitalize()
        return name if self.detail is not True else str(self.resource.model._meta.verbose_name).capitalize()

    # -- signals around every action ------------------------------------------------------------------
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, policies, throttles first
        check_request_inputs(request, kwargs)
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

    # -- one transaction per unsafe request, a statement timeout per request --------------------------
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Unsafe requests run in one transaction, rolled back when the response is an error, and rendered
        inside it: a response that fails to render rolls the write back instead of leaving it behind. On
        PostgreSQL every request also runs under ``STATEMENT_TIMEOUT`` (``SET LOCAL`` in its transaction)."""
        connection = connections[self.db_alias]
        timeout = statement_timeout(connection)
        unsafe = request.method not in SAFE_METHODS
        if not unsafe and (timeout is None or connection.in_atomic_block):
            if timeout is not None:  # an enclosing transaction (ATOMIC_REQUESTS): the setting lasts until its end
                apply_statement_timeout(connection, timeout)
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic(using=self.db_alias):
            if timeout is not None:
                apply_statement_timeout(connection, timeout)
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True, using=self.db_alias)
            elif unsafe and isinstance(response, SimpleTemplateResponse):  # DRF's Response
                response.render()
            return response
