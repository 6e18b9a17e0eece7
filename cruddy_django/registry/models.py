"""``ResourceModel`` and ``@resource``: the two ways to put a model on the API.

    class Rocket(ResourceModel):            # registered on `site` when the class is created
        code = models.CharField(max_length=10, unique=True)

    @resource(fields=["id", "username"])    # any model, including other apps' models
    class Pilot(models.Model): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

from django.conf import settings
from django.db import models
from django.db.models.signals import class_prepared

from cruddy_django.registry.default import site
from cruddy_django.registry.options import options_from_class
from cruddy_django.registry.sites import ResourceRegistry

__all__ = ["ResourceModel", "Tracked", "resource"]


ModelT = TypeVar("ModelT", bound=type[models.Model])


class ResourceModel(models.Model):
    """Abstract model mixin: every concrete subclass becomes a resource of ``cruddy_django.site``,
    with the options of its inner ``class Resource`` (all optional)."""

    class Meta:
        abstract = True


def _own_resource_class(model: type[models.Model]) -> type | None:
    """The model's own ``Resource``, else one inherited from an abstract parent (never a concrete one's:
    its path and options belong to that parent)."""
    for klass in model.__mro__:  # typed as plain classes: `_meta` is read as a model's, as before
        if "Resource" in vars(klass) and (
            klass is model or getattr(cast("type[models.Model]", klass)._meta, "abstract", False)
        ):
            return vars(klass)["Resource"]
    return None


def _register_resource_model(sender: type[models.Model], **kwargs: Any) -> None:
    if not issubclass(sender, ResourceModel) or sender._meta.abstract:
        return
    if sender._meta.proxy and "Resource" not in vars(sender):
        return  # a proxy is a second view of the same table: it becomes a resource only when it asks to
    site.register(sender, **options_from_class(_own_resource_class(sender)))


class_prepared.connect(_register_resource_model, dispatch_uid="cruddy_django.register_resource_model")


@overload
def resource(model: ModelT, /, *, site: ResourceRegistry = ..., **options: Any) -> ModelT: ...


@overload
def resource(model: None = None, /, *, site: ResourceRegistry = ..., **options: Any) -> Callable[[ModelT], ModelT]: ...


def resource(
    model: ModelT | None = None, /, *, site: ResourceRegistry = site, **options: Any
) -> ModelT | Callable[[ModelT], ModelT]:
    """Register a model as a resource: ``@resource`` or ``@resource(path="pilots", ...)``."""

    def register(model_class: ModelT) -> ModelT:
        site.register(model_class, **options)
        return model_class

    return register(model) if model is not None else register


class Tracked(models.Model):
    """Abstract mixin: who created and last changed a row, and when. Writes through the API fill these
    from the request's user; clients can never set them (they are read-only in every serializer).

        class Mission(Tracked, ResourceModel): ...
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
