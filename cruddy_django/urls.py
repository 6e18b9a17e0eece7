"""The URL patterns of a site: the API root, every resource (with and without a trailing slash), the
OpenAPI schema and the Swagger UI.

    urlpatterns = [path("api/", include(site.urls))]
    reverse("cruddy:assets-rockets-list")  # -> "/api/assets/rockets/"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import URLPattern, URLResolver, re_path
from rest_framework.routers import SimpleRouter

from .views import APIRootView, SchemaView, SwaggerView

if TYPE_CHECKING:
    from .sites import ResourceSite


class ResourceRouter(SimpleRouter):
    """DRF's router with an optional trailing slash, so ``/x`` and ``/x/`` both resolve (no redirect)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"  # DRF's __init__ turns any true value into "/"


def build_urlpatterns(site: ResourceSite) -> list[URLPattern | URLResolver]:
    router = ResourceRouter()
    for resource in site.resources:
        router.register(resource.options.url_prefix, resource.viewset, basename=resource.options.basename)
    return [
        re_path(r"^$", APIRootView.as_view(site=site), name="api-root"),
        re_path(r"^schema/?$", SchemaView.as_view(), name="schema"),
        re_path(r"^docs/?$", SwaggerView.as_view(), name="docs"),
        *router.urls,
    ]
