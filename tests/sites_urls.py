"""Two sites side by side on the same models: the default one, and a partners' site where astronauts are
scoped to pilots and their names are hidden. Used by test_sites.py."""

from django.urls import include, path

from cruddy_django import ResourceSite, site
from example_project.staff.models import Astronaut, Crew


def pilots_only(request, queryset):
    return queryset.filter(role="pilot")


partners = ResourceSite(name="partners")
partners.register(Astronaut, namespace="p", scope=pilots_only,
                  field_rules={"name": {"read": lambda request, obj: False}})
partners.register(Crew, namespace="p")

urlpatterns = [path("api/", include(site.urls)), path("partners/", include(partners.urls))]
