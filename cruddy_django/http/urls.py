"""The URL patterns of a site: the API root, the site's ``_meta`` and its diagram, the health check, every
resource (with and without a trailing slash), the OpenAPI schema and the Swagger UI; then a catch-all that
answers a JSON 404, so mount your own URLs under the API root before ``site.urls``. Every view is wrapped by
``boundary.site_view`` (request id, JSON errors, logs).

    urlpatterns = [path("api/", include(site.urls))]
    reverse("cruddy:assets-rockets-list")  # -> "/api/assets/rockets/"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.urls import URLPattern, URLResolver, re_path
from rest_framework.routers import DynamicRoute, Route, SimpleRouter
from rest_framework.views import APIView

from cruddy_django.http.boundary import not_found, site_view
from cruddy_django.http.health import HealthView
from cruddy_django.http.overview import DiagramView, SiteMetaView
from cruddy_django.http.views import APIRootView, SchemaView, SwaggerView
from cruddy_django.http.viewsets import viewset_for

if TYPE_CHECKING:
    from cruddy_django.registry import ResourceRegistry

__all__ = ["ResourceRouter", "build_urlpatterns"]

ViewT = TypeVar("ViewT", bound=APIView)


class ResourceRouter(SimpleRouter):
    """DRF's router with the collection-level writes and the relation routes of the HTTP contract.

    A method is routed only when the viewset has the action (DRF's rule), so each action lives in the
    mixin that implements it: ``upsert``/``bulk_update``/``bulk_destroy`` on the collection, and
    ``relation_*`` on ``<pk>/<relation>/``. ``@action`` routes are listed first and win over relations.
    """

    routes = [
        Route(
            url=r"^{prefix}{trailing_slash}$",
            mapping={"get": "list", "post": "create", "put": "upsert", "patch": "bulk_update",
                     "delete": "bulk_destroy"},
            name="{basename}-list",
            detail=False,
            initkwargs={"suffix": "List"},
        ),
        DynamicRoute(url=r"^{prefix}/{url_path}{trailing_slash}$", name="{basename}-{url_name}",
                     detail=False, initkwargs={}),
        Route(
            url=r"^{prefix}/{lookup}{trailing_slash}$",
            mapping={"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
            name="{basename}-detail",
            detail=True,
            initkwargs={"suffix": "Instance"},
        ),
        DynamicRoute(url=r"^{prefix}/{lookup}/{url_path}{trailing_slash}$", name="{basename}-{url_name}",
                     detail=True, initkwargs={}),
        Route(
            url=r"^{prefix}/{lookup}/(?P<relation>[^/.]+){trailing_slash}$",
            mapping={"get": "relation_list", "put": "relation_replace", "post": "relation_add",
                     "delete": "relation_remove"},
            name="{basename}-relation",
            detail=True,
            initkwargs={"suffix": "Relation"},
        ),
    ]


def _without_schema(view_class: type[ViewT]) -> type[ViewT]:
    """A twin of the view that the OpenAPI generator skips, for the slash-less duplicate routes."""
    return type(view_class.__name__, (view_class,), {"schema": None, "__module__": view_class.__module__})


def _resource_patterns(site: ResourceRegistry, *, trailing_slash: bool) -> list[URLPattern | URLResolver]:
    router = ResourceRouter(trailing_slash=trailing_slash)
    taken: set[str] = set()
    for resource in site.resources:
        if resource.options.basename in taken:
            continue  # two resources on one URL: the system check reports it (cruddy_django.E002)
        taken.add(resource.options.basename)
        viewset = viewset_for(resource)
        viewset = viewset if trailing_slash else _without_schema(viewset)
        router.register(resource.options.url_prefix, viewset, basename=resource.options.basename)
    return router.urls


def _twins(route: str, view_class: type[APIView], name: str, **initkwargs: object) -> list[URLPattern]:
    """A site view at ``route`` and ``route/``; the slash-less twin is hidden from the schema."""
    return [
        re_path(rf"^{route}$", _without_schema(view_class).as_view(**initkwargs), name=name),
        re_path(rf"^{route}/$", view_class.as_view(**initkwargs), name=name),
    ]


def _guarded(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(pattern, URLPattern):
        pattern.callback = site_view(pattern.callback)
    return pattern


def build_urlpatterns(site: ResourceRegistry) -> list[URLPattern | URLResolver]:
    """Each route twice, without and with the trailing slash, so both resolve and nothing redirects
    (a redirected POST loses its body). Django's reverse() picks the last pattern of a name: the slash."""
    patterns = [
        re_path(r"^$", APIRootView.as_view(site=site), name="api-root"),
        *_twins("_meta", SiteMetaView, "meta", site=site),
        *_twins("_meta/diagram", DiagramView, "meta-diagram", site=site),
        *_twins("_health", HealthView, "health"),
        *_twins("schema", SchemaView, "schema"),
        *_twins("docs", SwaggerView, "docs"),
        *_resource_patterns(site, trailing_slash=False),
        *_resource_patterns(site, trailing_slash=True),
        re_path(r"", not_found, name="not-found"),
    ]
    return [_guarded(pattern) for pattern in patterns]
