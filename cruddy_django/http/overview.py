"""The site's ``_meta``: every resource the user may describe, as JSON, an HTML overview or a diagram.

    GET /api/_meta            -> {"name": "Missions API", "resources": [...]}; an HTML overview for browsers
    GET /api/_meta/diagram    -> Mermaid erDiagram text (?format=svg: the picture)

A resource is listed when the user passes its ``_meta`` policies, and shown as the user sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import mark_safe
from drf_spectacular.utils import extend_schema
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cruddy_django.conf import cruddy_settings
from cruddy_django.http.metadata import api_root_url, site_url, user_description
from cruddy_django.http.rights import Rights
from cruddy_django.http.viewsets import viewset_for
from cruddy_django.meta import mermaid_er, render_svg

if TYPE_CHECKING:
    from cruddy_django.registry import ResourceRegistry

__all__ = ["DiagramView", "SiteMetaView", "site_resources"]


def site_resources(site: ResourceRegistry, request: Request) -> list[dict[str, Any]]:
    """Every resource whose ``_meta`` this request may read, as the request sees it, by URL."""
    api_root = api_root_url(request)
    described = []
    for resource in sorted(site.resources, key=lambda resource: resource.options.url_prefix):
        rights = Rights(viewset_for(resource), resource, request)
        if rights.allowed("_meta", "GET", detail=False):
            described.append(user_description(resource, request, rights, api_root=api_root))
    return described


# Template key -> URL name of the site's views linked from the overview.
LINKS = {"api_root": "api-root", "docs": "docs", "schema": "schema", "meta": "meta", "diagram": "meta-diagram"}


class OverviewRenderer(renderers.TemplateHTMLRenderer):
    """The site's ``_meta`` as a page: resources, their fields, and the diagram drawn as inline SVG."""

    template_name = "cruddy_django/meta_overview.html"

    def get_template_context(self, data: Any, renderer_context: Mapping[str, Any]) -> dict[str, Any]:
        request = renderer_context["request"]
        resources = data.get("resources", []) if isinstance(data, Mapping) else []
        return {
            "meta": data, "resources": resources, "title": data.get("name", "") if isinstance(data, Mapping) else "",
            "diagram_svg": mark_safe(render_svg(resources)),  # every text in the SVG is escaped
            "mermaid": mermaid_er(resources),
            "links": {key: site_url(request, name) for key, name in LINKS.items()},
        }


class MermaidRenderer(renderers.BaseRenderer):
    media_type = "text/plain"
    format = "mermaid"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> str:
        return mermaid_er(data) if isinstance(data, list) else f"%% {data}\n"


class SVGRenderer(renderers.BaseRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> str:
        return render_svg(data if isinstance(data, list) else [])


class SiteMetaView(APIView):
    """Every resource the user may describe: JSON, or the HTML overview when the client asks for HTML."""

    site: ResourceRegistry | None = None
    permission_classes: list[Any] = []
    renderer_classes = [renderers.JSONRenderer, OverviewRenderer]

    def get_view_name(self) -> str:
        return f"{cruddy_settings.TITLE}: resources"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if self.site is None:
            raise ImproperlyConfigured("SiteMetaView needs its site: SiteMetaView.as_view(site=...).")
        return Response({"name": str(cruddy_settings.TITLE), "resources": site_resources(self.site, request)})


class DiagramView(APIView):
    """The site's resources as a Mermaid ``erDiagram`` (text), or as SVG with ``?format=svg``."""

    site: ResourceRegistry | None = None
    permission_classes: list[Any] = []
    renderer_classes = [MermaidRenderer, SVGRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if self.site is None:
            raise ImproperlyConfigured("DiagramView needs its site: DiagramView.as_view(site=...).")
        return Response(site_resources(self.site, request))
