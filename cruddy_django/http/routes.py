"""The DRF actions that serve ``@route`` methods: validate the parameters, call the method, render the result.

    actions = route_actions(site.get_resource("Crew"))   # {"assign_lead": <action POST <pk>/assign-lead/>}
    # returns: a model instance -> its resource's serializer; a queryset or list of rows -> the list envelope;
    # a dict, list or scalar -> as is; None -> 204. ValueError / ValidationError -> 400 with the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from cruddy_django.drf.routes import parameter_serializer
from cruddy_django.drf.serializers import serializer_class_for
from cruddy_django.registry.routes import SAFE_ROUTE_METHODS, RouteSpec, model_routes, return_model

if TYPE_CHECKING:
    from cruddy_django.registry import Resource

__all__ = ["render_result", "route_actions"]

def _route_data(request: Request, spec: RouteSpec, parameters: type) -> Any:
    if set(spec.methods) <= SAFE_ROUTE_METHODS:
        fields = parameters().fields
        params = request.query_params
        return {name: params.getlist(name) if hasattr(field, "child") else params[name]
                for name, field in fields.items() if name in params}
    data = request.data
    fields = parameters().fields
    names = list(fields)
    required = [name for name, field in fields.items() if field.required]
    bare = names[0] if len(names) == 1 else required[0] if len(required) == 1 else None
    if bare is not None and (not isinstance(data, Mapping) or (data and not set(data) & set(names))):
        return {bare: data}  # the one (required) parameter may be sent bare: "2" or 2
    if not isinstance(data, Mapping):
        message = f"The body must be a JSON object with the parameters {', '.join(names)}."
        raise ValidationError({"detail": message})
    return data


def render_result(view: Any, request: Request, result: Any) -> Response:
    """What a route returned, as a response: rows of a resource of the view's site with that resource's
    serializer (a list in the view's paginator's envelope), anything else as it is."""
    site = view.resource.site
    if result is None:
        return Response(status=status.HTTP_204_NO_CONTENT)
    if isinstance(result, models.Model):
        resource = site.resource_for(type(result))
        if resource is None:
            return Response({"id": result.pk})
        serializer_class = serializer_class_for(resource)
        return Response(serializer_class(result, context=view.get_serializer_context()).data)
    if isinstance(result, models.QuerySet) or (
        isinstance(result, list | tuple) and result and all(isinstance(item, models.Model) for item in result)
    ):
        model = result.model if isinstance(result, models.QuerySet) else type(result[0])
        resource = site.resource_for(model)
        if resource is not None:
            paginator = view.paginator
            page = list(result) if paginator is None else paginator.paginate_queryset(result, request, view=view)
            data = serializer_class_for(resource)(page, many=True, context=view.get_serializer_context()).data
            return Response(data) if paginator is None else paginator.get_paginated_response(data)
    return Response(result)


def _make_action(resource: Resource, spec: RouteSpec) -> Any:
    parameters = parameter_serializer(spec, resource)

    def handler(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = parameters(data=_route_data(request, spec, parameters), context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        target = self.get_row() if spec.detail else resource.model
        try:
            result = getattr(target, spec.name)(**serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(as_serializer_error(error)) from None
        except ValueError as error:
            raise ValidationError({"detail": str(error)}) from None
        return render_result(self, request, result)

    handler.__name__ = spec.name
    handler.__doc__ = spec.description
    returned = return_model(spec, resource.model)
    returned_resource = resource.site.resource_for(returned) if returned else None
    response = serializer_class_for(returned_resource) if returned_resource else OpenApiTypes.ANY
    reads = set(spec.methods) <= SAFE_ROUTE_METHODS
    has_parameters = bool(parameters().fields)  # none: no request body or query parameters to describe
    schema = extend_schema(
        request=parameters if has_parameters and not reads else None,
        parameters=[parameters] if has_parameters and reads else None,
        responses={200: response, 204: None},
        description=spec.description or None,
    )
    # extend_schema goes on top: DRF's @action replaces the function's ``kwargs``, where it keeps its data.
    decorated = schema(action(detail=spec.detail, methods=list(spec.methods), url_path=spec.url_path,
                              url_name=spec.url_path)(handler))
    # Marked as DRF marks its actions (mapping, detail, ...): the stubs' ViewSetAction declares only DRF's marks.
    decorated.route_spec = spec  # type: ignore[attr-defined]
    return decorated


def route_actions(resource: Resource, reserved: set[str]) -> dict[str, Any]:
    """One DRF action per ``@route`` of the resource's model, but those named in ``disable``."""
    actions = {}
    for spec in model_routes(resource.model):
        if spec.name in resource.options.disable:
            continue
        if spec.name in reserved:
            raise ImproperlyConfigured(
                f"The route {resource.model.__name__}.{spec.name} takes the name of a generated action; "
                "rename the method.")
        actions[spec.name] = _make_action(resource, spec)
    return actions
