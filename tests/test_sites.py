"""Two sites registering the same models with different scopes and field rules: each keeps its own rules on
every surface (write bodies, Key parameters, expansions, every filter dialect, sorting, relation routes,
_meta), because every surface asks the access object of its own site's resource."""

import pytest

from cruddy_django import site
from cruddy_django.checks import check_resources
from example_project.staff.models import Astronaut, Crew
from tests.sites_urls import partners

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.sites_urls")]


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


OURS, THEIRS = "/api/staff", "/partners/p"


@pytest.fixture
def crew():
    pilot = Astronaut.objects.create(code="P1", name="Pia", role="pilot")
    doctor = Astronaut.objects.create(code="D1", name="Dov", role="doctor")
    crew = Crew.objects.create(code="C1", name="One", lead=doctor)
    crew.astronauts.set([pilot, doctor])
    return crew, pilot, doctor


def codes(response):
    return sorted(row["code"] for row in response.json()["results"])


def test_each_site_has_its_own_resources_and_classes():
    ours, theirs = site.get_resource(Astronaut), partners.get_resource(Astronaut)
    assert ours is not theirs and theirs.site is partners
    assert ours.viewset is not theirs.viewset and ours.serializer_class is not theirs.serializer_class
    lead = partners.get_resource(Crew).options.graph.fields["lead"]
    assert partners.get_resource(Crew).related_resource(lead) is theirs
    assert site.get_resource(Crew).related_resource(lead) is ours


def test_write_bodies_name_only_rows_of_the_sites_own_scope(api, crew):
    _crew, pilot, doctor = crew
    body = {"code": "C2", "name": "Two", "astronauts": [doctor.pk]}
    response = api.post(f"{THEIRS}/crews/", body, format="json")
    assert response.status_code == 400
    assert f"Invalid pk \"{doctor.pk}\"" in response.json()["astronauts"][0]
    response = api.post(f"{THEIRS}/crews/", {"code": "C3", "name": "Three", "lead": doctor.pk}, format="json")
    assert response.status_code == 400 and "lead" in response.json()
    assert not Crew.objects.filter(code__in=["C2", "C3"]).exists()
    assert api.post(f"{THEIRS}/crews/", {**body, "astronauts": [pilot.pk]}, format="json").status_code == 201
    assert api.post(f"{OURS}/crews/", {**body, "code": "C4"}, format="json").status_code == 201


def test_key_parameters_look_up_rows_in_the_sites_own_scope(api, crew):
    crew, pilot, doctor = crew
    response = api.post(f"{THEIRS}/crews/{crew.pk}/assign-lead/", {"astronaut": doctor.pk}, format="json")
    assert response.status_code == 400
    assert "No astronaut with primary key" in response.json()["astronaut"][0]
    assert api.post(f"{OURS}/crews/{crew.pk}/assign-lead/", {"astronaut": doctor.pk},
                    format="json").status_code == 200
    assert api.post(f"{THEIRS}/crews/{crew.pk}/assign-lead/", {"astronaut": pilot.pk},
                    format="json").status_code == 200


def test_expansions_follow_the_sites_own_scope_and_field_rules(api, crew):
    theirs = api.get(f"{THEIRS}/crews/?expand=astronauts,lead").json()["results"][0]
    assert theirs["astronauts"] == [{"id": crew[1].pk, "code": "P1", "role": "pilot"}]
    assert theirs["lead"] is None  # the doctor leads, and is out of the partners' scope
    ours = api.get(f"{OURS}/crews/?expand=astronauts,lead").json()["results"][0]
    assert [astronaut["name"] for astronaut in ours["astronauts"]] == ["Pia", "Dov"]
    assert ours["lead"]["name"] == "Dov"


@pytest.mark.parametrize("query", [
    ".astronauts*.code=D1", "where={\"astronauts.code\": \"D1\"}", "astronauts.code.$eq=D1", ".lead.code=D1",
])
def test_filters_through_a_relation_see_only_the_sites_own_rows(api, crew, query):
    assert codes(api.get(f"{THEIRS}/crews/?{query}")) == []
    assert codes(api.get(f"{OURS}/crews/?{query}")) == ["C1"]


@pytest.mark.parametrize("query", [".lead.name=Dov", "lead__name=Dov", "sort=lead.name", "fields=lead.name",
                                   "where={\"astronauts.name\": \"Dov\"}"])
def test_a_field_hidden_on_one_site_is_unknown_there_only(api, crew, query):
    response = api.get(f"{THEIRS}/crews/?{query}")
    assert response.status_code == 400
    assert "name" in str(response.json())
    assert api.get(f"{OURS}/crews/?{query}").status_code == 200


def test_relation_routes_follow_the_sites_own_scope(api, crew):
    crew, _pilot, doctor = crew
    assert codes(api.get(f"{THEIRS}/crews/{crew.pk}/astronauts/")) == ["P1"]
    assert codes(api.get(f"{OURS}/crews/{crew.pk}/astronauts/")) == ["D1", "P1"]
    assert api.get(f"{THEIRS}/crews/{crew.pk}/lead/").status_code == 404
    assert api.get(f"{THEIRS}/astronauts/{doctor.pk}/").status_code == 404
    assert api.get(f"{OURS}/astronauts/{doctor.pk}/").status_code == 200


def test_meta_describes_each_sites_own_fields(api):
    theirs = {field["name"] for field in api.get(f"{THEIRS}/astronauts/_meta").json()["fields"]}
    ours = {field["name"] for field in api.get(f"{OURS}/astronauts/_meta").json()["fields"]}
    assert "name" in ours and "name" not in theirs
    described = api.get("/partners/_meta").json()["resources"]
    assert sorted(resource["url"] for resource in described) == [
        "http://testserver/partners/p/astronauts/", "http://testserver/partners/p/crews/"]


def test_the_system_checks_cover_every_site():
    broken = type(partners)(name="broken")
    broken.register(Astronaut, fields=["nmae"])
    assert "cruddy_django.E001" in {error.id for error in check_resources()}
    assert check_resources(site=partners) == []
