"""Custom routes on models: ``@route.post()`` records a method as an endpoint; the HTTP layer serves it.

    class Crew(ResourceModel):
        @route.post()
        def assign_lead(self, astronaut: Key[Astronaut]) -> "Crew": ...   # POST /api/staff/crews/1/assign-lead/

    model_routes(Crew)   # [RouteSpec(name="assign_lead", methods=("post",), detail=True, ...)]

Parameters are read from the annotations (``int float str bool date datetime Decimal Literal[...] list[...]``,
optional with defaults, ``Key[Model]`` for a row of that model's resource, looked up within its scope). A
route with one parameter also accepts the bare value as the body. ``detail=False`` on a ``@classmethod`` hangs
the route off the collection. See ``docs/routes.md``.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

__all__ = ["Key", "RouteSpec", "fallback_action", "kebab", "key_model", "model_routes", "return_model", "route",
           "route_hints"]

ModelT = TypeVar("ModelT", bound=models.Model)
ROUTE_ATTRIBUTE = "_cruddy_route"
RouteMethod = Literal["get", "post", "put", "patch", "delete"]


class KeyMarker:
    """Marks a route parameter annotated ``Key[Model]``: a primary key sent, a row of that model received."""

    def __repr__(self) -> str:
        return "Key"


KEY = KeyMarker()
#: ``Key[Astronaut]``: the parameter is sent as a primary key and arrives as the row of that model's resource
#: (within the request's scope). Type checkers see ``Astronaut``.
Key = Annotated[ModelT, KEY]


def key_model(annotation: Any, default_app: str | None = None) -> Any:
    """The model of a ``Key[...]`` annotation — a model class, ``Key["app_label.Model"]``,
    ``Key[settings.AUTH_USER_MODEL]``, or ``Key["Model"]`` of ``default_app`` — or None for any other
    annotation. A label that names no installed model is an ``ImproperlyConfigured`` that says so."""
    if typing.get_origin(annotation) is not Annotated or KEY not in annotation.__metadata__:
        return None
    target = typing.get_args(annotation)[0]
    if isinstance(target, typing.ForwardRef):
        target = target.__forward_arg__
    if not isinstance(target, str):
        return target
    label = target.strip()
    try:
        if "." in label:
            return apps.get_model(label)
        if default_app:
            return apps.get_model(default_app, label)
    except (LookupError, ValueError):
        pass
    raise ImproperlyConfigured(f"Key[{label!r}] names no installed model: write Key[Model], "
                               "Key['app_label.Model'] or Key[settings.AUTH_USER_MODEL].")


@dataclass
class RouteSpec:
    """What one ``@route.<method>()`` declared."""

    name: str
    methods: tuple[RouteMethod, ...]
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

    def _decorator(self, method: RouteMethod, *, detail: bool = True, url_path: str | None = None,
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


route: _RouteDecorators = _RouteDecorators()


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


def route_hints(spec: RouteSpec) -> dict[str, Any]:
    """Resolved annotations of the route function (string annotations included, ``Key[...]`` kept). A
    ``Key["app_label.Model"]`` is a forward reference typing cannot resolve: then each annotation is
    evaluated on its own, and the label stays for ``key_model``."""
    globalns = vars(inspect.getmodule(spec.function) or object)
    try:
        return typing.get_type_hints(spec.function, globalns=globalns, localns={"Key": Key}, include_extras=True)
    except NameError:
        pass
    hints: dict[str, Any] = {}
    for name, annotation in spec.function.__annotations__.items():
        if isinstance(annotation, str):
            # what typing.get_type_hints does, without resolving the labels inside Key[...]; text that does not
            # evaluate stays text, and the parameter's serializer field says what is wrong
            with contextlib.suppress(Exception):
                annotation = eval(annotation, dict(globalns), {"Key": Key})
        hints[name] = annotation
    return hints


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


SAFE_ROUTE_METHODS = frozenset({"get"})


def fallback_action(spec: RouteSpec) -> str:
    """The generated action whose policies guard a route that has none of its own: reading routes are guarded
    like reads, writing routes like updates (on a row) or creates (on the collection)."""
    reads = set(spec.methods) <= SAFE_ROUTE_METHODS
    if spec.detail:
        return "retrieve" if reads else "update"
    return "list" if reads else "create"
