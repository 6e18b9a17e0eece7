"""A second site whose astronauts get a viewset mixin: used by test_extensions.py."""

from django.urls import include, path
from rest_framework.decorators import action
from rest_framework.response import Response

from cruddy_django import ResourceSite
from example_project.staff.models import Astronaut


class PilotsMixin:
    @action(detail=False, methods=["get"])
    def pilots(self, request):
        rows = self.filter_queryset(self.get_queryset()).filter(role="pilot")
        return Response({"count": rows.count()})

    def get_queryset(self):  # an override placed before the generated class wins
        return super().get_queryset().exclude(code__startswith="X")


extended_site = ResourceSite(name="extended")
extended_site.register(Astronaut, namespace="crew-office", viewset_mixins=[PilotsMixin])

urlpatterns = [path("api/", include(extended_site.urls))]
