"""Custom routes on models: ``@route.post()`` turns a method into an endpoint with a validated body.

    class Crew(ResourceModel):
        @route.post()
        def assign_lead(self, astronaut: Key[Astronaut]) -> "Crew": ...   # POST /api/staff/crews/1/assign-lead/

Parameters are read from the annotations (``int float str bool date datetime Decimal Literal[...] list[...]``,
optional with defaults, ``Key[Model]`` for a row of that model's resource, looked up within its scope). A
route with one parameter also accepts the bare value as the body. ``detail=False`` on a ``@classmethod`` hangs
the route off the collection. See ``docs/routes.md``.
"""

from __future__ import annotations

import datetime
import inspect
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db import models
from rest_framework import serializers

ModelT = TypeVar("ModelT", bound=models.Model)
ROUTE_ATTRIBUTE = "_cruddy_route"


class Key(Generic[ModelT]):
    """``Key[Astronaut]``: the parameter is a primary key, resolved to a row of that model's resource."""

    def __class_getitem__(cls, model: Any) -> Any:
        return KeyOf(model)


@dataclass(frozen=True)
class KeyOf:
    model: Any

    def __repr__(self) -> str:
        return f"Key[{getattr(self.model, '__name__', self.model)}]"


@dataclass
class RouteSpec:
    """What one ``@route.<method>()`` declared."""

    name: str
    methods: tuple[str, ...]
    detail: bool
    url_path: str
    function: Callable[..., Any]
    policies: tuple[Any, ...] | None = None
    description: str = ""
    is_classmethod: bool = False
    parameters: dict[str, inspect.Parameter] = field(default_factory=dict)


def kebab(name: str) -> str:
    return re.sub(r"[_\s]+", "-", name.strip("_")).lower()


class _RouteDecorators:
    """``route.get()``, ``route.post()``, ``route.put()``, ``route.patch()``, ``route.delete()``."""

    def _decorator(self, method: str, *, detail: bool = True, url_path: str | None = None,
                   policies: list[Any] | None = None, description: str | None = None) -> Callable[[Any], Any]:
        def decorate(target: Any) -> Any:
            is_classmethod = isinstance(target, classmethod)
            function = target.__func__ if is_classmethod else target
            if not detail and not is_classmethod:
                raise TypeError(f"@route.{method}(detail=False) needs a @classmethod: {function.__qualname__} "
                                "is called without a row.")
            setattr(function, ROUTE_ATTRIBUTE, RouteSpec(
                name=function.__name__, methods=(method,), detail=detail,
                url_path=url_path or kebab(function.__name__), function=function,
                policies=tuple(policies) if policies is not None else None,
                description=description or inspect.getdoc(function) or "", is_classmethod=is_classmethod,
            ))
            return target

        return decorate

    def get(self, **options: Any) -> Callable[[Any], Any]:
        return self._decorator("get", **options)

    def post(self, **options: Any) -> Callable[[Any], Any]:
        return self._decorator("post", **options)

    def put(self, **options: Any) -> Callable[[Any], Any]:
        return self._decorator("put", **options)

    def patch(self, **options: Any) -> Callable[[Any], Any]:
        return self._decorator("patch", **options)

    def delete(self, **options: Any) -> Callable[[Any], Any]:
        return self._decorator("delete", **options)


route = _RouteDecorators()


def model_routes(model: type[models.Model]) -> list[RouteSpec]:
    """Every route declared on the model or its parents, the nearest definition winning."""
    found: dict[str, RouteSpec] = {}
    for klass in reversed(model.__mro__):
        for value in vars(klass).values():
            function = value.__func__ if isinstance(value, classmethod | staticmethod) else value
            spec = getattr(function, ROUTE_ATTRIBUTE, None)
            if isinstance(spec, RouteSpec):
                found[spec.name] = spec
    return list(found.values())


# -- parameters ------------------------------------------------------------------------------------------
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

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        self.model = model
        super().__init__(queryset=model._default_manager.all(), **kwargs)

    def get_queryset(self) -> models.QuerySet:
        from cruddy_django.registry.sites import site

        resource = site.resource_for(self.model)
        queryset = super().get_queryset()
        if resource is not None:
            queryset = resource.scope_queryset(self.context.get("request"), queryset)
        return queryset

    def to_internal_value(self, data: Any) -> models.Model:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return self.get_queryset().get(pk=data)
        except (self.model.DoesNotExist, ValueError, TypeError, models.ObjectDoesNotExist):
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


def serializer_field_for(annotation: Any, name: str, **kwargs: Any) -> serializers.Field:
    """The DRF field that validates one route parameter of this annotation."""
    annotation, nullable = _optional_inner(annotation)
    if nullable:
        kwargs["allow_null"] = True
    if isinstance(annotation, KeyOf):
        return KeyField(annotation.model, **kwargs)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return serializers.ChoiceField(choices=list(typing.get_args(annotation)), **kwargs)
    if origin in (list, tuple, set) or annotation in (list, tuple, set):
        arguments = typing.get_args(annotation)
        child = serializer_field_for(arguments[0], name) if arguments else serializers.JSONField()
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


def route_hints(spec: RouteSpec) -> dict[str, Any]:
    """Resolved annotations of the route function (string annotations included), ``Key`` kept as ``KeyOf``."""
    try:
        return typing.get_type_hints(spec.function, globalns=vars(inspect.getmodule(spec.function) or object),
                                     localns={"Key": Key})
    except NameError:
        return dict(spec.function.__annotations__)


def parameter_serializer(spec: RouteSpec, model: type[models.Model]) -> type[serializers.Serializer]:
    """A serializer class named after the route (``CrewAssignLeadParameters``) validating its parameters."""
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
                                                     **kwargs)
    name = "".join(part.capitalize() for part in spec.name.split("_"))
    return type(f"{model.__name__}{name}Parameters", (serializers.Serializer,), attrs)


def return_model(spec: RouteSpec, model: type[models.Model]) -> type[models.Model] | None:
    """The model a route says it returns (``-> "Crew"`` or ``-> Crew``), for the response schema."""
    annotation = route_hints(spec).get("return")
    if isinstance(annotation, str):
        return model if annotation in {model.__name__, "Self", "typing.Self"} else None
    if annotation is typing.Self:
        return model
    if isinstance(annotation, type) and issubclass(annotation, models.Model):
        return annotation
    return None
