"""Site-level views: the API root, and the schema and Swagger UI views tuned to the site.

    GET /api/          -> {"assets/rockets": "http://testserver/api/assets/rockets/", ..., "_meta": ...}
    GET /api/schema/   -> OpenAPI 3 (?format=json for JSON);  GET /api/docs/ -> Swagger UI
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from cruddy_django.conf import SettingDefault, cruddy_settings
from cruddy_django.registry.routes import model_routes

if TYPE_CHECKING:
    from cruddy_django.registry import ResourceRegistry

__all__ = ["APIRootView", "SchemaView", "SwaggerView"]


class APIRootView(APIView):
    """Every resource of the API, with its URL."""

    site: ResourceRegistry | None = None
    permission_classes: list[Any] = []
    renderer_classes = SettingDefault("RENDERER_CLASSES")

    def get_view_name(self) -> str:
        return str(cruddy_settings.TITLE)

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        prefix = f"{namespace}:" if namespace else ""
        if self.site is None:
            raise ImproperlyConfigured("APIRootView needs its site: APIRootView.as_view(site=...).")
        links: dict[str, str] = {}
        for resource in sorted(self.site.resources, key=lambda item: item.options.url_prefix):
            options = resource.options
            try:
                links[options.url_prefix] = reverse(f"{prefix}{options.basename}-list", request=request)
            except NoReverseMatch:  # a site mounted without its namespace
                continue
            for spec in model_routes(resource.model):  # collection routes: detail ones need a row
                if not spec.detail and spec.name not in options.disable:
                    links[f"{options.url_prefix}/{spec.url_path}"] = reverse(
                        f"{prefix}{options.basename}-{spec.url_path}", request=request)
        for name in ("schema", "docs", "meta", "health"):
            links[f"_{name}"] = reverse(f"{prefix}{name}", request=request)
        return Response(links)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document; YAML by default, JSON with ``?format=json`` or an Accept header."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.custom_settings = {"TITLE": cruddy_settings.TITLE, "VERSION": cruddy_settings.VERSION}
        return super().get(request, *args, **kwargs)


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI served from the installed ``drf_spectacular_sidecar`` package: no CDN is needed."""

    # drf-spectacular declares url_name and title as plain attributes; here they are read per request.
    @property
    def url_name(self) -> str:  # type: ignore[override]  # a read-only property over a class attribute
        namespace = self.request.resolver_match.namespace if self.request.resolver_match else ""
        return f"{namespace}:schema" if namespace else "schema"

    @property
    def title(self) -> str:  # type: ignore[override]  # a read-only property over a class attribute
        return str(cruddy_settings.TITLE)

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
