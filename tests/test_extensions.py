"""Controller extensions: viewset mixins whose actions and overrides win, and reusing generated actions."""

import pytest
from rest_framework.test import APIRequestFactory

from cruddy_django import site
from example_project.staff.models import Astronaut
from tests.extensions_urls import PilotsMixin, extended_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def astronauts():
    Astronaut.objects.create(code="A1", name="Ada", role="pilot")
    Astronaut.objects.create(code="X1", name="Xen", role="pilot")
    Astronaut.objects.create(code="A2", name="Bo", role="doctor")


@pytest.mark.urls("tests.extensions_urls")
def test_mixin_actions_and_overrides_win(api, astronauts):
    viewset = extended_site.get_resource(Astronaut).viewset
    assert (viewset.__name__, viewset.__mro__[1]) == ("AstronautViewSet", PilotsMixin)
    assert api.get("/api/crew-office/astronauts/pilots/").json() == {"count": 1}
    assert api.get("/api/crew-office/astronauts/pilots/?.name=Xen").json() == {"count": 0}
    assert api.get("/api/crew-office/astronauts/").json()["count"] == 2


def test_generated_actions_can_be_reused_in_custom_views(astronauts):
    list_view = site.get_resource("Astronaut").viewset.as_view({"get": "list"})
    response = list_view(APIRequestFactory().get("/anything/", {".role": "pilot"}))
    assert (response.status_code, response.data["count"]) == (200, 2)
