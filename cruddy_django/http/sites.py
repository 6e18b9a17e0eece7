"""The site: the registry of resources, with the URLs and the classes generated for every resource.

    from cruddy_django import site                 # the default ResourceSite
    urlpatterns = [path("api/", include(site.urls))]
    other = ResourceSite(name="partners")          # a second, independent API
    other.register(Astronaut, scope=partners_only)
    other.get_resource(Astronaut).viewset          # its own AstronautViewSet, serializer, filterset, factory

Like Django's ``AdminSite``, a subclass may change the class attributes (``viewset_base_class``,
``serializer_base_class``, ``filterset_base_class``, ``pagination_class``; see ``ResourceRegistry``) and the
app config's ``default_site`` names the class of ``cruddy_django.site``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

from cruddy_django.drf.filtersets import filterset_class_for
from cruddy_django.drf.serializers import serializer_class_for
from cruddy_django.http.urls import build_urlpatterns
from cruddy_django.http.viewsets import viewset_for
from cruddy_django.registry import Resource, ResourceRegistry
from cruddy_django.seeding import resolve_factory

if TYPE_CHECKING:
    from django.urls import URLPattern, URLResolver

__all__ = ["ResourceSite", "SiteResource"]


class SiteResource(Resource):
    """A resource with the classes its site generates for it (each built once, then cached on the site)."""

    @property
    def viewset(self) -> type:
        return viewset_for(self)

    @property
    def serializer_class(self) -> type:
        return serializer_class_for(self)

    @property
    def filterset_class(self) -> type:
        return filterset_class_for(self)

    @property
    def factory(self) -> Any:
        return resolve_factory(self.site, self.model)


class ResourceSite(ResourceRegistry):
    """A registry of resources served over HTTP: ``include(site.urls)`` mounts the API root, every resource,
    ``_meta``, the OpenAPI schema and Swagger UI."""

    resource_class = SiteResource

    def get_urls(self) -> list[URLPattern | URLResolver]:
        apps.check_models_ready()
        return build_urlpatterns(self)

    @property
    def urls(self) -> tuple[list[URLPattern | URLResolver], str]:
        """``(patterns, app_name)`` for ``include()``: the URL namespace is the site's name, so several
        sites can be mounted side by side (``reverse("cruddy:...")`` for the default site, whose name is the
        ``URL_NAMESPACE`` setting; ``reverse("partners:...")`` for a site named "partners")."""
        return self.cache.get("urls", self, self.get_urls, reads_settings=False), self.name
