"""Sites whose astronauts are served by generated viewsets with DRF's own hooks set: used by
test_drf_hooks.py. Each hook gets a site of its own, mounted at /hooks/<hook>/."""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler

from cruddy_django import ResourceFilterSet, ResourcePagination, ResourceSerializer, ResourceSite, ResourceViewSet
from example_project.staff.models import Astronaut, Crew


class MarkedRenderer(JSONRenderer):
    media_type = "application/vnd.marked+json"
    format = "marked"


class PilotsOnlyBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        return queryset.filter(role="pilot")


class ShoutingSerializer(serializers.ModelSerializer):
    shout = serializers.SerializerMethodField()

    class Meta:
        model = Astronaut
        fields = ["id", "code", "name", "role", "shout"]

    def get_shout(self, astronaut):
        return astronaut.name.upper()


class Paging:
    pagination_class = LimitOffsetPagination


class Rendering:
    renderer_classes = [MarkedRenderer]


class Parsing:
    parser_classes = [JSONParser]


class Backends:
    filter_backends = [PilotsOnlyBackend]


class Queryset:
    def get_queryset(self):
        return super().get_queryset().exclude(code__startswith="X")


class SerializerClass:
    def get_serializer_class(self):
        return ShoutingSerializer


class SerializerAttribute:
    serializer_class = ShoutingSerializer


def wrapping_handler(exc, context):
    """A project's EXCEPTION_HANDLER: every error under {"error": ...}."""
    response = exception_handler(exc, context)
    if response is not None:
        response.data = {"error": response.data}
    return response


class CountingViewSet(ResourceViewSet):
    """A site's viewset base class: says which class served the request."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Served-By"] = "CountingViewSet"
        return response


class TaggedSerializer(ResourceSerializer):
    def to_representation(self, instance):
        return {**super().to_representation(instance), "tagged": True}


class CodeOnlyFilterSet(ResourceFilterSet):
    """A base whose subclasses keep only the ``code`` filters."""

    @classmethod
    def get_fields(cls):
        return {name: lookups for name, lookups in super().get_fields().items() if name == "code"}


class PagesOfOne(ResourcePagination):
    page_size = 1


class BaseClassesSite(ResourceSite):
    viewset_base_class = CountingViewSet
    serializer_base_class = TaggedSerializer
    filterset_base_class = CodeOnlyFilterSet
    pagination_class = PagesOfOne


HOOKS = {"paging": Paging, "rendering": Rendering, "parsing": Parsing, "backends": Backends,
         "queryset": Queryset, "serializer-class": SerializerClass, "serializer-attribute": SerializerAttribute}
sites = {}
for name, mixin in HOOKS.items():
    sites[name] = ResourceSite(name=f"hooks-{name}")
    sites[name].register(Astronaut, namespace="", viewset_mixins=[mixin])

sites["bases"] = BaseClassesSite(name="hooks-bases")
sites["bases"].register(Astronaut, namespace="")
sites["bases"].register(Crew, namespace="", serializer_base_class=ResourceSerializer,
                        pagination_class=ResourcePagination)

urlpatterns = [path(f"hooks/{name}/", include(hook_site.urls)) for name, hook_site in sites.items()]
