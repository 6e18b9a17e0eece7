"""Relation routes (<pk>/<relation>/) and to-many relations written in bodies."""

import pytest

from cruddy_django.policies import deny_all
from example_project.assets.models import Material, Rocket, RocketPart
from example_project.ops.models import Mission, Station
from example_project.staff.models import Astronaut, Crew
from tests.writeapp.models import Label, Owner, Pet, Toy

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(signed_in_api):
    """Writes need a signed-in user (the default policies); reads behave the same for it."""
    return signed_in_api


@pytest.fixture
def crew():
    members = [Astronaut.objects.create(code=f"A{i}", name=name, role=role)
               for i, (name, role) in enumerate([("Ada", "pilot"), ("Bo", "doctor"), ("Cy", "pilot")])]
    Astronaut.objects.create(code="OUT", name="Outsider", role="pilot")
    crew = Crew.objects.create(code="C1", name="Alpha", lead=members[0])
    crew.astronauts.set(members)
    return crew


@pytest.fixture
def owner():
    owner = Owner.objects.create(code="O", name="Olga")
    Pet.objects.create(name="Rex", owner=owner)
    Pet.objects.create(name="Tom", owner=owner)
    Toy.objects.create(name="Ball", owner=owner)
    return owner


def codes(response):
    return [item["code"] for item in response.json()["results"]]


def test_a_to_many_relation_lists_with_filters_sorting_and_paging(api, crew):
    response = api.get(f"/api/staff/crews/{crew.pk}/astronauts/")
    assert response.status_code == 200
    assert response.json()["count"] == 3 and codes(response) == ["A0", "A1", "A2"]
    response = api.get(f"/api/staff/crews/{crew.pk}/astronauts/?role=pilot&page_size=1&page=2")
    assert response.json()["count"] == 2 and response.json()["pages"] == 2
    assert codes(response) == ["A2"]
    assert response.json()["previous"].startswith(f"http://testserver/api/staff/crews/{crew.pk}/astronauts/")


def test_every_kind_of_relation_has_a_route(api, crew):
    ada = crew.astronauts.get(code="A0")
    rocket = Rocket.objects.create(code="R", name="R")
    part = RocketPart.objects.create(rocket=rocket, code="0010", material=Material.objects.create(
        code="S", name="S", price=1), quantity=1)
    station = Station.objects.create(code="ST", name="ST")
    Mission.objects.create(code="M", name="M", crew=crew, rocket=rocket, station=station)
    assert codes(api.get(f"/api/staff/astronauts/{ada.pk}/crews/")) == ["C1"]       # reverse many-to-many
    assert [item["id"] for item in api.get(f"/api/assets/rockets/{rocket.pk}/parts/").json()["results"]] == [
        part.pk]                                                                       # reverse foreign key
    assert api.get(f"/api/staff/crews/{crew.pk}/lead/").json()["code"] == "A0"          # forward to-one
    assert api.get(f"/api/assets/rocket-parts/{part.pk}/rocket").json()["code"] == "R"  # without the slash
    assert codes(api.get(f"/api/stations/{station.pk}/missions/")) == ["M"]
    assert api.get(f"/api/staff/astronauts/{ada.pk}/crew-lead/").json()["count"] == 1   # kebab-case works


def test_an_empty_to_one_unknown_or_unreachable_relation_is_a_404(api, crew):
    bare = Crew.objects.create(code="C2", name="Beta")
    response = api.get(f"/api/staff/crews/{bare.pk}/lead/")
    assert response.status_code == 404
    assert "no lead" in response.json()["detail"]
    assert api.get(f"/api/staff/crews/{crew.pk}/nothing/").status_code == 404
    assert api.get("/api/staff/crews/999/astronauts/").status_code == 404
    assert api.get(f"/api/staff/crews/{crew.pk}/code/").status_code == 404


def test_a_disabled_relation_has_no_route(api, crew, reconfigure):
    reconfigure(Crew, disable={"astronauts"})
    assert api.get(f"/api/staff/crews/{crew.pk}/astronauts/").status_code == 404
    assert api.get(f"/api/staff/crews/{crew.pk}/lead/").status_code == 200


def test_the_policy_chain_is_the_parents_retrieve_then_the_childs_list(api, crew, reconfigure):
    url = f"/api/staff/crews/{crew.pk}/astronauts/"
    reconfigure(Astronaut, policies={"list": [deny_all]})
    assert api.get(url).status_code == 403
    reconfigure(Astronaut, policies={"retrieve": [deny_all]})
    assert api.get(url).status_code == 200
    reconfigure(Crew, policies={"retrieve": [deny_all]})
    assert api.get(url).status_code == 403


def test_both_scopes_apply(api, crew, reconfigure):
    url = f"/api/staff/crews/{crew.pk}/astronauts/"
    reconfigure(Astronaut, scope=lambda request, queryset: queryset.exclude(code="A1"))
    assert codes(api.get(url)) == ["A0", "A2"]
    reconfigure(Crew, scope=lambda request, queryset: queryset.none())
    assert api.get(url).status_code == 404


def test_replace_add_and_remove_members(api, crew):
    url = f"/api/staff/crews/{crew.pk}/astronauts/"
    outsider = Astronaut.objects.get(code="OUT")
    ada = Astronaut.objects.get(code="A0")
    response = api.put(url, [ada.pk, outsider.pk], format="json")
    assert response.status_code == 200
    assert codes(response) == ["A0", "OUT"]
    response = api.post(url, [Astronaut.objects.get(code="A1").pk], format="json")
    assert codes(response) == ["A0", "A1", "OUT"]
    response = api.delete(url, [ada.pk], format="json")
    assert codes(response) == ["A1", "OUT"]


def test_unknown_pks_are_a_400_naming_them_and_change_nothing(api, crew):
    url = f"/api/staff/crews/{crew.pk}/astronauts/"
    response = api.put(url, [crew.astronauts.first().pk, 998, 999], format="json")
    assert response.status_code == 400
    assert response.json() == {"astronauts": ["No astronaut with id 998, 999."]}
    assert crew.astronauts.count() == 3
    assert api.put(url, {"ids": [1]}, format="json").status_code == 400


def test_to_one_relations_are_written_on_the_row(api, crew):
    response = api.put(f"/api/staff/crews/{crew.pk}/lead/", [1], format="json")
    assert response.status_code == 405


def test_one_to_many_writes_unlink_nullable_rows_and_delete_owned_ones(api, owner):
    rex, tom = Pet.objects.filter(owner=owner).order_by("name")
    stray = Pet.objects.create(name="Stray")
    response = api.put(f"/api/w/owners/{owner.pk}/pets/", [rex.pk, stray.pk], format="json")
    assert response.status_code == 200
    assert sorted(owner.pets.values_list("name", flat=True)) == ["Rex", "Stray"]
    assert Pet.objects.get(pk=tom.pk).owner is None          # unlinked, kept
    assert api.put(f"/api/w/owners/{owner.pk}/toys/", [], format="json").status_code == 200
    assert not Toy.objects.exists()                          # owned: deleted with the link


def test_removing_a_row_of_another_parent_does_not_touch_it(api, owner):
    other = Owner.objects.create(code="P", name="Pat")
    theirs = Pet.objects.create(name="Fido", owner=other)
    api.delete(f"/api/w/owners/{owner.pk}/pets/", [theirs.pk], format="json")
    theirs.refresh_from_db()
    assert theirs.owner == other


def test_to_many_relations_in_bodies_replace_the_set(api, owner):
    red, blue = Label.objects.create(name="red"), Label.objects.create(name="blue")
    pet = Pet.objects.create(name="New")
    response = api.post("/api/w/owners/", {"code": "Q", "name": "Quinn", "labels": [red.pk],
                                           "pets": [pet.pk]}, format="json")
    assert response.status_code == 201, response.json()
    quinn = Owner.objects.get(code="Q")
    assert response.json()["labels"] == [red.pk] and response.json()["pets"] == [pet.pk]
    response = api.patch(f"/api/w/owners/{quinn.pk}/", {"labels": [blue.pk, red.pk], "pets": []},
                         format="json")
    assert sorted(response.json()["labels"]) == sorted([red.pk, blue.pk])
    assert not quinn.pets.exists()
    response = api.patch(f"/api/w/labels/{red.pk}/", {"owners": [owner.pk]}, format="json")  # reverse m2m
    assert response.json()["owners"] == [owner.pk]
    assert list(quinn.labels.all()) == [blue]


def test_unknown_pks_in_bodies_are_400s(api, owner):
    response = api.patch(f"/api/w/owners/{owner.pk}/", {"pets": [12345]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"pets": ['Invalid pk "12345" - object does not exist.']}
    assert owner.pets.count() == 2


def test_bulk_create_sets_reverse_relations(api):
    pets = [Pet.objects.create(name=f"P{i}") for i in range(2)]
    response = api.post("/api/w/owners/", [{"code": "A", "name": "a", "pets": [pets[0].pk]},
                                           {"code": "B", "name": "b", "pets": [pets[1].pk]}], format="json")
    assert response.status_code == 201
    assert [item["pets"] for item in response.json()] == [[pets[0].pk], [pets[1].pk]]


@pytest.mark.parametrize(("option", "method", "refused"), [
    ("protected_relationships", "post", True), ("protected_relationships", "patch", True),
    ("protected_create_relationships", "post", True), ("protected_create_relationships", "patch", False),
    ("protected_update_relationships", "post", False), ("protected_update_relationships", "patch", True),
])
def test_protected_relationships_refuse_writes(api, owner, reconfigure, option, method, refused):
    reconfigure(Owner, **{option: ("labels",)})
    label = Label.objects.create(name="x")
    if method == "post":
        response = api.post("/api/w/owners/", {"code": "N", "name": "n", "labels": [label.pk]}, format="json")
    else:
        response = api.patch(f"/api/w/owners/{owner.pk}/", {"labels": [label.pk]}, format="json")
    assert (response.status_code == 400) is refused
    if refused:
        assert "cannot be set through this API" in response.json()["labels"][0]
        assert not label.owners.exists()


def test_a_protected_relationship_refuses_its_route_writes(api, owner, reconfigure):
    reconfigure(Owner, protected_relationships=("pets",))
    assert api.put(f"/api/w/owners/{owner.pk}/pets/", [], format="json").status_code == 400
    assert owner.pets.count() == 2
    assert api.get(f"/api/w/owners/{owner.pk}/pets/").status_code == 200
