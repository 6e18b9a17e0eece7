"""The ``_meta`` and ``_check`` endpoints: on each collection, and for the whole site (JSON, HTML, diagram).

    GET  /api/_meta                    -> {"name": "Missions API", "resources": [...]}; an HTML overview for browsers
    GET  /api/_meta/diagram            -> Mermaid erDiagram text (?format=svg: the picture)
    GET  /api/staff/crews/_meta        -> one resource;  POST it a partial item for that item's rights
    POST /api/staff/crews/_check       -> {"item": {...}, "path": "code"} -> {"error": null | "message"}

Every answer is the user's view of the cached description (``meta.user_view``): fields the user cannot read
are absent, rights are evaluated for this request. A collection's ``_meta`` is guarded by the ``*`` policies
(and a ``_meta`` policy when named); the site's lists only the resources whose ``_meta`` the user may read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.safestring import mark_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cruddy_django.conf import cruddy_settings
from cruddy_django.http.metadata import ResourceMetadata, api_root_url, site_url
from cruddy_django.http.rights import action_allowed
from cruddy_django.meta.check import check_field, item_row
from cruddy_django.meta.describe import describe_resource, user_view
from cruddy_django.meta.diagram import mermaid_er
from cruddy_django.meta.svg import render_svg

if TYPE_CHECKING:
    from cruddy_django.registry.sites import ResourceSite


class CheckRequestSerializer(serializers.Serializer):
    item = serializers.DictField(required=False, help_text="The partial item, as a form holds it.")
    path = serializers.CharField(help_text='The field to validate: "code" (backo\'s "$.code" also works).')


class CheckResultSerializer(serializers.Serializer):
    error = serializers.CharField(allow_null=True, help_text="null when the value is valid.")


class MetaMixin:
    """``<collection>/_meta`` (GET, or POST with a partial item) and ``<collection>/_check`` (POST), and
    ``OPTIONS`` answered from the same description."""

    metadata_class = ResourceMetadata

    @extend_schema(methods=["GET"], responses=OpenApiTypes.OBJECT,
                   description="The resource's fields, routes and the current user's rights (docs/meta.md).")
    @extend_schema(methods=["POST"], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT,
                   description="The same, with the rights evaluated for the partial item sent as the body.")
    @action(detail=False, methods=["get", "post"], url_path="_meta", url_name="meta", name="Meta")
    def _meta(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = None
        if request.method == "POST":
            if not isinstance(request.data, Mapping):
                raise ValidationError({"detail": "The body must be a JSON object: a partial item."})
            row, _ = item_row(self, request.data)
        description = user_view(describe_resource(self.resource), self.resource, request, obj=row,
                                api_root=api_root_url(request))
        return Response(description)

    @extend_schema(request=CheckRequestSerializer, responses=CheckResultSerializer,
                   description="Validate one field of a partial item as a write would (docs/meta.md).")
    @action(detail=False, methods=["post"], url_path="_check", url_name="check", name="Check")
    def _check(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data
        if not isinstance(data, Mapping):
            raise ValidationError({"detail": 'The body must be a JSON object: {"item": {...}, "path": "field"}.'})
        item = data.get("item", {})
        path = data.get("path")
        if not isinstance(item, Mapping):
            raise ValidationError({"item": ["A JSON object is expected."]})
        if not isinstance(path, str) or not path.strip():
            raise ValidationError({"path": ["The name of a field is expected."]})
        return Response({"error": check_field(self, item, path.strip().removeprefix("$."))})


# -- the site ------------------------------------------------------------------------------------------------
def site_resources(site: ResourceSite, request: Request) -> list[dict[str, Any]]:
    """Every resource whose ``_meta`` this request may read, as the request sees it, by URL."""
    api_root = api_root_url(request)
    return [user_view(describe_resource(resource), resource, request, api_root=api_root)
            for resource in sorted(site.resources, key=lambda resource: resource.options.url_prefix)
            if action_allowed(resource, request, "_meta", "GET", detail=False)]


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

    site: ResourceSite | None = None
    permission_classes: list[Any] = []
    renderer_classes = [renderers.JSONRenderer, OverviewRenderer]

    def get_view_name(self) -> str:
        return f"{cruddy_settings.TITLE}: resources"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"name": str(cruddy_settings.TITLE), "resources": site_resources(self.site, request)})


class DiagramView(APIView):
    """The site's resources as a Mermaid ``erDiagram`` (text), or as SVG with ``?format=svg``."""

    site: ResourceSite | None = None
    permission_classes: list[Any] = []
    renderer_classes = [MermaidRenderer, SVGRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(site_resources(self.site, request))
