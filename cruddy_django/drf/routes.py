"""The parameters of custom routes as a DRF serializer, read from the route function's annotations.

    parameters = parameter_serializer(spec, site.get_resource("Crew"))   # CrewAssignLeadParameters
    parameters(data={"astronaut": 3}, context={"request": request}).is_valid()

``Key[Astronaut]`` becomes a ``KeyField``: the pk of a row of that model's resource on the route's site, looked
up within the request's scope (a row out of scope does not exist).
"""

from __future__ import annotations

import datetime
import inspect
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers

from cruddy_django.access import access_for
from cruddy_django.registry.routes import RouteSpec, key_model, route_hints

if TYPE_CHECKING:
    from cruddy_django.registry import Resource, ResourceRegistry

__all__ = ["KeyField", "parameter_serializer", "serializer_field_for"]

SCALAR_FIELDS: dict[type, Callable[[], serializers.Field]] = {
    bool: serializers.BooleanField,
    int: serializers.IntegerField,
    float: serializers.FloatField,
    str: serializers.CharField,
    datetime.datetime: serializers.DateTimeField,
    datetime.date: serializers.DateField,
    datetime.time: serializers.TimeField,
    Decimal: lambda: serializers.DecimalField(max_digits=None, decimal_places=None),
}


class KeyField(serializers.PrimaryKeyRelatedField):
    """A primary key resolved to a row of a resource, within the resource's scope for this request."""

    default_error_messages = {
        "does_not_exist": "No {model} with primary key {value!r}.",
        "incorrect_type": "A primary key is expected, not {data_type}.",
    }

    def __init__(self, model: type[models.Model], *, site: ResourceRegistry, **kwargs: Any) -> None:
        self.model = model
        self.site = site
        super().__init__(queryset=model._default_manager.all(), **kwargs)

    def get_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        if queryset is None:  # never: __init__ gives the field the rows of its model
            raise ImproperlyConfigured(f"{type(self).__name__} has no queryset.")
        resource = self.site.resource_for(self.model)
        if resource is not None:
            queryset = access_for(self.context.get("request"), resource).scope(queryset)
        return queryset

    def to_internal_value(self, data: Any) -> models.Model:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return self.get_queryset().get(pk=data)
        except (ValueError, TypeError, models.ObjectDoesNotExist):  # the model's DoesNotExist is one
            self.fail("does_not_exist", model=self.model._meta.verbose_name, value=data)
        except Exception as error:  # a value the pk field rejects (ValidationError)
            if type(error).__name__ == "ValidationError":
                self.fail("does_not_exist", model=self.model._meta.verbose_name, value=data)
            raise

    def to_representation(self, value: Any) -> Any:
        return value.pk


def _optional_inner(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        if len(members) == 1 and len(typing.get_args(annotation)) == 2:
            return members[0], True
    return annotation, False


def serializer_field_for(annotation: Any, name: str, site: ResourceRegistry, default_app: str | None = None,
                         **kwargs: Any) -> serializers.Field:
    """The DRF field that validates one route parameter of this annotation (``Key[...]`` rows are looked up
    on ``site``; a bare model name in ``Key["Model"]`` is of ``default_app``)."""
    annotation, nullable = _optional_inner(annotation)
    if nullable:
        kwargs["allow_null"] = True
    model = key_model(annotation, default_app)
    if model is not None:
        return KeyField(model, site=site, **kwargs)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return serializers.ChoiceField(choices=list(typing.get_args(annotation)), **kwargs)
    if origin in (list, tuple, set) or annotation in (list, tuple, set):
        arguments = typing.get_args(annotation)
        child = serializer_field_for(arguments[0], name, site, default_app) if arguments else \
            serializers.JSONField()
        return serializers.ListField(child=child, **kwargs)
    if origin is dict or annotation is dict:
        return serializers.DictField(**kwargs)
    if annotation in SCALAR_FIELDS:
        return SCALAR_FIELDS[annotation](**kwargs) if annotation is not Decimal else \
            serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)
    if annotation is inspect.Parameter.empty or annotation is Any:
        return serializers.JSONField(**kwargs)
    raise TypeError(f"The route parameter {name!r} has an annotation cruddy_django cannot validate: "
                    f"{annotation!r}. Use int, float, str, bool, date, datetime, Decimal, Literal[...], "
                    "list[...], dict or Key[Model].")




def parameter_serializer(spec: RouteSpec, resource: Resource) -> type[serializers.Serializer]:
    """A serializer class named after the route (``CrewAssignLeadParameters``) validating its parameters;
    built once per site (the schema and ``_meta`` read it too)."""
    return resource.site.cache.get("route parameters", (resource, spec.name),
                                   lambda: _build_parameter_serializer(spec, resource), reads_settings=False)


def _build_parameter_serializer(spec: RouteSpec, resource: Resource) -> type[serializers.Serializer]:
    hints = route_hints(spec)
    attrs: dict[str, Any] = {}
    parameters = list(inspect.signature(spec.function).parameters.values())[1:]  # skip self / cls
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        kwargs: dict[str, Any] = {}
        if parameter.default is not parameter.empty:
            kwargs["required"] = False
            if parameter.default is None:
                kwargs["allow_null"] = True
        attrs[parameter.name] = serializer_field_for(hints.get(parameter.name, parameter.empty), parameter.name,
                                                     resource.site, resource.model._meta.app_label, **kwargs)
    name = "".join(part.capitalize() for part in spec.name.split("_"))
    return type(f"{resource.model.__name__}{name}Parameters", (serializers.Serializer,), attrs)
