"""The registry of resources, in the image of ``django.contrib.admin.sites.AdminSite``, and the resource: a
registered model with its options and its site.

    registry = ResourceRegistry()
    registry.register(Rocket, path="rockets", page_size=10)
    resource = registry.get_resource("Rocket")
    resource.options.page_size, resource.site     # -> 10, registry
    resource.related_resource(resource.options.graph.fields["parts"])   # RocketPart's resource on registry

A resource knows its site, as a ``ModelAdmin`` knows its ``admin_site``: every look-up across a relation goes
through ``resource.site``, so two sites never see each other's options. What a request may do on a resource
is the access object's business (``cruddy_django.access``), not the resource's.

Registration only records the model and its validated options. The registry knows no view, serializer or URL:
``cruddy_django.http.ResourceSite`` extends it with URLs and the generated classes, and the upper layers keep
what they build from it in ``cache``, which every change of the registry or of the settings empties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from weakref import WeakSet

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.utils.module_loading import import_string

from cruddy_django.conf import cruddy_settings
from cruddy_django.exceptions import AlreadyRegistered, NotRegistered
from cruddy_django.introspection import FieldInfo, ancestor_models
from cruddy_django.registry.cache import SiteCache
from cruddy_django.registry.options import ResourceOptions, build_options, inherit_options

__all__ = ["Resource", "ResourceRegistry", "all_sites"]

class Resource:
    """A model on a site, with its validated options. ``declared`` holds the options given at registration;
    ``options`` adds those inherited from ``parent``, the resource of the nearest concrete parent or proxied
    model registered on the same site (see ``inherit_options``)."""

    def __init__(self, site: ResourceRegistry, model: type[models.Model], options: ResourceOptions,
                 declared: Mapping[str, Any] | None = None) -> None:
        self.site = site
        self.model = model
        self.options = options
        self.declared: dict[str, Any] = dict(declared or {})
        self.parent: Resource | None = None

    def __repr__(self) -> str:
        return f"<Resource {self.model._meta.label} at /{self.options.url_prefix}/>"

    def __deepcopy__(self, memo: dict[int, Any]) -> Resource:
        """A resource is one registration, never copied: DRF deep-copies a serializer's declared fields (and
        their arguments, such as a computed field's resource) for every serializer it makes."""
        return self

    @property
    def name(self) -> str:
        return self.model.__name__

    @property
    def description(self) -> str:
        """The model's docstring, unless it is the signature Django writes for undocumented models."""
        doc = (self.model.__doc__ or "").strip()
        if not doc or doc.startswith(f"{self.model.__name__}("):
            return f"The {self.model._meta.verbose_name_plural} resource."
        return doc

    def configured_class(self, name: str, default: Any, *, from_site: bool = True) -> Any:
        """A class the options name (``serializer_class``, ``viewset_base_class``...), else the site (when
        ``from_site``), else ``default``; import strings are imported. The upper layers that build classes
        for a resource read their configuration through this."""
        value = getattr(self.options, name, None)
        if value is None and from_site:
            value = getattr(self.site, name, None)
        if value is None:
            return default
        return import_string(value) if isinstance(value, str) else value

    @property
    def reverse_relations(self) -> dict[str, FieldInfo]:
        """Reverse relations into resources of this site that requests may follow (filter, sort, select,
        expand, relation routes) though ``fields`` does not list them: all of them unless the resource lists its
        ``fields`` explicitly, but those it excludes."""
        options = self.options
        if options.fields is not None:
            return {}
        return {info.name: info for info in options.graph.reverse_fields
                if info.name not in options.exclude and info.name not in options.exposed_fields
                and self.related_resource(info) is not None}

    def related_resource(self, info: FieldInfo) -> Resource | None:
        """The resource (on this site) behind a relation field, or None when the target model is not on the
        API: then the relation shows as pks but can never be traversed."""
        return self.site.resource_for(info.relation.related_model) if info.relation else None


# Every registry alive, for the system checks (Django's admin keeps its sites the same way).
all_sites: WeakSet[ResourceRegistry] = WeakSet()


class ResourceRegistry:
    """Owns the resources of one API and answers look-ups by model, name, label or URL prefix."""

    #: The class of each registered resource (a subclass may add what it builds for a resource).
    resource_class: type[Resource] = Resource
    #: Base classes of the classes generated for every resource of the site, for the layers that build
    #: them: a class, an import string, or None for cruddy_django's own. A resource option of the same name
    #: wins. Override on a subclass or on an instance, as ``AdminSite``'s forms and templates.
    viewset_base_class: type | str | None = None
    serializer_base_class: type | str | None = None
    filterset_base_class: type | str | None = None
    pagination_class: type | str | None = None

    def __init__(self, name: str | None = None) -> None:
        #: Names the site's URL namespace; the default site's is the ``URL_NAMESPACE`` setting ("cruddy").
        self.name = name or cruddy_settings.URL_NAMESPACE
        self._registry: dict[type[models.Model], Resource] = {}
        self.cache = SiteCache()
        all_sites.add(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {len(self._registry)} resources>"

    def __deepcopy__(self, memo: dict[int, Any]) -> ResourceRegistry:
        """A site is shared by every request and thread: copying it (with its cache) is never wanted."""
        return self

    # -- registration ----------------------------------------------------------------------------------
    def register(
        self, model_or_iterable: type[models.Model] | Iterable[type[models.Model]], **options: Any
    ) -> None:
        for model in _models(model_or_iterable):
            if not (isinstance(model, type) and issubclass(model, models.Model)):
                raise ImproperlyConfigured(f"Only Django models can be registered, not {model!r}.")
            if model._meta.abstract:
                raise ImproperlyConfigured(
                    f"The model {model.__name__} is abstract, so it cannot be registered as a resource."
                )
            if model in self._registry:
                raise AlreadyRegistered(f"The model {model._meta.label} is already registered as a resource.")
            self._registry[model] = self.resource_class(self, model, build_options(model, options), options)
            self._inherit(model)
        self.cache.clear()

    def unregister(self, model_or_iterable: type[models.Model] | Iterable[type[models.Model]]) -> None:
        for model in _models(model_or_iterable):
            if model not in self._registry:
                raise NotRegistered(f"The model {model._meta.label} is not registered as a resource.")
            del self._registry[model]
            self._inherit(model)
        self.cache.clear()

    def reconfigure(self, model: type[models.Model], **changes: Any) -> ResourceOptions:
        """Change options of a registered resource in place (the same ``Resource`` object, so URLs and
        views already built keep serving it), drop what was built from the old options and return them.
        Children and proxies that inherit from it follow. Tests use it through
        ``cruddy_django.test.override_resource``."""
        resource = self.get_resource(model)
        previous = resource.options
        build_options(model, {**resource.declared, **changes})  # a mistake raises before anything changes
        resource.declared = {**resource.declared, **changes}
        self._inherit(model)
        self.cache.clear()
        return previous

    def options_snapshot(self) -> dict[type[models.Model], tuple[ResourceOptions, dict[str, Any]]]:
        """Every resource's options as they are now, for ``restore_options``."""
        return {model: (resource.options, dict(resource.declared)) for model, resource in self._registry.items()}

    def restore_options(self, snapshot: Mapping[type[models.Model], tuple[ResourceOptions, dict[str, Any]]]
                        ) -> None:
        for model, (options, declared) in snapshot.items():
            resource = self._registry.get(model)
            if resource is not None:
                resource.options, resource.declared = options, declared
                resource.parent = self._parent_of(model)
        self.cache.clear()

    # -- inheritance -----------------------------------------------------------------------------------
    def _parent_of(self, model: type[models.Model]) -> Resource | None:
        """The resource of the nearest concrete parent or proxied model registered on this site."""
        return next((self._registry[parent] for parent in ancestor_models(model) if parent in self._registry),
                    None)

    def _inherit(self, changed: type[models.Model]) -> None:
        """Build again the options of ``changed`` and of every registered model inheriting from it, parents
        before children, so each takes what it does not declare from its parent's resource on this site."""
        affected = [model for model in self._registry if model is changed or changed in ancestor_models(model)]
        for model in sorted(affected, key=lambda model: len(ancestor_models(model))):
            resource = self._registry[model]
            resource.parent = self._parent_of(model)
            declared = resource.declared
            if resource.parent is not None:
                declared = inherit_options(model, declared, resource.parent.options)
            resource.options = build_options(model, declared)

    def is_registered(self, model: type[models.Model]) -> bool:
        return model in self._registry

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
        """The resource of a model on this site, or None: the planners use it to refuse traversals into
        models that this API does not expose."""
        return self._registry.get(model)


def _models(model_or_iterable: type[models.Model] | Iterable[type[models.Model]]) -> list[type[models.Model]]:
    return [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    """Plans and fields read settings (formats, the time zone, FAST_READS): any change drops them."""
    for registry in list(all_sites):
        registry.cache.clear(settings=True)


setting_changed.connect(_settings_changed, dispatch_uid="cruddy_django.registry.settings_changed")
