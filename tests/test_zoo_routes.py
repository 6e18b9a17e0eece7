"""Route keys by label — ``Key["app_label.Model"]``, ``Key[settings.AUTH_USER_MODEL]``, ``"Key['Model']"`` of
the same app — and the bare value for the one required parameter of a route that has optional ones too."""

import pytest
from django.contrib.auth.models import User
from django.core import checks as django_checks
from django.db import models
from django.test.utils import isolate_apps

from cruddy_django import Key, ResourceSite, route
from cruddy_django.checks import check_resources
from tests.zoo.models import Authorship, Member, Publication, Shelf, Sponsorship, Writer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(api):
    api.force_authenticate(User.objects.create_user("staff", is_staff=True))
    return api


def test_a_key_by_app_label_and_the_bare_required_parameter(staff_api):
    publication = Publication.objects.create(title="Dune", isbn="1")
    writer = Writer.objects.create(name="Ann")
    url = f"/api/zoo/publications/{publication.pk}/credit/"
    assert staff_api.post(url, writer.pk, format="json").status_code == 200  # bare: the one required parameter
    assert staff_api.post(url, str(writer.pk), format="json").status_code == 200
    assert staff_api.post(url, {"writer": writer.pk, "role": "editor"}, format="json").status_code == 200
    assert list(Authorship.objects.values_list("role", flat=True)) == ["editor"]
    response = staff_api.post(url, 999, format="json")
    assert response.status_code == 400 and response.json() == {"writer": ["No writer with primary key 999."]}


def test_a_key_to_the_user_model_by_its_setting(staff_api):
    publication = Publication.objects.create(title="Dune", isbn="1")
    user = User.objects.create_user("someone")
    response = staff_api.post(f"/api/zoo/publications/{publication.pk}/claim/", {"user": user.pk, "note": "n"},
                              format="json")
    assert response.json() == {"user": user.pk, "note": "n"}
    assert staff_api.post(f"/api/zoo/publications/{publication.pk}/claim/", user.pk, format="json").json() == {
        "user": user.pk, "note": ""}


def test_a_key_written_as_text_names_a_model_of_the_same_app(staff_api):
    shelf = Shelf.objects.create(label="Top")
    member = Member.objects.create(email="m@x.org", name="Mia")
    response = staff_api.post(f"/api/zoo/shelfs/{shelf.pk}/sponsor/", {"member": member.pk, "amount": "2.50"},
                              format="json")
    assert response.status_code == 200, response.json()
    assert Sponsorship.objects.get().amount == 2.5


def test_routes_are_in_the_schema_and_meta(staff_api):
    assert staff_api.get("/api/schema/").status_code == 200
    routes = {route["name"]: route for route in staff_api.get("/api/zoo/publications/_meta").json()["routes"]}
    assert routes["credit"]["parameters"][0]["target"] == "zoo/writers"
    assert routes["claim"]["parameters"][0]["target_model"] == "auth.User"


@isolate_apps("tests.zoo")
def test_a_key_naming_no_model_is_a_system_check_error():
    class Dangling(models.Model):
        class Meta:
            app_label = "zoo"

        @route.post()
        def link(self, other: Key["nowhere.Nothing"]):  # noqa: F821
            return None

    site = ResourceSite(name="dangling")
    site.register(Dangling)
    errors = check_resources(site=site)
    assert [error.id for error in errors] == ["cruddy_django.E010"]
    assert errors[0].level == django_checks.ERROR
    assert "The route Dangling.link cannot validate its parameters: Key['nowhere.Nothing'] names no installed " \
        "model" in errors[0].msg
