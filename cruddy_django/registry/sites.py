"""The resource registry, in the image of ``django.contrib.admin.site``.

    from cruddy_django import site
    site.register(Rocket, path="rockets", page_size=10)
    urlpatterns = [path("api/", include(site.urls))]

Registration only records the model and its options; serializers, filtersets, viewsets and URLs are built
on first use, when every app is loaded and relations resolve in any order.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

from cruddy_django.conf import cruddy_settings
from cruddy_django.exceptions import AlreadyRegistered, NotRegistered
from cruddy_django.introspection import FieldInfo
from cruddy_django.registry.options import ResourceOptions, build_options

if TYPE_CHECKING:
    from django.urls import URLPattern, URLResolver


def _maybe_import(value: Any) -> Any:
    return import_string(value) if isinstance(value, str) else value


class Resource:
    """One registered model and everything generated for it, built lazily and cached."""

    def __init__(self, site: ResourceSite, model: type[models.Model], options: ResourceOptions) -> None:
        self.site = site
        self.model = model
        self.options = options

    def __repr__(self) -> str:
        return f"<Resource {self.model._meta.label} at /{self.options.url_prefix}/>"

    @property
    def name(self) -> str:
        return self.model.__name__

    # -- what a request may see and change: field rules and scopes, in one place ------------------------
    def can_read_field(self, name: str, request: Any = None, obj: Any = None) -> bool:
        """The ``read`` field rule, called with the row (or None: "on any row", for queries and schemas)."""
        rule = self.options.field_rules.get(name, {}).get("read")
        return rule is None or bool(rule(request, obj))

    def can_write_field(self, name: str, request: Any = None, obj: Any = None) -> bool:
        """The ``write`` field rule (None as ``obj`` on create); read-only and non-editable fields never."""
        options = self.options
        info = options.exposed_fields.get(name)
        if info is None or name in options.read_only_fields or (info.primary_key and info.auto_created):
            return False
        if not info.editable and not (info.relation and info.relation.reverse):
            return False
        rule = options.field_rules.get(name, {}).get("write")
        return rule is None or bool(rule(request, obj))

    def readable_fields(self, request: Any = None, obj: Any = None) -> dict[str, FieldInfo]:
        """The fields this request may read, filter, sort, select or expand (for ``obj``, or for any row)."""
        exposed = self.options.exposed_fields
        if not self.options.field_rules:
            return exposed
        return {name: info for name, info in exposed.items() if self.can_read_field(name, request, obj)}

    def writable_fields(self, request: Any = None, obj: Any = None) -> dict[str, FieldInfo]:
        """The fields this request may set (on ``obj``, or on a new row when None)."""
        return {name: info for name, info in self.options.exposed_fields.items()
                if self.can_write_field(name, request, obj)}

    def related_resource(self, info: FieldInfo) -> Resource | None:
        """The resource behind a relation field, or None when the target model is not on the API
        (then the relation shows as pks but can never be traversed)."""
        return self.site.resource_for(info.relation.related_model) if info.relation else None

    def scope_queryset(self, request: Any, queryset: models.QuerySet) -> models.QuerySet:
        """Apply the resource's ``scope`` option: the rows this request may see or touch."""
        if self.options.scope is None:
            return queryset
        return self.options.scope(request, queryset)

    @cached_property
    def serializer_class(self) -> type:
        if self.options.serializer_class is not None:
            return _maybe_import(self.options.serializer_class)
        from cruddy_django.drf.serializers import build_serializer_class

        return build_serializer_class(self)

    @cached_property
    def filterset_class(self) -> type:
        if self.options.filterset_class is not None:
            return _maybe_import(self.options.filterset_class)
        from cruddy_django.drf.filtersets import build_filterset_class

        return build_filterset_class(self)

    @cached_property
    def viewset(self) -> type:
        from cruddy_django.http.viewsets import build_viewset_class

        return build_viewset_class(self)

    @cached_property
    def factory(self) -> type:
        if self.options.factory is not None:
            return _maybe_import(self.options.factory)
        from cruddy_django.seeding import factory_for

        return factory_for(self.model)


class ResourceSite:
    """Owns the registry of resources, builds their URLs and answers look-ups."""

    def __init__(self, name: str = "cruddy") -> None:
        self.name = name
        self._registry: dict[type[models.Model], Resource] = {}

    # -- registration ----------------------------------------------------------------------------------
    def register(
        self, model_or_iterable: type[models.Model] | Iterable[type[models.Model]], **options: Any
    ) -> None:
        models_to_register = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models_to_register:
            if not (isinstance(model, type) and issubclass(model, models.Model)):
                raise ImproperlyConfigured(f"Only Django models can be registered, not {model!r}.")
            if model._meta.abstract:
                raise ImproperlyConfigured(
                    f"The model {model.__name__} is abstract, so it cannot be registered as a resource."
                )
            if model in self._registry:
                raise AlreadyRegistered(f"The model {model._meta.label} is already registered as a resource.")
            self._registry[model] = Resource(self, model, build_options(model, options))
        self._reset()

    def unregister(self, model_or_iterable: type[models.Model] | Iterable[type[models.Model]]) -> None:
        models_to_remove = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models_to_remove:
            if model not in self._registry:
                raise NotRegistered(f"The model {model._meta.label} is not registered as a resource.")
            del self._registry[model]
        self._reset()

    def is_registered(self, model: type[models.Model]) -> bool:
        return model in self._registry

    def _reset(self) -> None:
        self.__dict__.pop("urls", None)

    # -- look-ups --------------------------------------------------------------------------------------
    @property
    def resources(self) -> list[Resource]:
        return list(self._registry.values())

    def get_resource(self, name_or_model: str | type[models.Model]) -> Resource:
        """Find a resource by model class, ``"Crew"``, ``"staff.Crew"`` or its URL prefix."""
        if isinstance(name_or_model, type):
            try:
                return self._registry[name_or_model]
            except KeyError:
                raise NotRegistered(
                    f"The model {name_or_model.__name__} is not registered as a resource."
                ) from None
        wanted = name_or_model.lower()
        matches = [
            resource
            for model, resource in self._registry.items()
            if wanted in {model.__name__.lower(), model._meta.label_lower, resource.options.url_prefix}
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            labels = ", ".join(sorted(resource.model._meta.label for resource in matches))
            raise NotRegistered(f"{name_or_model!r} is ambiguous; use an app label: {labels}.")
        known = ", ".join(sorted(model._meta.label for model in self._registry)) or "none"
        raise NotRegistered(f"No resource is registered as {name_or_model!r}. Registered: {known}.")

    def resource_for(self, model: type[models.Model]) -> Resource | None:
        """The resource of a model, or None: the query and selection planners use it to refuse
        traversals into models that the API does not expose."""
        return self._registry.get(model)

    # -- URLs ------------------------------------------------------------------------------------------
    def get_urls(self) -> list[URLPattern | URLResolver]:
        from cruddy_django.http.urls import build_urlpatterns

        apps.check_models_ready()
        return build_urlpatterns(self)

    @cached_property
    def urls(self) -> tuple[list[URLPattern | URLResolver], str]:
        """``(patterns, app_name)`` for ``include()``; the namespace defaults to the app name."""
        return self.get_urls(), cruddy_settings.URL_NAMESPACE


site = ResourceSite()
